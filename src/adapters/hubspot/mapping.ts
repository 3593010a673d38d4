import type {
  CrmObjectType,
  CrmProperties,
  CrmRecord,
  CrmValue,
  FieldMeta,
  FieldType,
} from "../../adapter/index.js";

// Pure translation between crmkit's canonical field keys and HubSpot's internal property names and string
// values. Everything that needs the properties API (labels, enum options) lives in metadata.ts.

/** The default HubSpot property behind each canonical key, per object type. */
export const DEFAULT_HUBSPOT_PROPERTIES: Readonly<Record<CrmObjectType, Readonly<Record<string, string>>>> = {
  contact: {
    email: "email",
    first_name: "firstname",
    last_name: "lastname",
    phone: "phone",
    job_title: "jobtitle",
    owner_id: "hubspot_owner_id",
    lifecycle_stage: "lifecyclestage",
  },
  company: { name: "name", domain: "domain", owner_id: "hubspot_owner_id" },
  deal: {
    name: "dealname",
    pipeline_id: "pipeline",
    stage_id: "dealstage",
    amount: "amount",
    currency: "deal_currency_code",
    owner_id: "hubspot_owner_id",
    close_date: "closedate",
  },
  ticket: {
    subject: "subject",
    description: "content",
    priority: "hs_ticket_priority",
    pipeline_id: "hs_pipeline",
    stage_id: "hs_pipeline_stage",
    owner_id: "hubspot_owner_id",
  },
  note: { body: "hs_note_body", timestamp: "hs_timestamp", owner_id: "hubspot_owner_id" },
  task: {
    subject: "hs_task_subject",
    body: "hs_task_body",
    due_at: "hs_timestamp",
    owner_id: "hubspot_owner_id",
    priority: "hs_task_priority",
    status: "hs_task_status",
  },
};

/** Default of the `externalRefProperty` option: the ticket property holding `external_ref`. */
export const DEFAULT_EXTERNAL_REF_PROPERTY = "crmkit_external_ref";

/** The property HubSpot stamps with the last modification time (contacts use the un-prefixed name). */
export function lastModifiedProperty(type: CrmObjectType): string {
  return type === "contact" ? "lastmodifieddate" : "hs_lastmodifieddate";
}

// Canonical values that HubSpot spells in upper case (ticket and task priorities, task status).
const UPPER_CASE_KEYS: Readonly<Partial<Record<CrmObjectType, readonly string[]>>> = {
  ticket: ["priority"],
  task: ["priority", "status"],
};
const NUMERIC_KEYS: Readonly<Partial<Record<CrmObjectType, readonly string[]>>> = { deal: ["amount"] };

/**
 * A canonical value as HubSpot's wire format wants it: every value is a string, booleans `"true"`/`"false"`,
 * multi-select arrays `;`-joined, and `null` the empty string (which clears the property).
 *
 * @example
 * toHubSpotValue(["a", "b"]) // "a;b"
 */
export function toHubSpotValue(value: CrmValue): string {
  if (value === null) return "";
  if (Array.isArray(value)) return value.join(";");
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return String(value);
}

/** The resolved canonical key ↔ HubSpot name table of one object type. */
export interface PropertyMap {
  readonly type: CrmObjectType;
  /** Canonical key → HubSpot internal name. */
  readonly toHubSpot: ReadonlyMap<string, string>;
  /** HubSpot internal name → canonical key. */
  readonly toCanonical: ReadonlyMap<string, string>;
}

/** Builds a {@link PropertyMap} from the defaults and already-resolved overrides (canonical → internal name). */
export function createPropertyMap(
  type: CrmObjectType,
  overrides: Readonly<Record<string, string>> = {},
): PropertyMap {
  const toHubSpot = new Map(Object.entries({ ...DEFAULT_HUBSPOT_PROPERTIES[type], ...overrides }));
  const toCanonical = new Map<string, string>();
  for (const [key, name] of toHubSpot) if (!toCanonical.has(name)) toCanonical.set(name, key);
  return { type, toHubSpot, toCanonical };
}

/** The HubSpot name of a canonical key; keys without a mapping pass through as internal names. */
export function hubSpotName(map: PropertyMap, key: string): string {
  return map.toHubSpot.get(key) ?? key;
}

/** Canonical properties → HubSpot `properties` (names mapped, values stringified and cased). */
export function toHubSpotProperties(map: PropertyMap, properties: CrmProperties): Record<string, string> {
  const upper = UPPER_CASE_KEYS[map.type] ?? [];
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined) continue;
    const text = toHubSpotValue(value);
    out[hubSpotName(map, key)] = upper.includes(key) ? text.toUpperCase() : text;
  }
  return out;
}

