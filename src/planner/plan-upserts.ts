import { DEFAULT_RECORD_ORDER, type RecordObjectType } from "../adapter/index.js";
import type { AssociationIntent, Intent, Intents } from "../intents/index.js";
import type { PlanContext } from "./context.js";
import { planAssociation, planNote, planTask, planTicketAsTask } from "./plan-links.js";
import { planRecord } from "./plan-record.js";
import { defaultPolicy, type PlanPolicy } from "./policy.js";
import type { Snapshot } from "./snapshot.js";
import type { PlanAction, PlanCounts, UpsertPlan } from "./types.js";

/** Input of {@link planUpserts}. */
export interface PlanUpsertsInput {
  /** What `toIntents` returned for the event. */
  readonly intents: Intents;
  /** The answers to `lookupsFor` and `followUpLookupsFor`. */
  readonly snapshot: Snapshot;
  /** @default defaultPolicy */
  readonly policy?: PlanPolicy | undefined;
}

type RecordRanks = Readonly<Record<RecordObjectType, number>>;

const DEFAULT_RANKS = ranksOf(undefined);

// Listed types first in the adapter's order, then the others in their default order; every rank is below 1, so
// records always sort before associations, notes and tasks.
function ranksOf(order: readonly RecordObjectType[] | undefined): RecordRanks {
  const ranked = [...(order ?? []), ...DEFAULT_RECORD_ORDER];
  const ranks = {} as Record<RecordObjectType, number>;
  for (const type of DEFAULT_RECORD_ORDER) ranks[type] = ranked.indexOf(type) / ranked.length;
  return ranks;
}

function rank(intent: Intent, records: RecordRanks): number {
  switch (intent.kind) {
    case "record":
      return records[intent.objectType] ?? 4;
    case "association":
      return 5;
    case "note":
      return 6;
    case "task":
      return 7;
    default:
      return 8;
  }
}

function routingProblems(intents: Intents, policy: PlanPolicy): string[] {
  const routing = intents.routing;
  if (routing === undefined) return [];
  const problems: string[] = [];
  if (routing.manualReviewRequired === true) problems.push("manual_review_required");
  if (routing.qualification === "needs_review") problems.push("qualification needs_review");
  if (typeof routing.confidence === "number" && !(routing.confidence >= policy.minConfidence)) {
    problems.push(`confidence ${routing.confidence} is below minConfidence ${policy.minConfidence}`);
  }
  return problems;
}

/**
 * Decides, for every intent of one event, what to write: `create | update | noop | review | skip`, each with a
 * machine-readable reason, the search evidence, the changed fields and a decision trace. Pure, synchronous and
 * deterministic (same input, deep-equal plan); it never throws on a well-typed snapshot, whatever it holds, and
 * never guesses: an ambiguous match, an inactive owner, an invalid enum value, an untrusted routing decision or a
 * missing search all become `review` steps, and only the steps that depend on them are held back.
 *
 * @example
 * const plan = planUpserts({ intents, snapshot, policy });
 * console.log(formatPlan(plan));
 * // + create contact ops@example.com
 * // ! review company example.com: 2 matches (ids 7, 9)
 */
export function planUpserts(input: PlanUpsertsInput): UpsertPlan {
  const { intents, snapshot } = input;
  const policy = input.policy ?? defaultPolicy;
  const ctx: PlanContext = {
    intents,
    snapshot,
    policy,
    steps: [],
    trace: [],
    outcomes: new Map(),
    plannedKeys: new Map(),
    routingProblems: routingProblems(intents, policy),
  };
  if (ctx.routingProblems.length > 0) {
    ctx.trace.push({ step: "routing", message: `routing is not trusted: ${ctx.routingProblems.join(", ")}` });
  }
  const records = snapshot.recordOrder === undefined ? DEFAULT_RANKS : ranksOf(snapshot.recordOrder);
  const items = intents.items.map((intent, index) => ({ intent, index, rank: rank(intent, records) }));
  items.sort((a, b) => a.rank - b.rank || a.index - b.index);
  const associations = intents.items.filter((item): item is AssociationIntent => item.kind === "association");
  const used = new Set<string>();
  for (const { intent } of items) {
    let id = intent.id;
    for (let n = 2; used.has(id); n++) id = `${intent.id}#${n}`;
    used.add(id);
    switch (intent.kind) {
      case "record": {
        const tickets = snapshot.tickets ?? "native";
        if (intent.objectType === "ticket" && tickets === "activity")
          planTicketAsTask(ctx, intent, id, associations);
        else if (intent.objectType === "ticket" && tickets === "none") {
          ctx.steps.push({
            id,
            kind: "record",
            action: "skip",
            objectType: "ticket",
            reason: "tickets_unsupported",
            summary: `ticket: the adapter supports no tickets (capabilities.tickets = none)`,
          });
          ctx.outcomes.set(id, { status: "absent", label: "ticket" });
        } else planRecord(ctx, intent, id);
        break;
      }
      case "association":
        planAssociation(ctx, intent, id);
        break;
      case "note":
        planNote(ctx, intent, id);
        break;
      case "task":
        planTask(ctx, intent, id);
        break;
    }
  }
  return {
    version: 1,
    event: intents.event,
    steps: ctx.steps,
    trace: ctx.trace,
    counts: countActions(ctx.steps),
    ...(snapshot.lookups === undefined || snapshot.lookups.length === 0 ? {} : { lookups: snapshot.lookups }),
  };
}

function countActions(steps: UpsertPlan["steps"]): PlanCounts {
  const counts: Record<PlanAction, number> = { create: 0, update: 0, noop: 0, review: 0, skip: 0 };
  for (const step of steps) counts[step.action]++;
  return counts;
}

/**
 * True when applying the plan writes anything (a create or an update).
 *
 * @example
 * if (!planHasWrites(plan)) return { status: "unchanged" };
 */
export function planHasWrites(plan: UpsertPlan): boolean {
  return plan.counts.create + plan.counts.update > 0;
}

/**
 * True when a person must look at something in the plan (any `review` step).
 *
 * @example
 * if (planNeedsReview(plan)) await notifyOps(formatPlan(plan));
 */
export function planNeedsReview(plan: UpsertPlan): boolean {
  return plan.counts.review > 0;
}
