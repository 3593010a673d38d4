import { fail } from "../common/router.js";
import { validationError } from "./errors.js";
import type { PipedriveContext } from "./store.js";
import type { PipedriveEntityType } from "./types.js";

/** How one writable field is validated. References are checked against the live state. */
export type FieldKind =
  | "string"
  | "int"
  | "number"
  | "bool"
  | "date"
  | "time"
  | "object"
  | "intArray"
  | "contacts"
  | "participants"
  | "attendees"
  | "status"
  | "marketing"
  | "user"
  | "org"
  | "person"
  | "deal"
  | "pipeline"
  | "stage";

type V2Type = Exclude<PipedriveEntityType, "notes">;

/** Writable fields of each v2 entity, from the request bodies in `openapi-v2.yaml`. */
export const WRITABLE: Record<V2Type, Readonly<Record<string, FieldKind>>> = {
  persons: {
    name: "string",
    owner_id: "user",
    org_id: "org",
    add_time: "string",
    emails: "contacts",
    phones: "contacts",
    visible_to: "int",
    label_ids: "intArray",
    postal_address: "object",
    notes: "string",
    im: "contacts",
    birthday: "date",
    job_title: "string",
    marketing_status: "marketing",
  },
  organizations: {
    name: "string",
    owner_id: "user",
    add_time: "string",
    visible_to: "int",
    label_ids: "intArray",
    address: "object",
    website: "string",
    linkedin: "string",
    industry: "int",
    annual_revenue: "int",
    employee_count: "int",
  },
  deals: {
    title: "string",
    owner_id: "user",
    person_id: "person",
    org_id: "org",
    pipeline_id: "pipeline",
    stage_id: "stage",
    value: "number",
    currency: "string",
    status: "status",
    probability: "number",
    lost_reason: "string",
    visible_to: "int",
    close_time: "string",
    won_time: "string",
    lost_time: "string",
    expected_close_date: "date",
    label_ids: "intArray",
  },
  activities: {
    subject: "string",
    type: "string",
    owner_id: "user",
    deal_id: "deal",
    lead_id: "string",
    person_id: "person",
    org_id: "org",
    project_id: "int",
    due_date: "date",
    due_time: "time",
    duration: "time",
    busy: "bool",
    done: "bool",
    location: "object",
    participants: "participants",
    attendees: "attendees",
    public_description: "string",
    priority: "int",
    note: "string",
  },
};

/** Fields required on create. Persons: emulator choice, as Pipedrive's UI and v1 require a name. */
export const REQUIRED: Record<V2Type, readonly string[]> = {
  persons: ["name"],
  organizations: ["name"],
  deals: ["title"],
  activities: [],
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const live = (context: PipedriveContext, type: PipedriveEntityType, id: number): boolean => {
  const entity = context.state.records[type].get(id);
  return entity !== undefined && !entity.deleted;
};

/** Normalizes `emails`/`phones`/`im`: objects with `value`, `primary` (first one by default) and `label`. */
function contacts(name: string, value: unknown): unknown {
  if (!Array.isArray(value)) fail(validationError(`"${name}" must be an array`));
  const items = value.map((item, i) => {
    if (!isObject(item) || typeof item["value"] !== "string")
      fail(validationError(`"${name}[${i}]" must be of type object with a string "value"`));
    if (item["primary"] !== undefined && typeof item["primary"] !== "boolean")
      fail(validationError(`"${name}[${i}].primary" must be a boolean`));
    return {
      value: item["value"],
      primary: item["primary"] === true,
      label: typeof item["label"] === "string" ? item["label"] : "work",
    };
  });
  const first = items[0];
  if (first !== undefined && !items.some((item) => item.primary)) first.primary = true;
  return items;
}

/** Validates one field value (never `null`; callers handle clearing) and returns its stored form. */
export function checkField(
  context: PipedriveContext,
  name: string,
  kind: FieldKind,
  value: unknown,
): unknown {
  const must = (condition: boolean, what: string): void => {
    if (!condition) fail(validationError(`"${name}" ${what}`));
  };
  const ref = (type: PipedriveEntityType, label: string): number => {
    must(Number.isInteger(value), "must be a number");
    // Emulator choice: a dangling reference is a 400, so adapter bugs that mix up ids fail loudly.
    must(live(context, type, value as number), `refers to a ${label} that does not exist`);
    return value as number;
  };
  switch (kind) {
    case "string":
      must(typeof value === "string", "must be a string");
      return value;
    case "int":
      must(Number.isInteger(value), "must be an integer");
      return value;
    case "number":
      must(typeof value === "number" && Number.isFinite(value), "must be a number");
      return value;
    case "bool":
      must(typeof value === "boolean", "must be a boolean");
      return value;
    case "date":
      must(typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value), "must be in YYYY-MM-DD format");
      return value;
    case "time":
      must(typeof value === "string" && /^\d{2}:\d{2}(:\d{2})?$/.test(value), "must be in HH:MM format");
      return value;
    case "object":
      must(isObject(value), "must be of type object");
      return value;
    case "intArray":
      must(Array.isArray(value) && value.every((v) => Number.isInteger(v)), "must be an array of numbers");
      return value;
    case "contacts":
      return contacts(name, value);
    case "participants":
      must(
        Array.isArray(value) && value.every((p) => isObject(p) && Number.isInteger(p["person_id"])),
        "must be an array of {person_id, primary}",
      );
      return (value as Record<string, unknown>[]).map((p) => ({
        person_id: p["person_id"],
        primary: p["primary"] === true,
      }));
    case "attendees":
      must(Array.isArray(value) && value.every(isObject), "must be an array of objects");
      return value;
    case "status":
      must(value === "open" || value === "won" || value === "lost", "must be one of [open, won, lost]");
      return value;
    case "marketing":
      must(
        ["no_consent", "unsubscribed", "subscribed", "archived"].includes(value as string),
        "must be one of [no_consent, unsubscribed, subscribed, archived]",
      );
      return value;
    case "user": {
      must(Number.isInteger(value), "must be a number");
      const user = context.state.users.find((u) => u.id === value);
      must(user !== undefined && !user.isDeleted, "refers to a user that does not exist");
      must(user?.activeFlag === true, "refers to an inactive user");
      return value;
    }
    case "org":
      return ref("organizations", "organization");
    case "person":
      return ref("persons", "person");
    case "deal":
      return ref("deals", "deal");
    case "pipeline": {
      must(Number.isInteger(value), "must be a number");
      must(
        context.state.pipelines.some((p) => p.id === value && !p.isDeleted),
        "refers to a pipeline that does not exist",
      );
      return value;
    }
    case "stage": {
      must(Number.isInteger(value), "must be a number");
      const exists = context.state.pipelines.some((p) =>
        p.stages.some((s) => s.id === value && !s.isDeleted),
      );
      must(exists, "refers to a stage that does not exist");
      return value;
    }
  }
}
