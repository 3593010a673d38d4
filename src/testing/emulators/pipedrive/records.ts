import { fail } from "../common/router.js";
import { notFoundError, validationError } from "./errors.js";
import { mergeCustomFields, type ReferenceCheck, readCustomFields } from "./fields.js";
import { checkField, REQUIRED, WRITABLE } from "./schemas.js";
import { indexEntity, type PipedriveContext, rfc3339, type StoredEntity, type StoredStage } from "./store.js";
import type { PipedriveEntityType, PipedriveFieldEntity } from "./types.js";

/** The v2 entity types (notes are v1). */
export type V2EntityType = Exclude<PipedriveEntityType, "notes">;

/** The field-definition entity of a record type. */
export const FIELD_ENTITY: Record<V2EntityType, PipedriveFieldEntity> = {
  persons: "person",
  organizations: "organization",
  deals: "deal",
  activities: "activity",
};

// Read-only fields every read returns, with their defaults when never written.
const DEFAULTS: Record<V2EntityType, Record<string, unknown>> = {
  persons: {
    name: null,
    first_name: null,
    last_name: null,
    owner_id: null,
    org_id: null,
    emails: [],
    phones: [],
    visible_to: 3,
    label_ids: [],
    picture_id: null,
    postal_address: null,
    notes: null,
    im: [],
    birthday: null,
    job_title: null,
  },
  organizations: {
    name: null,
    owner_id: null,
    visible_to: 3,
    address: null,
    label_ids: [],
    website: null,
    linkedin: null,
    industry: null,
    annual_revenue: null,
    employee_count: null,
  },
  deals: {
    title: null,
    creator_user_id: null,
    owner_id: null,
    person_id: null,
    org_id: null,
    pipeline_id: null,
    stage_id: null,
    value: 0,
    currency: null,
    stage_change_time: null,
    is_archived: false,
    status: "open",
    probability: null,
    lost_reason: null,
    visible_to: 3,
    close_time: null,
    won_time: null,
    lost_time: null,
    expected_close_date: null,
    label_ids: [],
    origin: "API",
    channel: null,
  },
  activities: {
    subject: null,
    type: "task",
    owner_id: null,
    creator_user_id: null,
    deal_id: null,
    lead_id: null,
    person_id: null,
    org_id: null,
    project_id: null,
    due_date: null,
    due_time: null,
    duration: null,
    busy: false,
    done: false,
    marked_as_done_time: null,
    location: null,
    participants: [],
    attendees: [],
    public_description: null,
    priority: null,
    note: null,
  },
};

/** The live (not deleted) record, or `undefined`. */
export function findLive(
  context: PipedriveContext,
  type: PipedriveEntityType,
  id: number,
): StoredEntity | undefined {
  const entity = context.state.records[type].get(id);
  return entity === undefined || entity.deleted ? undefined : entity;
}

/** Like {@link findLive}, but answers 404 `Entity was not found`. */
export function requireLive(context: PipedriveContext, type: PipedriveEntityType, id: number): StoredEntity {
  const entity = findLive(context, type, id);
  if (entity === undefined) fail(notFoundError());
  return entity;
}

/** Checks custom-field references against the live state. */
export const referenceCheck = (context: PipedriveContext): ReferenceCheck => ({
  user: (id) => context.state.users.some((u) => u.id === id && !u.isDeleted),
  org: (id) => findLive(context, "organizations", id) !== undefined,
  person: (id) => findLive(context, "persons", id) !== undefined,
});

/** The record's JSON as v2 reads return it: typed values, RFC3339 `Z` timestamps, every custom key. */
export function toV2(context: PipedriveContext, entity: StoredEntity): Record<string, unknown> {
  const type = entity.type as V2EntityType;
  const fields = context.state.fields[FIELD_ENTITY[type]];
  const { custom_fields: custom, ...rest } = entity.fields;
  return {
    id: entity.id,
    ...DEFAULTS[type],
    ...rest,
    add_time: rfc3339(entity.addTime),
    update_time: rfc3339(entity.updateTime),
    is_deleted: entity.deleted,
    custom_fields: readCustomFields(fields, custom as Record<string, unknown> | undefined),
  };
}

const stageById = (context: PipedriveContext, id: unknown): StoredStage | undefined => {
  for (const pipeline of context.state.pipelines) {
    const stage = pipeline.stages.find((s) => s.id === id);
    if (stage !== undefined) return stage;
  }
  return undefined;
};

