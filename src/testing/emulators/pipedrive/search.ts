import { fail, type RouteRequest } from "../common/router.js";
import { validationError } from "./errors.js";
import type { StoredField } from "./fields.js";
import { FIELD_ENTITY, findLive, type V2EntityType } from "./records.js";
import {
  addRoute,
  boolQuery,
  decodeCursor,
  encodeCursor,
  intQuery,
  limitQuery,
  listQuery,
  ok,
  type PipedriveRouter,
  SCOPES,
} from "./routing.js";
import type { PipedriveContext, StoredEntity } from "./store.js";

type SearchType = "persons" | "organizations" | "deals";

/** Fields each search endpoint accepts (spec enums); note that organizations have no `website` here. */
export const SEARCH_FIELDS: Record<SearchType, readonly string[]> = {
  persons: ["custom_fields", "email", "notes", "phone", "name"],
  organizations: ["address", "custom_fields", "notes", "name"],
  deals: ["custom_fields", "notes", "title"],
};

// "Only the following custom field types are searchable" (spec parameter description).
const SEARCHABLE_CUSTOM = new Set([
  "address",
  "varchar",
  "text",
  "varchar_auto",
  "double",
  "monetary",
  "phone",
]);

const NOTE_LINK: Record<SearchType, string> = {
  persons: "person_id",
  organizations: "org_id",
  deals: "deal_id",
};

const text = (value: unknown): string | undefined => {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "object" && value !== null) {
    const inner = (value as Record<string, unknown>)["value"];
    return typeof inner === "string" || typeof inner === "number" ? String(inner) : undefined;
  }
  return undefined;
};

const contactValues = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((item) => text(item)).filter((v): v is string => v !== undefined) : [];

/** The score of `value` against `term`: 1 for an exact (case-insensitive) match, the covered share for a substring. */
function score(value: string, term: string, exact: boolean, phone: boolean): number {
  const normalize = (s: string): string => (phone ? s.replace(/\D/g, "") : s.trim().toLowerCase());
  const v = normalize(value);
  const t = normalize(term);
  if (t === "" || v === "") return 0;
  if (v === t) return 1;
  if (exact || !v.includes(t)) return 0;
  return Math.round((t.length / v.length) * 10_000) / 10_000;
}

/** The version of a record search sees now: the newest indexed one already visible. */
function visible(entity: StoredEntity, now: number): StoredEntity["indexed"][number] | undefined {
  let found: StoredEntity["indexed"][number] | undefined;
  for (const version of entity.indexed) if (version.visibleAt <= now) found = version;
  return found === undefined || found.deleted ? undefined : found;
}

interface Hit {
  entity: StoredEntity;
  score: number;
  custom: string[];
  notes: string[];
}

function matchEntity(
  context: PipedriveContext,
  type: SearchType,
  entity: StoredEntity,
  fields: readonly string[],
  term: string,
  exact: boolean,
): Hit | undefined {
  const version = visible(entity, context.clock.now());
  if (version === undefined) return undefined;
  const values = version.fields;
  let best = 0;
  const consider = (candidates: readonly string[], phone = false): string[] => {
    const matched: string[] = [];
    for (const candidate of candidates) {
      const s = score(candidate, term, exact, phone);
      if (s > 0) matched.push(candidate);
      best = Math.max(best, s);
    }
    return matched;
  };
  if (fields.includes("name")) consider([text(values["name"])].filter((v): v is string => v !== undefined));
  if (fields.includes("title")) consider([text(values["title"])].filter((v): v is string => v !== undefined));
  if (fields.includes("email")) consider(contactValues(values["emails"]));
  if (fields.includes("phone")) consider(contactValues(values["phones"]), true);
  if (fields.includes("address"))
    consider([text(values["address"])].filter((v): v is string => v !== undefined));
  let custom: string[] = [];
  if (fields.includes("custom_fields")) {
    const defs: readonly StoredField[] = context.state.fields[FIELD_ENTITY[type]];
    const stored = (values["custom_fields"] ?? {}) as Record<string, unknown>;
    const candidates = defs
      .filter((def) => def.custom && SEARCHABLE_CUSTOM.has(def.type))
      .map((def) => text(stored[def.key]))
      .filter((v): v is string => v !== undefined);
    custom = consider(candidates);
  }
  let notes: string[] = [];
  if (fields.includes("notes")) {
    const contents = [...context.state.records.notes.values()]
      .filter((note) => !note.deleted && note.fields[NOTE_LINK[type]] === entity.id)
      .map((note) => String(note.fields["content"] ?? "").replace(/<[^>]*>/g, ""));
    notes = consider(contents);
  }
  return best > 0 ? { entity, score: best, custom, notes } : undefined;
}

