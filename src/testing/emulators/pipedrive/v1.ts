import { fail, type RouteRequest } from "../common/router.js";
import { notFoundError, v1ValidationError } from "./errors.js";
import { offsetPage } from "./metadata.js";
import { findLive } from "./records.js";
import { addRoute, idParam, objectBody, ok, type PipedriveRouter, SCOPES } from "./routing.js";
import {
  indexEntity,
  type PipedriveContext,
  rfc3339,
  type StoredEntity,
  type StoredWebhook,
  v1Time,
} from "./store.js";
import type { PipedriveEntityType } from "./types.js";
import { WEBHOOK_ACTIONS, WEBHOOK_ENTITIES } from "./webhooks.js";

/** v1 resources that went out of support on 2026-08-01 (vendor-facts §0.1); the emulator answers them 410. */
const REMOVED_V1 =
  /^\/(?:api\/)?v1\/(?:persons|organizations|deals|activities|pipelines|stages|itemSearch|products|activityFields)(?:\/|$)/;

/** Whether `path` is a removed v1 endpoint. */
export const isRemovedV1 = (path: string): boolean => REMOVED_V1.test(path);

const LINKS = [
  ["deal_id", "deals"],
  ["person_id", "persons"],
  ["org_id", "organizations"],
] as const satisfies readonly (readonly [string, PipedriveEntityType])[];

const FLAGS = [
  "pinned_to_lead_flag",
  "pinned_to_deal_flag",
  "pinned_to_organization_flag",
  "pinned_to_person_flag",
  "pinned_to_project_flag",
] as const;

// v1 accepts form bodies, whose numbers arrive as strings.
const toInt = (value: unknown): number | undefined => {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
};
const toFlag = (value: unknown): boolean =>
  value === true || value === 1 || value === "1" || value === "true";

/** A note as v1 returns it. */
export function noteJson(context: PipedriveContext, note: StoredEntity): Record<string, unknown> {
  const f = note.fields;
  const user = context.state.users.find((u) => u.id === f["user_id"]);
  const name = (type: PipedriveEntityType, id: unknown, key: string) => {
    const entity = typeof id === "number" ? findLive(context, type, id) : undefined;
    return entity === undefined ? null : { [key]: entity.fields[key] ?? null };
  };
  return {
    id: note.id,
    active_flag: !note.deleted,
    add_time: v1Time(note.addTime),
    content: f["content"],
    deal: name("deals", f["deal_id"], "title"),
    lead_id: f["lead_id"] ?? null,
    deal_id: f["deal_id"] ?? null,
    last_update_user_id: f["user_id"] ?? null,
    org_id: f["org_id"] ?? null,
    organization: name("organizations", f["org_id"], "name"),
    person: name("persons", f["person_id"], "name"),
    person_id: f["person_id"] ?? null,
    project_id: f["project_id"] ?? null,
    ...Object.fromEntries(FLAGS.map((flag) => [flag, f[flag] === true])),
    update_time: v1Time(note.updateTime),
    user:
      user === undefined
        ? null
        : { email: user.email, icon_url: null, is_you: user.id === context.userId, name: user.name },
    user_id: f["user_id"] ?? null,
  };
}

function createNote(context: PipedriveContext, request: RouteRequest): StoredEntity {
  const body = objectBody(request);
  const content = body["content"];
  if (typeof content !== "string" || content.trim() === "") fail(v1ValidationError("Content is required."));
  const fields: Record<string, unknown> = { content, user_id: context.userId };
  for (const [key, type] of LINKS) {
    if (body[key] === undefined || body[key] === null) continue;
    const id = toInt(body[key]);
    if (id === undefined || findLive(context, type, id) === undefined)
      fail(v1ValidationError(`${key} ${String(body[key])} refers to an item that does not exist.`));
    fields[key] = id;
  }
  if (typeof body["lead_id"] === "string") fields["lead_id"] = body["lead_id"];
  const project = toInt(body["project_id"]);
  if (project !== undefined) fields["project_id"] = project;
  if (!["deal_id", "person_id", "org_id", "lead_id", "project_id"].some((key) => fields[key] !== undefined))
    fail(v1ValidationError("Note must be attached to a deal, person, organization, lead or project."));
  for (const flag of FLAGS) fields[flag] = toFlag(body[flag]);
  const now = context.clock.now();
  const note: StoredEntity = {
    id: Number(context.ids.next()),
    type: "notes",
    fields,
    addTime: now,
    updateTime: now,
    deleted: false,
    indexed: [],
  };
  context.state.records.notes.set(note.id, note);
  indexEntity(context, note);
  return note;
}

function listNotes(context: PipedriveContext, request: RouteRequest) {
  const { query } = request;
  const filters = ["user_id", "deal_id", "person_id", "org_id", "project_id"].flatMap((key) => {
    const raw = query.get(key);
    if (raw === null || raw === "") return [];
    const id = toInt(raw);
    if (id === undefined) fail(v1ValidationError(`"${key}" must be a number.`));
    return [[key, id] as const];
  });
  const lead = query.get("lead_id");
  const [sortField = "id", sortDir = "ASC"] = (query.get("sort") ?? "id ASC").trim().split(/\s+/);
  const key = (note: StoredEntity): number =>
    sortField === "add_time" ? note.addTime : sortField === "update_time" ? note.updateTime : note.id;
  const sign = sortDir.toUpperCase() === "DESC" ? -1 : 1;
  const notes = [...context.state.records.notes.values()]
    .filter((note) => !note.deleted)
    .filter((note) => filters.every(([field, id]) => note.fields[field] === id))
    .filter((note) => lead === null || lead === "" || note.fields["lead_id"] === lead)
    .filter((note) =>
      FLAGS.every((flag) => query.get(flag) === null || note.fields[flag] === toFlag(query.get(flag))),
    )
    .sort((a, b) => sign * (key(a) - key(b) || a.id - b.id));
  const { slice, additional } = offsetPage(notes, request);
  return ok(
    slice.map((note) => noteJson(context, note)),
    additional,
  );
}

