import type { CrmObjectType, CrmRecord, CrmValue } from "../adapter/index.js";
import type { RecordIntent } from "../intents/index.js";
import { note, type PlanContext } from "./context.js";
import { checkEnum, fieldIndex, isEmpty, type Rank } from "./fields.js";
import { type FieldReview, planOwner } from "./plan-owner.js";
import type { FieldOwnership, PlanPolicy } from "./policy.js";
import { entry } from "./snapshot.js";

// What one record intent wants written, worked out field by field before `planRecord` compares it with the record.

/** The ownership of a field under the policy; unlisted fields are the source's. */
export function ownershipOf(policy: PlanPolicy, type: CrmObjectType, field: string): FieldOwnership {
  return entry(policy.fieldOwnership[type], field) ?? "source";
}

/** Desired values of one record after pipeline, owner and enum decisions. */
export interface Desired {
  readonly values: Record<string, CrmValue>;
  /** Display label of the owner written to `owner_id`. */
  ownerLabel: string | undefined;
  /** Display labels of the stage written to `stage_id` and of the record's current stage. */
  stageLabel: string | undefined;
  stageFromLabel: string | undefined;
  /** The scales `lifecycle_stage` and `stage_id` only move forward on. */
  lifecycleRank: Rank | undefined;
  stageRank: Rank | undefined;
  readonly reviews: FieldReview[];
  ownerId: string | undefined;
}

/**
 * The scale `field` only moves forward on, when it has one. Only two fields have one (and only two have labels), so
 * they are fields of {@link Desired}: a comparison per field is cheaper than a keyed lookup in a record.
 */
export function rankOf(desired: Desired, field: string): Rank | undefined {
  if (field === "lifecycle_stage") return desired.lifecycleRank;
  return field === "stage_id" ? desired.stageRank : undefined;
}

/** The display label of the value written to `field`, when it has one. */
export function toLabelOf(desired: Desired, field: string): string | undefined {
  if (field === "owner_id") return desired.ownerLabel;
  return field === "stage_id" ? desired.stageLabel : undefined;
}

/** An owner id as text, or `undefined` when the record has none. */
export function ownerText(value: CrmValue | undefined): string | undefined {
  return isEmpty(value) || Array.isArray(value) ? undefined : String(value);
}

/** Adds the owner unless the CRM already owns the field; owner problems become field reviews. */
export function desireOwner(
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
    desired.ownerLabel = owner.label;
    desired.ownerId = owner.ownerId;
  }
}

/** Drops read-only fields, maps enum labels to values, and turns values that are no option into reviews. */
export function checkFields(ctx: PlanContext, type: CrmObjectType, id: string, desired: Desired): void {
  const fields = fieldIndex(ctx.snapshot.fields?.[type]);
  if (fields === undefined) return;
  for (const field of Object.keys(desired.values)) {
    if (field === "owner_id" || field === "pipeline_id" || field === "stage_id") continue;
    const meta = fields.get(field);
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
