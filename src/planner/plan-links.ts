import type {
  AssociationIntent,
  Attachment,
  NoteIntent,
  RecordIntent,
  TaskIntent,
} from "../intents/index.js";
import {
  note,
  type Outcome,
  outcomeOf,
  type PlanContext,
  review,
  sameTarget,
  skip,
  targetText,
  type Writable,
} from "./context.js";
import { planOwner } from "./plan-owner.js";
import { entry, historyKey } from "./snapshot.js";
import type { CreateAssociationStep, CreateTaskStep, PlanTarget, StepKind } from "./types.js";

type Attached =
  | { readonly ok: true; readonly targets: readonly PlanTarget[]; readonly labels: readonly string[] }
  | { readonly ok: false; readonly blocked: boolean; readonly why: string };

/** Resolves attachments; optional ones that are not there are dropped, required ones stop the step. */
function attach(ctx: PlanContext, step: string, attachments: readonly Attachment[]): Attached {
  const targets: PlanTarget[] = [];
  const labels: string[] = [];
  for (const attachment of attachments) {
    const outcome = outcomeOf(ctx, attachment.step);
    if (outcome?.status === "ready") {
      if (!targets.some((target) => sameTarget(target, outcome.target))) {
        targets.push(outcome.target);
        labels.push(outcome.label);
      }
      continue;
    }
    const blocked = outcome?.status === "blocked";
    if (attachment.optional === true) {
      note(
        ctx,
        step,
        `optional attachment to step ${attachment.step} dropped (${outcome === undefined ? "no such step" : outcome.status})`,
      );
      continue;
    }
    return {
      ok: false,
      blocked,
      why: `${blocked ? "depends on review of" : "no record for"} step ${attachment.step}`,
    };
  }
  if (targets.length === 0) return { ok: false, blocked: false, why: "nothing to attach to" };
  return { ok: true, targets, labels };
}

function stopped(
  ctx: PlanContext,
  id: string,
  kind: StepKind,
  label: string,
  result: Attached & { ok: false },
): void {
  skip(
    ctx,
    {
      id,
      kind,
      reason: result.blocked ? "depends_on_review" : "endpoint_skipped",
      summary: `${label}: ${result.why}`,
    },
    label,
    result.blocked,
  );
}

/** True when the snapshot shows `side`'s record associated with `other`. */
function linked(side: Outcome, other: PlanTarget): boolean {
  if (side.status !== "ready" || !("id" in other)) return false;
  return entry(side.record?.associations, other.type)?.includes(other.id) ?? false;
}

/** Plans an association: create, noop when the snapshot shows it exists, skip when an end is missing. */
export function planAssociation(ctx: PlanContext, intent: AssociationIntent, id: string): void {
  const from = outcomeOf(ctx, intent.from.step);
  const to = outcomeOf(ctx, intent.to.step);
  const label = `association ${from?.label ?? intent.from.step} ↔ ${to?.label ?? intent.to.step}`;
  if (from?.status !== "ready" || to?.status !== "ready") {
    const blockedStep =
      from?.status === "blocked" ? intent.from.step : to?.status === "blocked" ? intent.to.step : undefined;
    const missing = from?.status !== "ready" ? intent.from.step : intent.to.step;
    stopped(
      ctx,
      id,
      "association",
      label,
      blockedStep === undefined
        ? { ok: false, blocked: false, why: `no record for step ${missing}` }
        : { ok: false, blocked: true, why: `depends on review of step ${blockedStep}` },
    );
    return;
  }
  const a = from.target;
  const b = to.target;
  if (linked(from, b) || linked(to, a)) {
    ctx.steps.push({
      id,
      kind: "association",
      action: "noop",
      reason: "already_associated",
      summary: label,
      target: a,
    });
    note(ctx, id, `noop: ${targetText(a)} is already associated with ${targetText(b)}`);
    return;
  }
  const step: Writable<CreateAssociationStep> = {
    id,
    kind: "association",
    action: "create",
    reason: "not_associated",
    summary: label,
    from: a,
    to: b,
  };
  if (intent.label !== undefined) step.label = intent.label;
  ctx.steps.push(step);
  note(ctx, id, `create: ${intent.why}`);
}

/** Plans a note: created on every record it can attach to. */
export function planNote(ctx: PlanContext, intent: NoteIntent, id: string): void {
  const result = attach(ctx, id, intent.attach);
  if (!result.ok) {
    stopped(ctx, id, "note", "note", result);
    return;
  }
  ctx.steps.push({
    id,
    kind: "note",
    action: "create",
    reason: "new_note",
    summary: `note on ${result.labels.join(", ")}`,
    body: intent.body,
    timestamp: intent.timestamp,
    attach: result.targets,
  });
  note(ctx, id, `create: ${intent.why}`);
}

