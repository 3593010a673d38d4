import type { CrmValue, FieldMeta } from "../adapter/index.js";
import type { FieldOwnership } from "./policy.js";
import type { FieldChange } from "./types.js";

/** True for values a CRM shows as empty. */
export function isEmpty(value: CrmValue | undefined): boolean {
  return (
    value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)
  );
}

function text(value: CrmValue | undefined): string {
  if (value === undefined || value === null) return "";
  return Array.isArray(value) ? value.join(";") : String(value);
}

/** CRMs return numbers and booleans as strings (HubSpot), so values compare by their text. */
export function sameValue(a: CrmValue | undefined, b: CrmValue | undefined): boolean {
  return a === b || text(a) === text(b);
}

const metaIndexes = new WeakMap<readonly FieldMeta[], Map<string, FieldMeta>>();

/** A `describeFields` answer by field key, built once per answer. */
export function fieldIndex(
  fields: readonly FieldMeta[] | undefined,
): ReadonlyMap<string, FieldMeta> | undefined {
  if (fields === undefined) return undefined;
  let index = metaIndexes.get(fields);
  if (index === undefined) {
    index = new Map(fields.map((meta) => [meta.key, meta]));
    metaIndexes.set(fields, index);
  }
  return index;
}

/** The outcome of checking a value against a field's enum options. */
export type EnumCheck =
  | { readonly ok: true; readonly value: CrmValue; readonly mapped: boolean }
  | { readonly ok: false; readonly message: string };

function option(meta: FieldMeta, value: string): string | undefined {
  const options = meta.options ?? [];
  for (const candidate of options) if (candidate.value === value) return candidate.value;
  const lower = value.toLowerCase();
  for (const candidate of options) {
    if (candidate.value.toLowerCase() === lower || candidate.label.toLowerCase() === lower)
      return candidate.value;
  }
  return undefined;
}

/**
 * Checks a value against the field's enum options before anything is written, mapping a label or a
 * differently-cased value to the option's value (`"high"` → `"HIGH"`); anything else is `invalid_enum`.
 * Non-enum fields and fields without metadata pass unchanged.
 */
export function checkEnum(meta: FieldMeta | undefined, value: CrmValue): EnumCheck {
  if (
    meta === undefined ||
    (meta.type !== "enum" && meta.type !== "multi_enum") ||
    meta.options === undefined
  ) {
    return { ok: true, value, mapped: false };
  }
  if (value === null) return { ok: true, value, mapped: false };
  const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
  const out: string[] = [];
  for (const candidate of values) {
    const found = option(meta, candidate);
    if (found === undefined) {
      const allowed = meta.options.map((entry) => entry.value).join(", ");
      return {
        ok: false,
        message: `${JSON.stringify(candidate)} is not an option of ${meta.label} (${allowed})`,
      };
    }
    out.push(found);
  }
  const mapped = out.some((found, i) => found !== values[i]);
  if (Array.isArray(value)) return { ok: true, value: out, mapped };
  return { ok: true, value: out[0]!, mapped };
}

/** Where a value sits in an ordered scale (lifecycle stages, pipeline stages); `undefined` when off the scale. */
export type Rank = (value: CrmValue) => number | undefined;

/** Decision for one field of an existing record. */
export type FieldDecision =
  | { readonly write: true; readonly change: FieldChange }
  | { readonly write: false; readonly why: string | undefined };

/**
 * Decides whether one desired value is written over the record's current one: ownership first (`crm` never
 * overwrites, `fill_if_empty` only fills), then ordered fields never move backwards (nor off a value the scale
 * does not know), then unchanged values are left alone. `why` explains a held-back value for the trace.
 */
export function decideField(
  field: string,
  current: CrmValue | undefined,
  desired: CrmValue,
  ownership: FieldOwnership,
  rank: Rank | undefined,
): FieldDecision {
  if (sameValue(current, desired)) return { write: false, why: undefined };
  const empty = isEmpty(current);
  if (!empty && ownership === "crm") return { write: false, why: `${field} is owned by the CRM once set` };
  if (!empty && ownership === "fill_if_empty") return { write: false, why: `${field} already has a value` };
  if (!empty && rank !== undefined) {
    const from = rank(current ?? null);
    const to = rank(desired);
    if (from === undefined || to === undefined) {
      return {
        write: false,
        why: `${field} ${text(current)} → ${text(desired)} is not on the known order; left alone`,
      };
    }
    if (to < from)
      return { write: false, why: `${field} would move backwards (${text(current)} → ${text(desired)})` };
    if (to === from) return { write: false, why: undefined };
  }
  return { write: true, change: { field, from: current ?? null, to: desired } };
}
