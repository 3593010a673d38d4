import type { CrmObjectType, CrmRecord, CrmValue, FieldMeta, FieldType } from "../../adapter/index.js";
import { CrmError } from "../../errors/index.js";
import { fromDue, idOf, normalizeWebsite, primaryChannel, statusStageId, toIso } from "./values.js";

// Pure translation between crmkit's canonical field keys and Pipedrive's v2 JSON (v1 for notes). Everything that
// needs the field endpoints (labels → 40-hex keys, enum option ids) lives in fields.ts, the formats of single
// values (websites, channel lists, due dates, won/lost stage ids) in values.ts.

// lookups, list-index, write-body and writes import these value formats from here.

/** A field definition as `GET /api/v2/{entity}Fields` lists it. */
export interface PipedriveFieldDef {
  readonly field_code: string;
  readonly field_name: string;
  readonly field_type: string;
  readonly options?: readonly { readonly id: number; readonly label: string }[] | null | undefined;
  readonly is_custom_field?: boolean | undefined;
}

/** The Pipedrive entity behind each crmkit object type (`undefined`: no field endpoint). */
export const PIPEDRIVE_ENTITIES = {
  contact: { path: "api/v2/persons", fields: "api/v2/personFields", entity: "person" },
  company: { path: "api/v2/organizations", fields: "api/v2/organizationFields", entity: "organization" },
  deal: { path: "api/v2/deals", fields: "api/v2/dealFields", entity: "deal" },
  task: { path: "api/v2/activities", fields: "api/v2/activityFields", entity: "activity" },
  note: { path: "v1/notes", fields: undefined, entity: "note" },
} as const;

/** The crmkit object types the adapter supports. */
export type PipedriveObjectType = keyof typeof PIPEDRIVE_ENTITIES;

/** Canonical keys with a standard Pipedrive field, and the field's code (for `describeFields`). */
export const STANDARD_FIELDS: Readonly<Record<PipedriveObjectType, Readonly<Record<string, string>>>> = {
  contact: {
    email: "emails",
    phone: "phones",
    first_name: "first_name",
    last_name: "last_name",
    job_title: "job_title",
    owner_id: "owner_id",
  },
  company: { name: "name", owner_id: "owner_id" },
  deal: {
    name: "title",
    pipeline_id: "pipeline_id",
    stage_id: "stage_id",
    amount: "value",
    currency: "currency",
    owner_id: "owner_id",
    close_date: "expected_close_date",
    status: "status",
  },
  task: {
    subject: "subject",
    body: "note",
    due_at: "due_date",
    owner_id: "owner_id",
    done: "done",
    type: "type",
  },
  note: { body: "content" },
};

/**
 * Canonical keys Pipedrive has no field for, dropped on writes unless `fieldMap` maps them to a custom field:
 * crmkit's lead recipe sets a contact's `lifecycle_stage`, which HubSpot has and Pipedrive does not.
 */
export const UNSUPPORTED_UNLESS_MAPPED: Readonly<Partial<Record<PipedriveObjectType, readonly string[]>>> = {
  contact: ["lifecycle_stage"],
  task: ["priority", "status"],
};

/** A custom field's stored value as a canonical value (enum ids → labels, monetary → amount, address → text). */
export function fromCustomValue(def: PipedriveFieldDef, value: unknown): CrmValue | undefined {
  if (value === null || value === undefined) return undefined;
  const label = (id: unknown) => def.options?.find((o) => o.id === Number(id))?.label;
  switch (def.field_type) {
    case "enum":
      return label(value) ?? String(value);
    case "set":
      return Array.isArray(value) ? value.map((v) => label(v) ?? String(v)) : undefined;
    case "monetary":
    case "address": {
      const inner = typeof value === "object" ? (value as Record<string, unknown>)["value"] : value;
      return typeof inner === "number" || typeof inner === "string" ? inner : undefined;
    }
    case "user":
    case "org":
    case "people":
      return idOf(typeof value === "object" ? (value as Record<string, unknown>)["id"] : value);
    default:
      return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? value
        : undefined;
  }
}

/** The crmkit field type of a Pipedrive field type. */
export function fieldTypeOf(def: PipedriveFieldDef, key: string): FieldType {
  if (key === "email") return "email";
  if (key === "owner_id" || key === "pipeline_id" || key === "stage_id") return "reference";
  switch (def.field_type) {
    case "int":
    case "double":
    case "monetary":
      return "number";
    case "boolean":
      return "boolean";
    case "date":
      return "date";
    case "enum":
    case "status":
      return "enum";
    case "set":
      return "multi_enum";
    case "phone":
      return "phone";
    case "text":
      return "text";
    case "user":
    case "org":
    case "people":
    case "stage":
      return "reference";
    default:
      return "string";
  }
}

