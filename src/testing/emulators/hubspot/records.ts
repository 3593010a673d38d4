import { type EmulatorResponse, fail } from "../common/router.js";
import { DEFAULT_READ_PROPERTIES, lastModifiedProperty, REQUIRED_ON_CREATE, SINGULAR } from "./defaults.js";
import { conflictError, notFoundError, type PropertyIssue, propertyError, propertyIssue } from "./errors.js";
import { type HubSpotContext, indexRecord, iso, type StoredRecord } from "./store.js";
import type { HubSpotObjectType, HubSpotPropertyOption } from "./types.js";

/** Outcome of validating a write: normalized values (`null` clears) or the error response to send. */
export type PreparedWrite =
  | { ok: true; values: Record<string, string | null> }
  | { ok: false; error: EmulatorResponse };

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

const optionsText = (options: readonly HubSpotPropertyOption[]): string =>
  `[${options.map((o) => `label: "${o.label}" value: "${o.value}"`).join(", ")}]`;

/** Normalizes a datetime written as epoch ms or ISO-8601 to ISO, or `undefined` when it is neither. */
function normalizeDatetime(value: string): string | undefined {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? iso(ms) : undefined;
}

/** Enumeration options a property accepts right now (owners and pipelines are dynamic). */
function allowedOptions(
  context: HubSpotContext,
  type: HubSpotObjectType,
  name: string,
  pending: Record<string, string | null>,
  existing: StoredRecord | undefined,
): readonly HubSpotPropertyOption[] | undefined {
  const { state } = context;
  if (name === "hubspot_owner_id")
    return state.owners
      .filter((o) => !o.archived)
      .map((o) => ({ label: `${o.firstName} ${o.lastName}`.trim(), value: o.id }));
  const pipelineProp = type === "deals" ? "pipeline" : type === "tickets" ? "hs_pipeline" : undefined;
  const stageProp = type === "deals" ? "dealstage" : type === "tickets" ? "hs_pipeline_stage" : undefined;
  if (pipelineProp !== undefined && (type === "deals" || type === "tickets")) {
    const pipelines = state.pipelines[type].filter((p) => !p.archived);
    if (name === pipelineProp) return pipelines.map((p) => ({ label: p.label, value: p.id }));
    if (name === stageProp) {
      const pipelineId = pending[pipelineProp] ?? existing?.properties[pipelineProp] ?? pipelines[0]?.id;
      const pipeline = pipelines.find((p) => p.id === pipelineId);
      return (pipeline?.stages ?? [])
        .filter((s) => !s.archived)
        .map((s) => ({ label: s.label, value: s.id }));
    }
  }
  return state.properties[type].get(name)?.options;
}

/**
 * Validates and normalizes a `properties` object for a create or update: every value becomes a string, unknown
 * properties and disallowed enumeration options are reported with HubSpot's literal issue list.
 */
export function prepareWrite(
  context: HubSpotContext,
  type: HubSpotObjectType,
  input: unknown,
  existing: StoredRecord | undefined,
): PreparedWrite {
  const { state } = context;
  const issues: PropertyIssue[] = [];
  const values: Record<string, string | null> = {};
  const raw =
    typeof input === "object" && input !== null && !Array.isArray(input)
      ? (input as Record<string, unknown>)
      : {};
  for (const [name, rawValue] of Object.entries(raw)) {
    const def = state.properties[type].get(name);
    if (def === undefined) {
      issues.push(
        propertyIssue(name, "PROPERTY_DOESNT_EXIST", `Property "${name}" does not exist`, state.portalId),
      );
      continue;
    }
    if (def.calculated) continue; // HubSpot ignores writes to calculated properties
    if (rawValue === null || rawValue === undefined || rawValue === "") {
      values[name] = null;
      continue;
    }
    let value =
      typeof rawValue === "string"
        ? rawValue
        : typeof rawValue === "object"
          ? JSON.stringify(rawValue)
          : String(rawValue);
    const kind = def.type ?? "string";
    if (kind === "number" && !NUMBER.test(value.trim())) {
      issues.push(propertyIssue(name, "INVALID_INTEGER", `${value} was not a valid number.`, state.portalId));
      continue;
    }
    if (kind === "bool") {
      const lower = value.toLowerCase();
      if (lower !== "true" && lower !== "false") {
        issues.push(
          propertyIssue(name, "INVALID_BOOLEAN", `${value} was not a valid boolean.`, state.portalId),
        );
        continue;
      }
      value = lower;
    }
    if (kind === "date" || kind === "datetime") {
      const normalized = normalizeDatetime(value);
      if (normalized === undefined) {
        issues.push(propertyIssue(name, "INVALID_DATE", `${value} was not a valid date.`, state.portalId));
        continue;
      }
      value = kind === "date" ? normalized.slice(0, 10) : normalized;
    }
    if (type === "contacts" && name === "email") value = value.trim().toLowerCase();
    values[name] = value;
  }
  // Enumerations are checked after all values are known: a stage is valid only within the pipeline being written.
  for (const [name, value] of Object.entries(values)) {
    if (value === null) continue;
    const def = state.properties[type].get(name);
    if (def?.type !== "enumeration") continue;
    const options = allowedOptions(context, type, name, values, existing);
    if (options === undefined) continue;
    const allowed = new Set(options.map((o) => o.value));
    if (value.split(";").every((part) => allowed.has(part))) continue;
    issues.push(
      propertyIssue(
        name,
        "INVALID_OPTION",
        `${value} was not one of the allowed options: ${optionsText(options)}`,
        state.portalId,
      ),
    );
  }
  if (existing === undefined) {
    for (const name of REQUIRED_ON_CREATE[type] ?? []) {
      if (values[name] === undefined || values[name] === null)
        issues.push(propertyIssue(name, "REQUIRED_FIELD", `Property "${name}" is required`, state.portalId));
    }
  }
  if (issues.length > 0) return { ok: false, error: propertyError(context.correlationId(), issues) };
  const conflict = findUniqueConflict(context, type, values, existing?.id);
  if (conflict !== undefined) return { ok: false, error: conflict };
  return { ok: true, values };
}

