import type { CrmValue } from "../adapter/index.js";
import type { RecordIntent } from "../intents/index.js";
import { note, type Outcome, outcomeOf, type PlanContext, review, skip, type Writable } from "./context.js";
import {
  checkFields,
  type Desired,
  desireOwner,
  ownershipOf,
  ownerText,
  rankOf,
  toLabelOf,
} from "./desired.js";
import { decideField, isEmpty } from "./fields.js";
import { type Found, findRecord } from "./match-record.js";
import { lifecycleRank, planStage } from "./record-stage.js";
import { entry } from "./snapshot.js";
import type { CreateRecordStep, FieldChange, PlanTarget } from "./types.js";

function recordLabel(ctx: PlanContext, intent: RecordIntent): string {
  if (intent.match.by === "key") return `${intent.objectType} ${intent.match.value}`;
  const contact = outcomeOf(ctx, intent.match.contact.step);
  return `deal for ${contact?.label ?? intent.match.contact.step}`;
}

function writeCreate(
  ctx: PlanContext,
  intent: RecordIntent,
  id: string,
  label: string,
  found: Found & { kind: "none" },
  desired: Desired,
): PlanTarget {
  const properties: Record<string, CrmValue> = {};
  for (const field of Object.keys(desired.values)) {
    const value = desired.values[field]!;
    if (!isEmpty(value)) properties[field] = value;
  }
  const step: Writable<CreateRecordStep> = {
    id,
    kind: "record",
    action: "create",
    objectType: intent.objectType,
    reason: "no_match",
    summary: label,
    evidence: found.evidence,
    properties,
  };
  if (intent.match.by === "key") step.key = { field: intent.match.field, value: intent.match.value };
  ctx.steps.push(step);
  note(ctx, id, `create: nothing matched ${found.evidence.query}`);
  return { type: intent.objectType, step: id };
}

function writeUpdate(
  ctx: PlanContext,
  intent: RecordIntent,
  id: string,
  found: Found & { kind: "matched" },
  desired: Desired,
): PlanTarget {
  const { record } = found;
  const type = intent.objectType;
  const keyField = intent.match.by === "key" ? intent.match.field : undefined;
  const properties: Record<string, CrmValue> = {};
  const changes: FieldChange[] = [];
  for (const field of Object.keys(desired.values)) {
    if (field === keyField) continue;
    const value = desired.values[field]!;
    const decision = decideField(
      field,
      entry(record.properties, field),
      value,
      ownershipOf(ctx.policy, type, field),
      rankOf(desired, field),
    );
    if (decision.write) {
      properties[field] = value;
      const change: Writable<FieldChange> = decision.change;
      if (field === "stage_id" && desired.stageFromLabel !== undefined)
        change.fromLabel = desired.stageFromLabel;
      const toLabel = toLabelOf(desired, field);
      if (toLabel !== undefined) change.toLabel = toLabel;
      changes.push(change);
    } else if (decision.why !== undefined) note(ctx, id, decision.why);
  }
  const summary =
    intent.match.by === "key" ? `${type} ${record.id} (${intent.match.value})` : `${type} ${record.id}`;
  const target = { type, id: record.id };
  if (changes.length > 0) {
    ctx.steps.push({
      id,
      kind: "record",
      action: "update",
      objectType: type,
      reason: "changed",
      summary,
      evidence: found.evidence,
      recordId: record.id,
      properties,
      changes,
    });
    let fields = changes[0]!.field;
    for (let i = 1; i < changes.length; i++) fields += `, ${changes[i]!.field}`;
    note(ctx, id, `update: ${fields} differ`);
  } else {
    ctx.steps.push({
      id,
      kind: "record",
      action: "noop",
      reason: "unchanged",
      summary,
      evidence: found.evidence,
      target,
    });
    note(ctx, id, "noop: the record already holds every value the plan may write");
  }
  return target;
}

/**
 * Plans one record intent: the routing gate, the search (see `findRecord`), then pipeline and stage, owner and
 * enum checks, and finally create | update | noop, followed by a `field` review for every value held back.
 */
export function planRecord(ctx: PlanContext, intent: RecordIntent, id: string): void {
  const type = intent.objectType;
  const label = recordLabel(ctx, intent);
  note(ctx, id, `wanted because ${intent.why}`);
  if (intent.gate === "routing" && ctx.routingProblems.length > 0) {
    review(
      ctx,
      {
        id,
        kind: "record",
        objectType: type,
        reason: "routing_untrusted",
        errorReason: "validation_failed",
        summary: `${label}: routing needs review (${ctx.routingProblems.join(", ")})`,
      },
      label,
    );
    return;
  }
  const found = findRecord(ctx, intent, id, label);
  if (found.kind === "done") return;
  const existing = found.kind === "matched" ? found.record : undefined;
  if (existing === undefined && intent.mode === "update_only") {
    const reason = type === "deal" ? "no_open_deal" : "no_match_update_only";
    skip(
      ctx,
      { id, kind: "record", objectType: type, reason, summary: `${label}: nothing to update` },
      label,
      false,
    );
    return;
  }

  const desired: Desired = {
    values: {},
    ownerLabel: undefined,
    stageLabel: undefined,
    stageFromLabel: undefined,
    lifecycleRank:
      type === "contact" || type === "company" ? lifecycleRank(ctx.policy.lifecycleOrder) : undefined,
    stageRank: undefined,
    reviews: [],
    ownerId: ownerText(existing?.properties["owner_id"]),
  };
  for (const field of Object.keys(intent.properties)) {
    const value = intent.properties[field];
    if (value !== undefined) desired.values[field] = value;
  }
  const stage = planStage(ctx.snapshot, ctx.policy, intent, type, existing);
  if (stage.kind === "error") {
    review(
      ctx,
      {
        id,
        kind: "record",
        objectType: type,
        reason: stage.reason,
        errorReason: "configuration_error",
        evidence: found.evidence,
        summary: `${label}: ${stage.message}`,
      },
      label,
    );
    return;
  }
  if (stage.kind === "stage") {
    if (existing === undefined) desired.values["pipeline_id"] = stage.pipeline.id;
    desired.values["stage_id"] = stage.stage.id;
    desired.stageLabel = stage.stage.label;
    desired.stageFromLabel = stage.from?.label;
    desired.stageRank = stage.rank;
  } else if (stage.why !== undefined) note(ctx, id, stage.why);
  desireOwner(ctx, intent, id, existing, desired);
  checkFields(ctx, type, id, desired);

  const target =
    found.kind === "none"
      ? writeCreate(ctx, intent, id, label, found, desired)
      : writeUpdate(ctx, intent, id, found, desired);
  ctx.plannedKeys.set(found.key, id);
  const outcome: Writable<Outcome & { status: "ready" }> = {
    status: "ready",
    target,
    label: existing !== undefined && intent.match.by === "open_deal" ? `deal ${existing.id}` : label,
  };
  if (existing !== undefined) outcome.record = existing;
  if (desired.ownerId !== undefined) outcome.ownerId = desired.ownerId;
  ctx.outcomes.set(id, outcome);
  for (const item of desired.reviews) {
    review(
      ctx,
      {
        id: `${id}.${item.field}`,
        kind: "field",
        objectType: type,
        reason: item.reason,
        errorReason: item.errorReason,
        target,
        field: item.field,
        value: item.value,
        summary: `${label} ${item.field}: ${item.message}`,
      },
      label,
    );
  }
}