// Stamped on every read; not canonical data.
const SYSTEM_PROPERTIES = new Set(["hs_object_id", "createdate", "lastmodifieddate", "hs_lastmodifieddate"]);

/**
 * HubSpot `properties` → canonical properties. Only mapped names come back (HubSpot adds `hs_object_id`,
 * `createdate` and the modification date to every read); empty values are dropped.
 */
export function fromHubSpotProperties(
  map: PropertyMap,
  properties: Readonly<Record<string, string | null | undefined>>,
): Record<string, CrmValue> {
  const upper = UPPER_CASE_KEYS[map.type] ?? [];
  const numeric = NUMERIC_KEYS[map.type] ?? [];
  const out: Record<string, CrmValue> = {};
  for (const [name, value] of Object.entries(properties)) {
    if (value === null || value === undefined || value === "") continue;
    let key = map.toCanonical.get(name);
    if (key === undefined) {
      // Unmapped custom properties pass through under their own name, unless that name is a canonical key
      // standing for another property (a deal's `name` is `dealname`).
      if (SYSTEM_PROPERTIES.has(name) || map.toHubSpot.has(name)) continue;
      key = name;
    }
    if (numeric.includes(key) && Number.isFinite(Number(value))) out[key] = Number(value);
    else out[key] = upper.includes(key) ? value.toLowerCase() : value;
  }
  return out;
}

/** HubSpot's `SimplePublicObject`, the record shape of every object endpoint. */
export interface HubSpotObject {
  readonly id: string;
  readonly properties: Readonly<Record<string, string | null>>;
  readonly createdAt?: string | undefined;
  readonly updatedAt?: string | undefined;
  readonly archived?: boolean | undefined;
}

/** A HubSpot object as a canonical {@link CrmRecord}. */
export function toCrmRecord(map: PropertyMap, object: HubSpotObject): CrmRecord {
  return {
    type: map.type,
    id: String(object.id),
    properties: fromHubSpotProperties(map, object.properties ?? {}),
    ...(object.createdAt === undefined ? {} : { createdAt: object.createdAt }),
    ...(object.updatedAt === undefined ? {} : { updatedAt: object.updatedAt }),
  };
}

/** One property definition from the properties API (`GET …/properties/{objectType}`). */
export interface HubSpotProperty {
  readonly name: string;
  readonly label?: string | undefined;
  readonly type?: string | undefined;
  readonly fieldType?: string | undefined;
  readonly options?:
    | readonly { readonly label: string; readonly value: string; readonly hidden?: boolean | undefined }[]
    | undefined;
  readonly hasUniqueValue?: boolean | undefined;
  readonly calculated?: boolean | undefined;
  readonly hidden?: boolean | undefined;
  readonly modificationMetadata?: { readonly readOnlyValue?: boolean | undefined } | undefined;
}

/** The crmkit field type of a HubSpot property. */
export function fieldTypeOf(property: HubSpotProperty): FieldType {
  if (property.name === "hubspot_owner_id") return "reference";
  if (property.name === "email") return "email";
  if (property.fieldType === "phonenumber" || property.name === "phone" || property.name === "mobilephone")
    return "phone";
  switch (property.type) {
    case "number":
      return "number";
    case "bool":
      return "boolean";
    case "date":
      return "date";
    case "datetime":
      return "datetime";
    case "enumeration":
      return property.fieldType === "checkbox" ? "multi_enum" : "enum";
    default:
      return property.fieldType === "textarea" || property.fieldType === "html" ? "text" : "string";
  }
}

/** A HubSpot property as {@link FieldMeta} under canonical `key`. */
export function toFieldMeta(key: string, property: HubSpotProperty): FieldMeta {
  const type = fieldTypeOf(property);
  const readOnly = property.calculated === true || property.modificationMetadata?.readOnlyValue === true;
  const options =
    (type === "enum" || type === "multi_enum") && property.options !== undefined
      ? property.options.map((o) => ({ value: o.value, label: o.label }))
      : undefined;
  return {
    key,
    apiName: property.name,
    label: property.label ?? property.name,
    type,
    ...(options === undefined ? {} : { options }),
    ...(readOnly ? { readOnly } : {}),
    ...(property.hasUniqueValue === true ? { unique: true } : {}),
  };
}