/** Properties whose values must be unique: `email` for contacts plus every `hasUniqueValue` property. */
export function uniqueProperties(context: HubSpotContext, type: HubSpotObjectType): string[] {
  const out: string[] = type === "contacts" ? ["email"] : [];
  for (const def of context.state.properties[type].values())
    if (def.hasUniqueValue && !out.includes(def.name)) out.push(def.name);
  return out;
}

function findUniqueConflict(
  context: HubSpotContext,
  type: HubSpotObjectType,
  values: Record<string, string | null>,
  selfId: string | undefined,
): EmulatorResponse | undefined {
  for (const name of uniqueProperties(context, type)) {
    const value = values[name];
    if (value === undefined || value === null) continue;
    const other = findByProperty(context, type, name, value);
    if (other !== undefined && other.id !== selfId) {
      const label = SINGULAR[type].charAt(0).toUpperCase() + SINGULAR[type].slice(1);
      return conflictError(context.correlationId(), label, other.id);
    }
  }
  return undefined;
}

/** The live record whose `name` equals `value` (case-insensitive for email). */
export function findByProperty(
  context: HubSpotContext,
  type: HubSpotObjectType,
  name: string,
  value: string,
): StoredRecord | undefined {
  const wanted = name === "email" ? value.trim().toLowerCase() : value;
  for (const record of context.state.records[type].values()) {
    if (!record.archived && record.properties[name] === wanted) return record;
  }
  return undefined;
}

/** The live record `id` refers to: a record id, or a unique value of `idProperty`. */
export function findRecord(
  context: HubSpotContext,
  type: HubSpotObjectType,
  id: string,
  idProperty?: string | undefined,
): StoredRecord | undefined {
  if (idProperty !== undefined && idProperty !== "hs_object_id")
    return findByProperty(context, type, idProperty, id);
  const record = context.state.records[type].get(id);
  return record === undefined || record.archived ? undefined : record;
}

/** Like {@link findRecord}, but answers 404 when there is no such record. */
export function requireRecord(
  context: HubSpotContext,
  type: HubSpotObjectType,
  id: string,
  idProperty?: string | undefined,
): StoredRecord {
  const record = findRecord(context, type, id, idProperty);
  if (record === undefined) fail(notFoundError(context.correlationId(), id));
  return record;
}

/** Applies validated values: creates a record when `existing` is undefined, and maintains computed properties. */
export function applyWrite(
  context: HubSpotContext,
  type: HubSpotObjectType,
  values: Record<string, string | null>,
  existing: StoredRecord | undefined,
): StoredRecord {
  const now = context.clock.now();
  const record: StoredRecord = existing ?? {
    id: context.ids.next(),
    type,
    properties: {},
    createdAt: now,
    updatedAt: now,
    archived: false,
    indexed: [],
  };
  for (const [name, value] of Object.entries(values)) {
    if (value === null) delete record.properties[name];
    else record.properties[name] = value;
  }
  const props = record.properties;
  props["hs_object_id"] = record.id;
  props["createdate"] ??= iso(record.createdAt);
  record.updatedAt = now;
  props[lastModifiedProperty(type)] = iso(now);
  if (type === "deals") {
    if (props["dealstage"] !== undefined)
      props["pipeline"] ??= context.state.pipelines.deals[0]?.id ?? "default";
    const pipeline = context.state.pipelines.deals.find((p) => p.id === props["pipeline"]);
    const stage = pipeline?.stages.find((s) => s.id === props["dealstage"]);
    if (stage !== undefined) {
      const closed = stage.metadata?.["isClosed"] === "true";
      props["hs_is_closed"] = String(closed);
      props["hs_is_closed_won"] = String(closed && Number(stage.metadata?.["probability"]) === 1);
    }
  }
  if (type === "tickets" && props["hs_pipeline_stage"] !== undefined)
    props["hs_pipeline"] ??= context.state.pipelines.tickets[0]?.id ?? "0";
  context.state.records[type].set(record.id, record);
  indexRecord(context, record);
  return record;
}

/** Archives a record (DELETE / batch archive). */
export function archiveRecord(context: HubSpotContext, record: StoredRecord): void {
  const now = context.clock.now();
  record.archived = true;
  record.archivedAt = now;
  record.updatedAt = now;
  indexRecord(context, record);
}

/**
 * The `SimplePublicObject` JSON of a record. `requested` limits the properties (unset ones become `null`);
 * `"defaults"` returns the type's default read set; `"all"` every set property (write responses).
 */
export function toPublicRecord(
  record: StoredRecord,
  requested: readonly string[] | "defaults" | "all" = "all",
): Record<string, unknown> {
  let properties: Record<string, string | null>;
  if (requested === "all") properties = { ...record.properties };
  else if (requested === "defaults") {
    properties = {};
    for (const name of DEFAULT_READ_PROPERTIES[record.type]) {
      const value = record.properties[name];
      if (value !== undefined) properties[name] = value;
    }
  } else {
    properties = {};
    const always = ["hs_object_id", "createdate", lastModifiedProperty(record.type)];
    for (const name of [...always, ...requested]) properties[name] = record.properties[name] ?? null;
  }
  return {
    id: record.id,
    properties,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    archived: record.archived,
    ...(record.archivedAt === undefined ? {} : { archivedAt: iso(record.archivedAt) }),
  };
}
