import type { UpsertPlan } from "../planner/index.js";
import type { ApplyProgress } from "./apply-plan.js";
import type { SyncObject, SyncReview, SyncStatus } from "./types.js";

// What a plan's outcome says beyond the writes: its status, its reviews, and what an earlier run already made.

/** The status of a run that applied `plan` completely. */
export function statusOf(plan: UpsertPlan): Exclude<SyncStatus, "replayed"> {
  if (plan.steps.some((step) => step.action === "review")) return "partial_review";
  return plan.steps.some((step) => step.action === "create" || step.action === "update") ? "applied" : "noop";
}

/** The review decisions of a plan. */
export function reviewsOf(plan: UpsertPlan): SyncReview[] {
  return plan.steps.flatMap((step) =>
    step.action === "review" ? [{ step: step.id, reason: step.errorReason, summary: step.summary }] : [],
  );
}

/**
 * Marks the creates of a fresh plan that an earlier run of the same event already made (a replay after a fix) as
 * done with the ids that run got, so a replay never creates a second note, task or deal.
 */
export function carryOver(plan: UpsertPlan, progress: ApplyProgress, earlier: readonly SyncObject[]): void {
  for (const step of plan.steps) {
    if (step.action !== "create" || progress.done.includes(step.id)) continue;
    const made = earlier.find((object) => object.step === step.id && object.action === "create");
    if (made === undefined) continue;
    const type = step.kind === "record" ? step.objectType : step.kind;
    if (made.type !== type) continue;
    progress.done.push(step.id);
    progress.ids[step.id] = made.id;
    progress.objects.push(made);
  }
}