/** Plans a task: its precondition, its owner (an owner problem is a field review; the task is still created). */
export function planTask(ctx: PlanContext, intent: TaskIntent, id: string): void {
  const label = `task ${JSON.stringify(intent.subject)}`;
  let reason: "new_task" | "requirement_met" = "new_task";
  if (intent.requires !== undefined) {
    const contact = outcomeOf(ctx, intent.requires.contact.step);
    if (contact?.status === "blocked") {
      skip(
        ctx,
        {
          id,
          kind: "task",
          reason: "depends_on_review",
          summary: `${label}: depends on review of step ${intent.requires.contact.step}`,
        },
        label,
        true,
      );
      return;
    }
    const known = contact?.status === "ready" && "id" in contact.target ? contact.target.id : undefined;
    const history = known === undefined ? undefined : entry(ctx.snapshot.history, historyKey(known));
    if (known !== undefined && history === undefined) {
      review(
        ctx,
        {
          id,
          kind: "task",
          reason: "not_looked_up",
          errorReason: "configuration_error",
          summary: `${label}: the snapshot has no purchase history for contact ${known}`,
        },
        label,
      );
      return;
    }
    const evidence =
      history === undefined
        ? []
        : [
            ...history.wonDealIds.map((d) => `won deal ${d}`),
            ...history.paymentEventIds.map((p) => `payment ${p}`),
          ];
    if (evidence.length === 0) {
      review(
        ctx,
        {
          id,
          kind: "task",
          reason: "no_won_deal_or_payment",
          errorReason: "not_found",
          summary: `${label}: ${contact?.label ?? "the contact"} has no won deal or payment on record`,
        },
        label,
      );
      return;
    }
    note(ctx, id, `requirement met: ${evidence.join(", ")}`);
    reason = "requirement_met";
  }
  const result = attach(ctx, id, intent.attach);
  if (!result.ok) {
    stopped(ctx, id, "task", label, result);
    return;
  }
  let ownerId: string | undefined;
  let ownerReview:
    | {
        value?: string | number | boolean | readonly string[] | null | undefined;
        message: string;
        reason: "routing_untrusted" | "inactive_owner";
      }
    | undefined;
  if (intent.owner !== undefined) {
    const owner = planOwner(ctx, intent.owner, id);
    if (owner.kind === "assigned") ownerId = owner.ownerId;
    else if (owner.kind === "review") {
      ownerReview = {
        value: owner.review.value,
        message: owner.review.message,
        reason: owner.review.reason === "routing_untrusted" ? "routing_untrusted" : "inactive_owner",
      };
    }
  }
  const step: Writable<CreateTaskStep> = {
    id,
    kind: "task",
    action: "create",
    reason,
    summary: `${label} on ${result.labels.join(", ")}`,
    subject: intent.subject,
    dueAt: intent.dueAt,
    attach: result.targets,
  };
  if (intent.body !== undefined) step.body = intent.body;
  if (intent.priority !== undefined) step.priority = intent.priority;
  if (ownerId !== undefined) step.ownerId = ownerId;
  ctx.steps.push(step);
  note(ctx, id, `create: ${intent.why}`);
  ctx.outcomes.set(id, { status: "ready", target: { type: "task", step: id }, label });
  if (ownerReview !== undefined) {
    review(
      ctx,
      {
        id: `${id}.owner_id`,
        kind: "field",
        objectType: "task",
        reason: ownerReview.reason,
        errorReason: ownerReview.reason === "inactive_owner" ? "inactive_owner" : "validation_failed",
        target: { type: "task", step: id },
        field: "owner_id",
        value: ownerReview.value,
        summary: `${label} owner_id: ${ownerReview.message}`,
      },
      label,
    );
  }
}

/**
 * Tickets on an adapter with `capabilities.tickets === "activity"` (Pipedrive has no tickets) become a task on the
 * records the ticket would have been associated with. The mapping lives here, in the planner, so the plan shows
 * what will really be written and the executor needs no special case. Such a task cannot be searched by
 * `ticket_ref`; the idempotency key of the event is what keeps it single.
 */
export function planTicketAsTask(
  ctx: PlanContext,
  intent: RecordIntent,
  id: string,
  associations: readonly AssociationIntent[],
): void {
  const props = intent.properties;
  const ref = intent.match.by === "key" ? intent.match.value : id;
  const attachments: Attachment[] = [];
  for (const association of associations) {
    if (association.from.step === id) attachments.push({ step: association.to.step, optional: true });
    else if (association.to.step === id) attachments.push({ step: association.from.step, optional: true });
  }
  const priority = props["priority"];
  note(ctx, id, "the adapter has no tickets (capabilities.tickets = activity): the ticket becomes a task");
  const task: TaskIntent = {
    kind: "task",
    id,
    subject: `${String(props["subject"] ?? "Support request")} [${ref}]`,
    dueAt: ctx.intents.event.occurredAt,
    attach: attachments,
    priority: priority === "low" || priority === "medium" ? priority : "high",
    why: `${intent.why} (as an activity)`,
    ...(typeof props["description"] === "string" ? { body: props["description"] } : {}),
  };
  planTask(ctx, task, id);
  const last = ctx.steps[ctx.steps.length - 1];
  if (last?.id === id && last.action === "create")
    ctx.steps[ctx.steps.length - 1] = { ...last, reason: "tickets_as_activity" } as typeof last;
  ctx.outcomes.set(id, { status: "absent", label: `ticket ${ref}` });
}
