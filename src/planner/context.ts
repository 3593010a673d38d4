import type { CrmObjectType, CrmRecord, CrmValue } from "../adapter/index.js";
import type { CrmErrorReason } from "../errors/index.js";
import type { Intents } from "../intents/index.js";
import type { PlanPolicy } from "./policy.js";
import type { Snapshot } from "./snapshot.js";
import type {
  Evidence,
  PlanStep,
  PlanTarget,
  ReviewStep,
  SkipStep,
  StepKind,
  StepReason,
  TraceEntry,
} from "./types.js";

/**
 * A step or change under construction. Optional properties are assigned when present rather than spread in
 * (`...(x === undefined ? {} : { x })`): the planner builds many small objects, and those spreads were its most
 * expensive lines. Either way the properties come in the same order.
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** What became of an intent's record while planning, for the steps that refer to it. */
export type Outcome =
  /** The record exists or will be created by the plan: refer to it by `target`. */
  | {
      readonly status: "ready";
      readonly target: PlanTarget;
      readonly label: string;
      /** Set when the record already exists in the CRM. */
      readonly record?: CrmRecord | undefined;
      /** Its owner after the plan (written or already set). */
      readonly ownerId?: string | undefined;
    }
  /** In review (or skipped because of a review): dependents are skipped with `depends_on_review`. */
  | { readonly status: "blocked"; readonly label: string }
  /** Not there for a reason that needs nobody (no open deal, tickets unsupported): dependents drop it. */
  | { readonly status: "absent"; readonly label: string };

/** Mutable state of one `planUpserts` call. */
export interface PlanContext {
  readonly intents: Intents;
  readonly snapshot: Snapshot;
  readonly policy: PlanPolicy;
  readonly steps: PlanStep[];
  readonly trace: TraceEntry[];
  readonly outcomes: Map<string, Outcome>;
  /** Keys of records already planned → their step, so one key is never created (or updated) twice. */
  readonly plannedKeys: Map<string, string>;
  /** Why the routing signal is not trusted; empty when it is. */
  readonly routingProblems: readonly string[];
}

/** Adds a decision to the trace. */
export function note(ctx: PlanContext, step: string, message: string): void {
  ctx.trace.push({ step, message });
}

/** The outcome of the intent with this id, or `undefined` when there is none (yet). */
export function outcomeOf(ctx: PlanContext, step: string): Outcome | undefined {
  return ctx.outcomes.get(step);
}

/** Records a review step and marks the intent blocked. */
export function review(
  ctx: PlanContext,
  init: {
    id: string;
    kind: StepKind;
    reason: StepReason;
    errorReason: CrmErrorReason;
    summary: string;
    objectType?: CrmObjectType | undefined;
    evidence?: Evidence | undefined;
    target?: PlanTarget | undefined;
    field?: string | undefined;
    value?: CrmValue | undefined;
  },
  label: string,
): void {
  const step: Writable<ReviewStep> = {
    id: init.id,
    kind: init.kind,
    action: "review",
    reason: init.reason,
    errorReason: init.errorReason,
    summary: init.summary,
  };
  if (init.objectType !== undefined) step.objectType = init.objectType;
  if (init.evidence !== undefined) step.evidence = init.evidence;
  if (init.target !== undefined) step.target = init.target;
  if (init.field !== undefined) step.field = init.field;
  if (init.value !== undefined) step.value = init.value;
  ctx.steps.push(step);
  note(ctx, init.id, `review (${init.errorReason}): ${init.summary}`);
  if (init.kind !== "field") ctx.outcomes.set(init.id, { status: "blocked", label });
}

/** Records a skip step; `blocked` marks dependents for `depends_on_review`, otherwise they drop the record. */
export function skip(
  ctx: PlanContext,
  init: {
    id: string;
    kind: StepKind;
    reason: StepReason;
    summary: string;
    objectType?: CrmObjectType | undefined;
  },
  label: string,
  blocked: boolean,
): void {
  const step: Writable<SkipStep> = {
    id: init.id,
    kind: init.kind,
    action: "skip",
    reason: init.reason,
    summary: init.summary,
  };
  if (init.objectType !== undefined) step.objectType = init.objectType;
  ctx.steps.push(step);
  note(ctx, init.id, `skip (${init.reason}): ${init.summary}`);
  ctx.outcomes.set(init.id, { status: blocked ? "blocked" : "absent", label });
}

/** `type 123` or `type (created by step x)`: how a target reads in summaries. */
export function targetText(target: PlanTarget): string {
  return "id" in target ? `${target.type} ${target.id}` : `${target.type} (new, step ${target.step})`;
}

/** The same target twice? */
export function sameTarget(a: PlanTarget, b: PlanTarget): boolean {
  if (a.type !== b.type) return false;
  if ("id" in a) return "id" in b && a.id === b.id;
  return "step" in b && a.step === b.step;
}