/** Keeps a deal's pipeline, stage and status timestamps consistent after a write. */
function settleDeal(
  context: PipedriveContext,
  body: Record<string, unknown>,
  next: Record<string, unknown>,
  before: Record<string, unknown>,
  now: number,
): void {
  const time = rfc3339(now);
  const firstStage = (pipelineId: unknown): number | undefined => {
    const pipeline =
      pipelineId === undefined || pipelineId === null
        ? context.state.pipelines.find((p) => !p.isDeleted)
        : context.state.pipelines.find((p) => p.id === pipelineId);
    return pipeline?.stages.find((s) => !s.isDeleted)?.id;
  };
  if (typeof body["stage_id"] === "number") {
    // Setting a stage implies its pipeline (vendor-facts §3.3).
    const stage = stageById(context, body["stage_id"]);
    if (stage !== undefined) {
      if (typeof body["pipeline_id"] === "number" && body["pipeline_id"] !== stage.pipelineId)
        fail(validationError(`Stage ${stage.id} does not belong to pipeline ${body["pipeline_id"]}.`));
      next["pipeline_id"] = stage.pipelineId;
    }
  } else if (typeof body["pipeline_id"] === "number" && body["pipeline_id"] !== before["pipeline_id"]) {
    next["stage_id"] = firstStage(body["pipeline_id"]) ?? null;
  } else if (next["stage_id"] === undefined || next["stage_id"] === null) {
    next["stage_id"] = firstStage(next["pipeline_id"]) ?? null;
    next["pipeline_id"] = stageById(context, next["stage_id"])?.pipelineId ?? null;
  }
  if (before["stage_id"] !== undefined && next["stage_id"] !== before["stage_id"])
    next["stage_change_time"] = time;
  next["currency"] ??= context.state.currency;
  next["status"] ??= "open";
  if (next["status"] !== (before["status"] ?? "open")) {
    const status = next["status"];
    next["won_time"] = status === "won" ? time : null;
    next["lost_time"] = status === "lost" ? time : null;
    next["close_time"] = status === "open" ? null : time;
  }
}

/**
 * Validates a v2 create (`existing` undefined) or partial update and applies it. Unknown top-level fields are a 400
 * (emulator choice: v2 validates bodies strictly, and it catches v1-style top-level custom keys); `null` clears.
 */
export function writeEntity(
  context: PipedriveContext,
  type: V2EntityType,
  body: Record<string, unknown>,
  existing: StoredEntity | undefined,
): StoredEntity {
  if (existing === undefined && "id" in body)
    fail(validationError("Inserting ID with POST request is not allowed. Use PATCH request instead."));
  const schema = WRITABLE[type];
  const before = existing?.fields ?? {};
  const next: Record<string, unknown> = { ...structuredClone(before) };
  for (const [name, value] of Object.entries(body)) {
    if (name === "custom_fields") continue;
    const kind = schema[name];
    if (kind === undefined) fail(validationError(`"${name}" is not allowed`));
    if (value === null) {
      if (REQUIRED[type].includes(name)) fail(validationError(`"${name}" must be a string`));
      next[name] = null;
      continue;
    }
    next[name] = checkField(context, name, kind, value);
  }
  if (existing === undefined)
    for (const name of REQUIRED[type])
      if (next[name] === undefined || next[name] === "") fail(validationError(`"${name}" is required.`));
  const fields = context.state.fields[FIELD_ENTITY[type]];
  const custom = mergeCustomFields(
    fields,
    body["custom_fields"],
    (before["custom_fields"] as Record<string, unknown> | undefined) ?? {},
    referenceCheck(context),
    context.state.currency,
  );
  next["custom_fields"] = custom;
  const now = context.clock.now();
  if (existing === undefined) next["owner_id"] ??= context.userId;
  if (type === "persons" && typeof next["name"] === "string") {
    const [first, ...last] = next["name"].trim().split(/\s+/);
    next["first_name"] = first ?? null;
    next["last_name"] = last.length > 0 ? last.join(" ") : null;
  }
  if (type === "deals") {
    if (existing === undefined) next["creator_user_id"] = context.userId;
    settleDeal(context, body, next, before, now);
  }
  if (type === "activities") {
    if (existing === undefined) next["creator_user_id"] = context.userId;
    const participants = next["participants"] as { person_id: number; primary: boolean }[] | undefined;
    const primary = participants?.find((p) => p.primary) ?? participants?.[0];
    if (body["participants"] !== undefined && primary !== undefined) next["person_id"] = primary.person_id;
    if (next["done"] === true && before["done"] !== true) next["marked_as_done_time"] = rfc3339(now);
    if (next["done"] === false) next["marked_as_done_time"] = null;
    if (typeof next["subject"] !== "string" || next["subject"] === "") {
      const kind = typeof next["type"] === "string" ? next["type"] : "task";
      next["subject"] = kind.charAt(0).toUpperCase() + kind.slice(1);
    }
  }
  delete next["add_time"];
  const addTime =
    existing?.addTime ?? (typeof body["add_time"] === "string" ? Date.parse(body["add_time"]) : now);
  const entity: StoredEntity = existing ?? {
    id: Number(context.ids.next()),
    type,
    fields: {},
    addTime: Number.isFinite(addTime) ? addTime : now,
    updateTime: now,
    deleted: false,
    indexed: [],
  };
  entity.fields = next;
  entity.updateTime = now;
  context.state.records[type].set(entity.id, entity);
  indexEntity(context, entity);
  return entity;
}

/** Marks a record deleted (v2 DELETE); deals also get `status: "deleted"`. */
export function deleteEntity(context: PipedriveContext, entity: StoredEntity): void {
  entity.deleted = true;
  entity.updateTime = context.clock.now();
  if (entity.type === "deals") entity.fields["status"] = "deleted";
  indexEntity(context, entity);
}