/** A Pipedrive field as {@link FieldMeta} under canonical `key`; enum options are written by label. */
export function toFieldMeta(key: string, def: PipedriveFieldDef): FieldMeta {
  const type = fieldTypeOf(def, key);
  const options =
    (type === "enum" || type === "multi_enum") && def.options !== null && def.options !== undefined
      ? def.options.map((o) => ({ value: o.label, label: o.label }))
      : undefined;
  return {
    key,
    apiName: def.field_code,
    label: def.field_name,
    type,
    ...(options === undefined || options.length === 0 ? {} : { options }),
  };
}

/** What reading a record needs besides its JSON: the custom fields by canonical key and the domain strategy. */
export interface ReadShape {
  readonly custom: ReadonlyMap<string, PipedriveFieldDef>;
  /** The custom field holding an organization's domain, when the strategy uses one. */
  readonly domainField?: PipedriveFieldDef | undefined;
}

/** Pipedrive JSON (v2, or v1 for notes) → canonical {@link CrmRecord}. */
export function toCrmRecord(
  type: PipedriveObjectType,
  json: Record<string, unknown>,
  shape: ReadShape,
): CrmRecord {
  const p: Record<string, CrmValue> = {};
  const put = (key: string, value: CrmValue | undefined): void => {
    if (value !== undefined && value !== null && value !== "") p[key] = value;
  };
  const associations: Partial<Record<CrmObjectType, string[]>> = {};
  const link = (to: CrmObjectType, value: unknown): void => {
    const id = idOf(
      typeof value === "object" && value !== null ? (value as { value?: unknown }).value : value,
    );
    if (id !== undefined) associations[to] = [id];
  };
  switch (type) {
    case "contact":
      put("email", primaryChannel(json["emails"])?.toLowerCase());
      put("phone", primaryChannel(json["phones"]));
      put("first_name", json["first_name"] as string | undefined);
      put("last_name", json["last_name"] as string | undefined);
      put("job_title", json["job_title"] as string | undefined);
      link("company", json["org_id"]);
      break;
    case "company": {
      put("name", json["name"] as string | undefined);
      const custom = (json["custom_fields"] ?? {}) as Record<string, unknown>;
      put(
        "domain",
        shape.domainField === undefined
          ? normalizeWebsite(json["website"])
          : normalizeWebsite(custom[shape.domainField.field_code]),
      );
      break;
    }
    case "deal": {
      put("name", json["title"] as string | undefined);
      const pipeline = idOf(json["pipeline_id"]);
      put("pipeline_id", pipeline);
      const status = json["status"];
      put(
        "stage_id",
        (status === "won" || status === "lost") && pipeline !== undefined
          ? statusStageId(pipeline, status)
          : idOf(json["stage_id"]),
      );
      put("amount", typeof json["value"] === "number" ? json["value"] : undefined);
      put("currency", json["currency"] as string | undefined);
      put("close_date", json["expected_close_date"] as string | undefined);
      put("status", status as string | undefined);
      link("contact", json["person_id"]);
      link("company", json["org_id"]);
      break;
    }
    case "task":
      put("subject", json["subject"] as string | undefined);
      put("body", json["note"] as string | undefined);
      put("due_at", fromDue(json["due_date"], json["due_time"]));
      put("type", json["type"] as string | undefined);
      if (typeof json["done"] === "boolean") p["done"] = json["done"];
      link("contact", json["person_id"]);
      link("deal", json["deal_id"]);
      link("company", json["org_id"]);
      break;
    case "note":
      put("body", json["content"] as string | undefined);
      link("contact", json["person_id"]);
      link("deal", json["deal_id"]);
      link("company", json["org_id"]);
      break;
  }
  if (type !== "note") put("owner_id", idOf(json["owner_id"]));
  const custom = (json["custom_fields"] ?? {}) as Record<string, unknown>;
  for (const [key, def] of shape.custom) {
    if (key in p) continue;
    put(key, fromCustomValue(def, custom[def.field_code]));
  }
  const created = json["add_time"];
  const updated = json["update_time"];
  return {
    type,
    id: String(json["id"]),
    properties: p,
    ...(typeof created === "string" ? { createdAt: toIso(created) } : {}),
    ...(typeof updated === "string" ? { updatedAt: toIso(updated) } : {}),
    ...(Object.keys(associations).length === 0 ? {} : { associations }),
  };
}

/** The error of an operation the adapter cannot do for a type. */
export const unsupported = (type: CrmObjectType, what: string): CrmError =>
  new CrmError({
    reason: "configuration_error",
    provider: "pipedrive",
    message: `The Pipedrive adapter cannot ${what} for ${type} records`,
  });

/** The Pipedrive object type of a crmkit type; tickets have none. */
export function supported(type: CrmObjectType): PipedriveObjectType {
  if (type === "ticket")
    throw unsupported(type, "read or write (Pipedrive has no tickets; crmkit writes an activity)");
  return type;
}
