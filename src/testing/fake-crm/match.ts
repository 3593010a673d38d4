import type { CrmObjectType, CrmValue } from "../../adapter/index.js";

const CASE_INSENSITIVE = new Set(["email", "domain"]);

/** How `find` compares values: emails and domains case-insensitively, everything else exactly. */
export function normalize(field: string, value: string): string {
  return CASE_INSENSITIVE.has(field) ? value.trim().toLowerCase() : value;
}

/** The values a record offers for `field`: a company's `domain` also answers for its secondary domains. */
export function valuesOf(
  type: CrmObjectType,
  field: string,
  props: Readonly<Record<string, CrmValue>>,
): string[] {
  const out: string[] = [];
  pushValues(out, field, props[field], false);
  if (type === "company" && field === "domain") pushValues(out, field, props["secondary_domains"], true);
  return out;
}

// A module-level function rather than a closure per call: `valuesOf` runs on every indexed write.
function pushValues(out: string[], field: string, value: CrmValue | undefined, split: boolean): void {
  if (value === undefined || value === null || value === "") return;
  if (Array.isArray(value)) for (const item of value) out.push(normalize(field, item));
  else if (!split) out.push(normalize(field, String(value)));
  else {
    for (const item of String(value).split(";")) if (item.trim() !== "") out.push(normalize(field, item));
  }
}

/** Groups of two or more records sharing a (normalized) value of `field`, in insertion order. */
export function duplicateGroups<T extends { readonly properties: Readonly<Record<string, CrmValue>> }>(
  type: CrmObjectType,
  field: string,
  records: readonly T[],
): T[][] {
  const groups = new Map<string, T[]>();
  for (const record of records) {
    for (const value of new Set(valuesOf(type, field, { [field]: record.properties[field] ?? null }))) {
      groups.set(value, [...(groups.get(value) ?? []), record]);
    }
  }
  return [...groups.values()].filter((group) => group.length > 1);
}