const ref = (context: PipedriveContext, type: "persons" | "organizations", id: unknown) => {
  const entity = typeof id === "number" ? findLive(context, type, id) : undefined;
  return entity;
};

/** The search `item` of a hit, in the spec's per-type shape. */
function item(context: PipedriveContext, type: SearchType, hit: Hit): Record<string, unknown> {
  const f = hit.entity.fields;
  const owner = { id: f["owner_id"] ?? null };
  const orgOf = (id: unknown) => {
    const org = ref(context, "organizations", id);
    return org === undefined
      ? null
      : { id: org.id, name: org.fields["name"] ?? null, address: text(org.fields["address"]) ?? null };
  };
  const common = { custom_fields: hit.custom, notes: hit.notes };
  if (type === "persons")
    return {
      id: hit.entity.id,
      type: "person",
      name: f["name"] ?? null,
      phones: contactValues(f["phones"]),
      emails: contactValues(f["emails"]),
      visible_to: f["visible_to"] ?? 3,
      owner,
      organization: orgOf(f["org_id"]),
      ...common,
    };
  if (type === "organizations")
    return {
      id: hit.entity.id,
      type: "organization",
      name: f["name"] ?? null,
      address: text(f["address"]) ?? null,
      visible_to: f["visible_to"] ?? 3,
      owner,
      ...common,
    };
  const person = ref(context, "persons", f["person_id"]);
  const stage = context.state.pipelines.flatMap((p) => p.stages).find((s) => s.id === f["stage_id"]);
  return {
    id: hit.entity.id,
    type: "deal",
    title: f["title"] ?? null,
    value: f["value"] ?? 0,
    currency: f["currency"] ?? context.state.currency,
    status: f["status"] ?? "open",
    visible_to: f["visible_to"] ?? 3,
    owner,
    stage: stage === undefined ? null : { id: stage.id, name: stage.name },
    person: person === undefined ? null : { id: person.id, name: person.fields["name"] ?? null },
    organization: orgOf(f["org_id"]),
    ...common,
    is_archived: f["is_archived"] === true,
  };
}

function search(context: PipedriveContext, type: SearchType, request: RouteRequest) {
  const { query } = request;
  const term = query.get("term") ?? "";
  const exact = boolQuery(query, "exact_match") ?? false;
  if (term === "") fail(validationError('"term" is required.'));
  if (term.length < (exact ? 1 : 2))
    fail(validationError('"term" length must be at least 2 characters long'));
  const fields = listQuery(query, "fields") ?? SEARCH_FIELDS[type];
  const unknown = fields.find((field) => !SEARCH_FIELDS[type].includes(field));
  if (unknown !== undefined)
    fail(validationError(`"fields" must be one of [${SEARCH_FIELDS[type].join(", ")}]`));
  const limit = limitQuery(query);
  const cursor = decodeCursor(query.get("cursor"));
  const offset = cursor === undefined ? 0 : Number(cursor["offset"]);
  if (!Number.isInteger(offset) || offset < 0) fail(validationError('"cursor" is invalid'));
  const orgFilter = intQuery(query, "organization_id");
  const personFilter = type === "deals" ? intQuery(query, "person_id") : undefined;
  const status = type === "deals" ? query.get("status") : null;
  if (status !== null && !["open", "won", "lost"].includes(status))
    fail(validationError('"status" must be one of [open, won, lost]'));
  const hits: Hit[] = [];
  for (const entity of context.state.records[type].values()) {
    if (entity.deleted) continue;
    if (orgFilter !== undefined && entity.fields["org_id"] !== orgFilter) continue;
    if (personFilter !== undefined && entity.fields["person_id"] !== personFilter) continue;
    if (status !== null && entity.fields["status"] !== status) continue;
    const hit = matchEntity(context, type, entity, fields, term, exact);
    if (hit !== undefined) hits.push(hit);
  }
  hits.sort((a, b) => b.score - a.score || a.entity.id - b.entity.id);
  const page = hits.slice(offset, offset + limit);
  const next = offset + limit < hits.length ? encodeCursor({ offset: offset + limit }) : null;
  return ok(
    { items: page.map((hit) => ({ result_score: hit.score, item: item(context, type, hit) })) },
    { next_cursor: next },
  );
}

/** Registers `GET /api/v2/{persons,organizations,deals}/search` (register before the `/{id}` routes). */
export function registerSearchRoutes(router: PipedriveRouter): void {
  const scopes: Record<SearchType, readonly string[]> = {
    persons: SCOPES.contactsSearch,
    organizations: SCOPES.contactsSearch,
    deals: SCOPES.dealsSearch,
  };
  for (const type of ["persons", "organizations", "deals"] as const satisfies readonly V2EntityType[])
    addRoute(
      router,
      "GET",
      `/api/v2/${type}/search`,
      scopes[type],
      (req, context) => search(context, type, req),
      "search",
    );
}
