import { createHash } from "node:crypto";
import { fail } from "../common/router.js";
import { validationError } from "./errors.js";
import type {
  PipedriveCustomFieldType,
  PipedriveEmulatorOptions,
  PipedriveFieldEntity,
  PipedriveFieldOption,
} from "./types.js";

/** A field definition, standard or custom, as the field endpoints list it. */
export interface StoredField {
  /** v1 numeric id. */
  id: number;
  /** v2 `field_code` / v1 `key`: readable for standard fields, 40 hex characters for custom ones. */
  key: string;
  name: string;
  type: PipedriveCustomFieldType | "stage" | "status" | "deal" | "activity" | "visible_to";
  options: Required<PipedriveFieldOption>[];
  custom: boolean;
}

/** Every entity with field definitions. */
export const FIELD_ENTITIES: readonly PipedriveFieldEntity[] = ["person", "organization", "deal", "activity"];

type Standard = readonly [key: string, name: string, type: StoredField["type"]];

// A representative subset of each entity's standard fields: enough for adapters that read field lists to map
// labels to codes, without reproducing Pipedrive's full field catalogue.
const STANDARD: Record<PipedriveFieldEntity, readonly Standard[]> = {
  person: [
    ["name", "Name", "varchar"],
    ["owner_id", "Owner", "user"],
    ["org_id", "Organization", "org"],
    ["emails", "Email", "varchar"],
    ["phones", "Phone", "phone"],
    ["job_title", "Job title", "varchar"],
  ],
  organization: [
    ["name", "Name", "varchar"],
    ["owner_id", "Owner", "user"],
    ["address", "Address", "address"],
    ["website", "Website", "varchar"],
  ],
  deal: [
    ["title", "Title", "varchar"],
    ["value", "Value", "monetary"],
    ["owner_id", "Owner", "user"],
    ["person_id", "Contact person", "people"],
    ["org_id", "Organization", "org"],
    ["stage_id", "Stage", "stage"],
    ["status", "Status", "status"],
    ["expected_close_date", "Expected close date", "date"],
  ],
  activity: [
    ["subject", "Subject", "varchar"],
    ["type", "Type", "varchar"],
    ["due_date", "Due date", "date"],
    ["owner_id", "Assigned to user", "user"],
    ["deal_id", "Deal", "deal"],
    ["person_id", "Contact person", "people"],
    ["org_id", "Organization", "org"],
    ["done", "Done", "boolean"],
  ],
};

const HASH_KEY = /^[0-9a-f]{40}$/;

/** The deterministic 40-hex key of a custom field without an explicit one. */
export const fieldKey = (seed: number, entity: PipedriveFieldEntity, name: string): string =>
  createHash("sha1").update(`${seed}:${entity}:${name}`).digest("hex");

/** Builds every entity's field list from the options; throws on malformed custom fields. */
export function createCustomFields(
  options: PipedriveEmulatorOptions,
): Record<PipedriveFieldEntity, StoredField[]> {
  const seed = options.seed ?? 1;
  const used = new Set<number>();
  for (const entity of FIELD_ENTITIES)
    for (const field of options.customFields?.[entity] ?? [])
      for (const option of field.options ?? []) if (option.id !== undefined) used.add(option.id);
  let nextOption = 101;
  const optionId = (): number => {
    while (used.has(nextOption)) nextOption++;
    used.add(nextOption);
    return nextOption;
  };
  const out = {} as Record<PipedriveFieldEntity, StoredField[]>;
  const keys = new Set<string>();
  for (const entity of FIELD_ENTITIES) {
    const list: StoredField[] = STANDARD[entity].map(([key, name, type], i) => ({
      id: i + 1,
      key,
      name,
      type,
      options: [],
      custom: false,
    }));
    for (const field of options.customFields?.[entity] ?? []) {
      const key = field.key ?? fieldKey(seed, entity, field.name);
      if (!HASH_KEY.test(key) || keys.has(key))
        throw new TypeError(
          `createPipedriveEmulator: option \`customFields.${entity}\` has a key that is not a unique 40-character lower-case hex hash: ${key}`,
        );
      keys.add(key);
      list.push({
        id: list.length + 1,
        key,
        name: field.name,
        type: field.type ?? "varchar",
        options: (field.options ?? []).map((option) => ({
          id: option.id ?? optionId(),
          label: option.label,
        })),
        custom: true,
      });
    }
    out[entity] = list;
  }
  return out;
}

