import type { CrmObjectType, CrmOwner, CrmPipeline, CrmValue, FieldMeta } from "../../adapter/index.js";
import { CrmError, type CrmErrorReason } from "../../errors/index.js";
import { typicalStatus } from "./faults.js";

/** What validation needs to know about the fake CRM's account. */
export interface ValidationContext {
  readonly provider: string;
  readonly fields: ReadonlyMap<CrmObjectType, ReadonlyMap<string, FieldMeta>>;
  readonly owners: readonly CrmOwner[];
  readonly pipelines: readonly CrmPipeline[];
}

/** Builds a {@link CrmError} the way a vendor's validation response would map to one. */
export function rejection(
  provider: string,
  reason: CrmErrorReason,
  message: string,
  fields?: string[],
): CrmError {
  return new CrmError({ reason, provider, message, status: typicalStatus(reason), fields });
}

const STRINGISH = new Set<FieldMeta["type"]>([
  "string",
  "text",
  "email",
  "phone",
  "date",
  "datetime",
  "reference",
]);

// Field metadata is fixed once the fake CRM exists; what validation derives from it is derived once.
const optionSets = new WeakMap<FieldMeta, ReadonlySet<string>>();
const requiredFields = new WeakMap<ReadonlyMap<string, FieldMeta>, readonly FieldMeta[]>();
const NO_FIELDS: ReadonlyMap<string, FieldMeta> = new Map();

function optionsOf(meta: FieldMeta): ReadonlySet<string> {
  let allowed = optionSets.get(meta);
  if (allowed === undefined) {
    allowed = new Set((meta.options ?? []).map((o) => o.value));
    optionSets.set(meta, allowed);
  }
  return allowed;
}

function requiredOf(fields: ReadonlyMap<string, FieldMeta>): readonly FieldMeta[] {
  let required = requiredFields.get(fields);
  if (required === undefined) {
    required = [...fields.values()].filter((meta) => meta.required === true);
    requiredFields.set(fields, required);
  }
  return required;
}

function checkValue(ctx: ValidationContext, meta: FieldMeta, value: CrmValue): void {
  if (value === null) return;
  const bad = (why: string): never => {
    throw rejection(ctx.provider, "validation_failed", `Property "${meta.key}" ${why}`, [meta.key]);
  };
  if (STRINGISH.has(meta.type)) {
    if (typeof value !== "string") bad(`expects a string, got ${typeof value}`);
    if (meta.type === "email" && !/^[^@\s]+@[^@\s]+$/.test(value as string))
      bad("is not a valid email address");
    if (meta.type === "date" && Number.isNaN(Date.parse(value as string))) bad("is not a valid date");
    return;
  }
  if (meta.type === "number") {
    if (
      typeof value === "number"
        ? !Number.isFinite(value)
        : typeof value !== "string" || !Number.isFinite(Number(value))
    )
      bad("expects a number");
    return;
  }
  if (meta.type === "boolean") {
    if (typeof value !== "boolean") bad("expects a boolean");
    return;
  }
  const allowed = optionsOf(meta);
  const values = meta.type === "multi_enum" && Array.isArray(value) ? value : [value];
  for (const v of values) {
    if (typeof v !== "string" || !allowed.has(v)) {
      throw rejection(
        ctx.provider,
        "invalid_enum",
        `"${String(v)}" is not an option of "${meta.key}" (${[...allowed].join(", ")})`,
        [meta.key],
      );
    }
  }
}

function checkOwner(ctx: ValidationContext, ownerId: CrmValue | undefined): void {
  if (ownerId === undefined || ownerId === null) return;
  const owner = ctx.owners.find((o) => o.id === String(ownerId));
  if (owner === undefined) {
    throw rejection(ctx.provider, "validation_failed", `Owner "${String(ownerId)}" does not exist`, [
      "owner_id",
    ]);
  }
  if (!owner.active) {
    throw rejection(ctx.provider, "inactive_owner", `Owner "${owner.id}" is inactive`, ["owner_id"]);
  }
}

/** Fills a new deal's or ticket's pipeline and stage, then checks the stage belongs to the pipeline. */
function checkPipeline(
  ctx: ValidationContext,
  type: "deal" | "ticket",
  merged: Record<string, CrmValue>,
): void {
  const candidates = ctx.pipelines.filter((p) => p.objectType === type);
  if (merged["pipeline_id"] === undefined || merged["pipeline_id"] === null) {
    const first = candidates[0];
    if (first === undefined) return;
    merged["pipeline_id"] = first.id;
  }
  const pipeline = candidates.find((p) => p.id === String(merged["pipeline_id"]));
  if (pipeline === undefined) {
    const message = `Pipeline "${String(merged["pipeline_id"])}" does not exist for ${type}s`;
    throw rejection(ctx.provider, "validation_failed", message, ["pipeline_id"]);
  }
  if (merged["stage_id"] === undefined || merged["stage_id"] === null) {
    const first = [...pipeline.stages].sort((a, b) => a.order - b.order)[0];
    if (first !== undefined) merged["stage_id"] = first.id;
    return;
  }
  if (!pipeline.stages.some((s) => s.id === String(merged["stage_id"]))) {
    const message = `Stage "${String(merged["stage_id"])}" is not in pipeline "${pipeline.id}"`;
    throw rejection(ctx.provider, "validation_failed", message, ["stage_id"]);
  }
}

/**
 * Validates a write as a CRM would and returns the record's properties after it. `current` is the stored record's
 * properties for an update, `undefined` for a create. Throws the `CrmError` the write fails with.
 */
export function validateWrite(
  ctx: ValidationContext,
  type: CrmObjectType,
  properties: Readonly<Record<string, CrmValue>>,
  current: Readonly<Record<string, CrmValue>> | undefined,
): Record<string, CrmValue> {
  const fields = ctx.fields.get(type) ?? NO_FIELDS;
  const keys = Object.keys(properties);
  const unknown = keys.some((key) => !fields.has(key)) ? keys.filter((key) => !fields.has(key)) : [];
  if (unknown.length > 0) {
    throw rejection(
      ctx.provider,
      "invalid_property",
      `Unknown ${type} properties: ${unknown.join(", ")}`,
      unknown,
    );
  }
  for (const key of keys) {
    const value = properties[key] as CrmValue;
    const meta = fields.get(key) as FieldMeta;
    if (meta.readOnly === true) {
      throw rejection(ctx.provider, "validation_failed", `Property "${key}" is read-only`, [key]);
    }
    checkValue(ctx, meta, value);
  }
  checkOwner(ctx, properties["owner_id"]);
  // One spread and assignments: a second spread in the same literal takes V8's slow path.
  const merged: Record<string, CrmValue> = { ...current };
  for (const key of keys) merged[key] = properties[key] as CrmValue;
  if (type === "deal" || type === "ticket") checkPipeline(ctx, type, merged);
  if (current === undefined) {
    const missing = requiredOf(fields)
      .filter(
        (meta) => merged[meta.key] === undefined || merged[meta.key] === null || merged[meta.key] === "",
      )
      .map((meta) => meta.key);
    if (missing.length > 0) {
      throw rejection(
        ctx.provider,
        "missing_required_field",
        `Missing required ${type} properties: ${missing.join(", ")}`,
        missing,
      );
    }
  }
  return merged;
}