// v1 subscriptions take what v2 deliveries report plus the legacy v1 actions, `activityType` and the `*` wildcard.
// Objects stay alphabetical with `*` last because the validation message lists them in this order.
const EVENT_ACTIONS = new Set<string>([...WEBHOOK_ACTIONS, "added", "updated", "merged", "deleted", "*"]);
const EVENT_OBJECTS = new Set<string>([...[...WEBHOOK_ENTITIES, "activityType"].sort(), "*"]);
const MAX_WEBHOOKS_PER_USER = 40;

/** A webhook as v1 returns it; the Basic-auth password is masked (emulator choice: it is a secret). */
function webhookJson(context: PipedriveContext, hook: StoredWebhook): Record<string, unknown> {
  return {
    id: hook.id,
    company_id: context.state.companyId,
    owner_id: hook.userId,
    user_id: hook.userId,
    event_action: hook.eventAction,
    event_object: hook.eventObject,
    subscription_url: hook.subscriptionUrl,
    version: hook.version,
    is_active: 1,
    add_time: rfc3339(hook.addTime).replace("Z", ".000Z"),
    remove_time: null,
    type: "general",
    http_auth_user: hook.httpAuthUser,
    http_auth_password: hook.httpAuthPassword === null ? null : "***",
    remove_reason: null,
    last_delivery_time: null,
    last_http_status: null,
    admin_id: hook.userId,
    name: hook.name,
  };
}

function createWebhook(context: PipedriveContext, request: RouteRequest) {
  const body = objectBody(request);
  for (const key of ["subscription_url", "event_action", "event_object", "name"])
    if (typeof body[key] !== "string" || body[key] === "") fail(v1ValidationError(`"${key}" is required.`));
  const url = body["subscription_url"] as string;
  if (!URL.canParse(url)) fail(v1ValidationError('"subscription_url" must be a valid uri'));
  if (!EVENT_ACTIONS.has(body["event_action"] as string))
    fail(v1ValidationError('"event_action" must be one of [create, change, delete, *]'));
  if (!EVENT_OBJECTS.has(body["event_object"] as string))
    fail(v1ValidationError(`"event_object" must be one of [${[...EVENT_OBJECTS].join(", ")}]`));
  const userId = toInt(body["user_id"]) ?? context.userId;
  if (context.state.webhooks.filter((h) => h.userId === userId).length >= MAX_WEBHOOKS_PER_USER)
    fail(v1ValidationError(`A user can have at most ${MAX_WEBHOOKS_PER_USER} webhooks.`));
  context.state.webhookSeq += 1;
  const hook: StoredWebhook = {
    id: context.state.webhookSeq,
    subscriptionUrl: url,
    eventAction: body["event_action"] as string,
    eventObject: body["event_object"] as string,
    name: body["name"] as string,
    userId,
    httpAuthUser: typeof body["http_auth_user"] === "string" ? body["http_auth_user"] : null,
    httpAuthPassword: typeof body["http_auth_password"] === "string" ? body["http_auth_password"] : null,
    version: body["version"] === "1.0" ? "1.0" : "2.0",
    addTime: context.clock.now(),
  };
  context.state.webhooks.push(hook);
  return { status: 201, body: { status: "ok", success: true, data: webhookJson(context, hook) } };
}

/** Registers the v1-only endpoints: notes, webhooks. */
export function registerV1Routes(router: PipedriveRouter): void {
  addRoute(router, "GET", "/v1/notes", SCOPES.notesRead, (req, context) => listNotes(context, req));
  addRoute(router, "POST", "/v1/notes", SCOPES.notesWrite, (req, context) =>
    ok(noteJson(context, createNote(context, req))),
  );
  addRoute(router, "GET", "/v1/notes/{id}", SCOPES.notesRead, (req, context) => {
    const note = findLive(context, "notes", idParam(req));
    if (note === undefined) fail(notFoundError());
    return ok(noteJson(context, note));
  });
  addRoute(router, "DELETE", "/v1/notes/{id}", SCOPES.notesWrite, (req, context) => {
    const note = findLive(context, "notes", idParam(req));
    if (note === undefined) fail(notFoundError());
    note.deleted = true;
    note.updateTime = context.clock.now();
    indexEntity(context, note);
    return ok(true);
  });
  addRoute(router, "GET", "/v1/webhooks", SCOPES.admin, (_req, context) => ({
    status: 200,
    body: { status: "ok", success: true, data: context.state.webhooks.map((h) => webhookJson(context, h)) },
  }));
  addRoute(router, "POST", "/v1/webhooks", SCOPES.admin, (req, context) => createWebhook(context, req));
  addRoute(router, "DELETE", "/v1/webhooks/{id}", SCOPES.admin, (req, context) => {
    const id = idParam(req);
    const index = context.state.webhooks.findIndex((h) => h.id === id);
    if (index === -1) fail(notFoundError());
    context.state.webhooks.splice(index, 1);
    return { status: 200, body: { status: "ok", success: true } };
  });
}
