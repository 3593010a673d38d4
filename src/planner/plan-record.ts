import type { CrmObjectType, CrmRecord, CrmValue } from "../adapter/index.js";
import type { RecordIntent } from "../intents/index.js";
import { note, type Outcome, outcomeOf, type PlanContext, review, skip } from "./context.js";
import { checkEnum, decideField, fieldMeta, isEmpty, type Rank } from "./fields.js";
import { type Found, findRecord } from "./match-record.js";
import { type FieldReview, planOwner } from "./plan-owner.js";
import type { FieldOwnership, PlanPolicy } from "./policy.js";
import { lifecycleRank, planStage } from "./record-stage.js";
import { entry } from "./snapshot.js";
import type { FieldChange, PlanTarget } from "./types.js";

/** The ownership of a field under the policy; unlisted fields are the source's. */
export function ownershipOf(policy: PlanPolicy, type: CrmObjectType, field: string): FieldOwnership {
  return entry(policy.fieldOwnership[type], field) ?? "source";
}

/** Desired values of one record after pipeline, owner and enum decisions. */
interface Desired {
  readonly values: Record<string, CrmValue>;
  /** Display labels of id values (`stage_id`, `owner_id`) and of the current stage (`stage_id:from`). */
  readonly labels: Record<string, string>;
  readonly ranks: Record<string, Rank>;
  readonly reviews: FieldReview[];
  ownerId: string | undefined;
}

function recordLabel(ctx: PlanContext, intent: RecordIntent): string {
  if (intent.match.by === "key") return `${intent.objectType} ${intent.match.value}`;
  const contact = outcomeOf(ctx, intent.match.contact.step);
  return `deal for ${contact?.label ?? intent.match.contact.step}`;
}

function ownerText(value: CrmValue | undefined): string | undefined {
  return isEmpty(value) || Array.isArray(value) ? undefined : String(value);
}

/** Adds the owner unless the CRM already owns the field; owner problems become field reviews. */
function desireOwner(
  ctx: PlanContext,
  intent: RecordIntent,
  id: string,
  existing: CrmRecord | undefined,
  desired: Desired,
): void {
  if (intent.owner === undefined) return;
  if (
    existing !== undefined &&
    desired.ownerId !== undefined &&
    ownershipOf(ctx.policy, intent.objectType, "owner_id") !== "source"
  ) {
    note(ctx, id, `owner_id kept: the CRM already assigns ${desired.ownerId}`);
    return;
  }
  const owner = planOwner(ctx, intent.owner, id);
  if (owner.kind === "review") desired.reviews.push(owner.review);
  else if (owner.kind === "assigned") {
    desired.values["owner_id"] = owner.ownerId;
    desired.labels["owner_id"] = owner.label;
    desired.ownerId = owner.ownerId;
  }
}

/** Drops read-only fields, maps enum labels to values, and turns values that are no option into reviews. */
function checkFields(ctx: PlanContext, type: CrmObjectType, id: string, desired: Desired): void {
  const fields = ctx.snapshot.fields?.[type];
  if (fields === undefined) return;
  for (const field of Object.keys(desired.values)) {
    if (field === "owner_id" || field === "pipeline_id" || field === "stage_id") continue;
    const meta = fieldMeta(fields, field);
    if (meta === undefined) continue;
    const value = desired.values[field]!;
    if (meta.readOnly === true) {
      delete desired.values[field];
      note(ctx, id, `${field} is read-only in the CRM; not written`);
      continue;
    }
    const check = checkEnum(meta, value);
    if (!check.ok) {
      delete desired.values[field];
      desired.reviews.push({
        field,
        reason: "invalid_enum",
        errorReason: "invalid_enum",
        value,
        message: check.message,
      });
    } else if (check.mapped) {
      desired.values[field] = check.value;
      note(
        ctx,
        id,
        `${field}: ${JSON.stringify(value)} written as the option value ${JSON.stringify(check.value)}`,
      );
    }
  }
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
  const key =
    intent.match.by === "key" ? { field: intent.match.field, value: intent.match.value } : undefined;
  ctx.steps.push({
    id,
    kind: "record",
    action: "create",
    objectType: intent.objectType,
    reason: "no_match",
    summary: label,
    evidence: found.evidence,
    properties,
    ...(key === undefined ? {} : { key }),
  });
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
      desired.ranks[field],
    );
    if (decision.write) {
      properties[field] = value;
      const fromLabel = desired.labels[`${field}:from`];
      const toLabel = desired.labels[field];
      changes.push({
        ...decision.change,
        ...(fromLabel === undefined ? {} : { fromLabel }),
        ...(toLabel === undefined ? {} : { toLabel }),
      });
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
    note(ctx, id, `update: ${changes.map((change) => change.field).join(", ")} differ`);
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
    labels: {},
    ranks: {},
    reviews: [],
    ownerId: ownerText(existing?.properties["owner_id"]),
  };
  for (const field of Object.keys(intent.properties)) {
    const value = intent.properties[field];
    if (value !== undefined) desired.values[field] = value;
  }
  if (type === "contact" || type === "company")
    desired.ranks["lifecycle_stage"] = lifecycleRank(ctx.policy.lifecycleOrder);
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
    desired.labels["stage_id"] = stage.stage.label;
    if (stage.from !== undefined) desired.labels["stage_id:from"] = stage.from.label;
    desired.ranks["stage_id"] = stage.rank;
  } else if (stage.why !== undefined) note(ctx, id, stage.why);
  desireOwner(ctx, intent, id, existing, desired);
  checkFields(ctx, type, id, desired);

  const target =
    found.kind === "none"
      ? writeCreate(ctx, intent, id, label, found, desired)
      : writeUpdate(ctx, intent, id, found, desired);
  ctx.plannedKeys.set(found.key, id);
  const outcome: Outcome = {
    status: "ready",
    target,
    label: existing !== undefined && intent.match.by === "open_deal" ? `deal ${existing.id}` : label,
    ...(existing === undefined ? {} : { record: existing }),
    ...(desired.ownerId === undefined ? {} : { ownerId: desired.ownerId }),
  };
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