/** Looks up the ids custom values may refer to (users, organizations, persons). */
export interface ReferenceCheck {
  user(id: number): boolean;
  org(id: number): boolean;
  person(id: number): boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Why `value` is not valid for `field`, or `undefined` when it is. */
function invalidReason(field: StoredField, value: unknown, refs: ReferenceCheck): string | undefined {
  const optionIds = new Set(field.options.map((o) => o.id));
  switch (field.type) {
    case "int":
      return Number.isInteger(value) ? undefined : "expected an integer";
    case "double":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "expected a number";
    case "boolean":
      return typeof value === "boolean" ? undefined : "expected a boolean";
    case "date":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? undefined
        : "expected YYYY-MM-DD";
    case "enum":
      return Number.isInteger(value) && optionIds.has(value as number)
        ? undefined
        : `${JSON.stringify(value)} is not an option id of this field`;
    case "set":
      return Array.isArray(value) && value.every((v) => Number.isInteger(v) && optionIds.has(v as number))
        ? undefined
        : "expected an array of option ids of this field";
    case "monetary":
      return isObject(value) &&
        typeof value["value"] === "number" &&
        (value["currency"] === undefined || typeof value["currency"] === "string")
        ? undefined
        : "expected {value, currency}";
    case "address":
      return isObject(value) && typeof value["value"] === "string" ? undefined : "expected an address object";
    case "user":
      return Number.isInteger(value) && refs.user(value as number)
        ? undefined
        : "expected an existing user id";
    case "org":
      return Number.isInteger(value) && refs.org(value as number)
        ? undefined
        : "expected an existing organization id";
    case "people":
      return Number.isInteger(value) && refs.person(value as number)
        ? undefined
        : "expected an existing person id";
    default:
      return typeof value === "string" ? undefined : "expected a string";
  }
}

/**
 * Validates a `custom_fields` write against the entity's definitions and merges it into `current`: `null` clears a
 * key, unknown keys are ignored (emulator choice: vendor-facts §3.5 reports them ignored, unverified), and an invalid
 * value answers 400 naming the field.
 */
export function mergeCustomFields(
  fields: readonly StoredField[],
  input: unknown,
  current: Record<string, unknown>,
  refs: ReferenceCheck,
  currency: string,
): Record<string, unknown> {
  if (input === undefined) return current;
  if (!isObject(input)) fail(validationError('"custom_fields" must be of type object.'));
  const out = { ...current };
  for (const [key, value] of Object.entries(input)) {
    const field = fields.find((f) => f.custom && f.key === key);
    if (field === undefined) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const reason = invalidReason(field, value, refs);
    if (reason !== undefined)
      fail(validationError(`Invalid value for custom field "${field.name}" (${key}): ${reason}.`));
    out[key] =
      field.type === "monetary" && isObject(value)
        ? { value: value["value"], currency: value["currency"] ?? currency }
        : value;
  }
  return out;
}

/** Custom fields in read form: every defined custom key, `null` when unset. */
export function readCustomFields(
  fields: readonly StoredField[],
  values: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (field.custom) out[field.key] = values?.[field.key] ?? null;
  return out;
}

/** A field as `GET /api/v2/{entity}Fields` returns it. */
export function v2Field(field: StoredField): Record<string, unknown> {
  return {
    field_name: field.name,
    field_code: field.key,
    field_type: field.type,
    options: field.options.length === 0 ? null : field.options.map((o) => ({ ...o, color: null })),
    subfields: null,
    is_custom_field: field.custom,
    is_optional_response_field: false,
  };
}

/** A field as `GET /v1/{entity}Fields` returns it (v1 keys `email`/`phone` for the person arrays). */
export function v1Field(field: StoredField, addTime: string): Record<string, unknown> {
  const key = field.key === "emails" ? "email" : field.key === "phones" ? "phone" : field.key;
  return {
    id: field.id,
    key,
    name: field.name,
    order_nr: field.id,
    field_type: field.type,
    add_time: addTime,
    update_time: addTime,
    active_flag: true,
    edit_flag: field.custom,
    mandatory_flag: false,
    options: field.options.length === 0 ? null : field.options.map((o) => ({ ...o })),
  };
}
