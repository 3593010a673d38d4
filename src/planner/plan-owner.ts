import type { CrmValue } from "../adapter/index.js";
import type { CrmErrorReason } from "../errors/index.js";
import type { OwnerIntent } from "../intents/index.js";
import { note, outcomeOf, type PlanContext } from "./context.js";
import { resolveOwner, routeOwner } from "./owners.js";
import type { StepReason } from "./types.js";

/** A value the planner will not write alone; it becomes a `field` review step beside the record's step. */
export interface FieldReview {
  readonly field: string;
  readonly reason: StepReason;
  readonly errorReason: CrmErrorReason;
  readonly value?: CrmValue | undefined;
  readonly message: string;
}

/** The outcome of {@link planOwner}. */
export type OwnerPlan =
  | { readonly kind: "assigned"; readonly ownerId: string; readonly label: string }
  | { readonly kind: "unassigned" }
  | { readonly kind: "review"; readonly review: FieldReview };

function candidateOf(ctx: PlanContext, intent: OwnerIntent): { ref: string | undefined; source: string } {
  if (intent.from === "routing") {
    const route = routeOwner(ctx.policy.routing, ctx.intents.routing, ctx.intents.event.idempotencyKey);
    return { ref: route?.ref, source: route?.message ?? "no routing rule matches" };
  }
  if (intent.from === "owner")
    return { ref: intent.owner, source: `owner ${intent.owner} set by the recipe` };
  for (const ref of intent.steps) {
    const outcome = outcomeOf(ctx, ref.step);
    if (outcome?.status === "ready" && outcome.ownerId !== undefined) {
      return { ref: outcome.ownerId, source: `owner of ${outcome.label}` };
    }
  }
  return { ref: undefined, source: "no referenced record has an owner" };
}

/**
 * Resolves an owner intent to an active owner: routing rules (held back when routing is not trusted), a fixed
 * owner, or the owner of another record; then the fallback owner; then a review (`inactive_owner`).
 */
export function planOwner(ctx: PlanContext, intent: OwnerIntent, step: string): OwnerPlan {
  if (intent.from === "routing" && ctx.routingProblems.length > 0) {
    const message = `owner from routing needs review (${ctx.routingProblems.join(", ")})`;
    note(ctx, step, message);
    return {
      kind: "review",
      review: { field: "owner_id", reason: "routing_untrusted", errorReason: "validation_failed", message },
    };
  }
  const candidate = candidateOf(ctx, intent);
  const resolution = resolveOwner(ctx.snapshot.owners, candidate.ref, ctx.policy, candidate.source);
  note(ctx, step, resolution.message);
  if (resolution.kind === "assigned") {
    return {
      kind: "assigned",
      ownerId: resolution.owner.id,
      label: resolution.owner.email ?? resolution.owner.id,
    };
  }
  if (resolution.kind === "unassigned") return { kind: "unassigned" };
  return {
    kind: "review",
    review: {
      field: "owner_id",
      reason: "inactive_owner",
      errorReason: "inactive_owner",
      value: resolution.value,
      message: resolution.message,
    },
  };
}
