import { fail, type RouteRequest } from "../common/router.js";
import { validationError } from "./errors.js";
import { deleteEntity, requireLive, toV2, type V2EntityType, writeEntity } from "./records.js";
import {
  addRoute,
  boolQuery,
  cursorPage,
  idParam,
  intQuery,
  listQuery,
  objectBody,
  ok,
  type PipedriveRouter,
  SCOPES,
  type SortKey,
  timeQuery,
} from "./routing.js";
import type { PipedriveContext, StoredEntity } from "./store.js";

interface EntityRoutes {
  type: V2EntityType;
  read: readonly string[];
  write: readonly string[];
  /** Equality filters: query parameter → field. */
  filters: Readonly<Record<string, string>>;
  sortable: readonly string[];
}

const ROUTES: readonly EntityRoutes[] = [
  {
    type: "persons",
    read: SCOPES.contactsRead,
    write: SCOPES.contactsWrite,
    filters: { owner_id: "owner_id", org_id: "org_id" },
    sortable: ["id", "update_time", "add_time"],
  },
  {
    type: "organizations",
    read: SCOPES.contactsRead,
    write: SCOPES.contactsWrite,
    filters: { owner_id: "owner_id" },
    sortable: ["id", "update_time", "add_time"],
  },
  {
    type: "deals",
    read: SCOPES.dealsRead,
    write: SCOPES.dealsWrite,
    filters: {
      owner_id: "owner_id",
      person_id: "person_id",
      org_id: "org_id",
      pipeline_id: "pipeline_id",
      stage_id: "stage_id",
    },
    sortable: ["id", "update_time", "add_time"],
  },
  {
    type: "activities",
    read: SCOPES.activitiesRead,
    write: SCOPES.activitiesWrite,
    filters: { owner_id: "owner_id", deal_id: "deal_id", person_id: "person_id", org_id: "org_id" },
    sortable: ["id", "update_time", "add_time", "due_date"],
  },
];

const DEAL_STATUSES = new Set(["open", "won", "lost", "deleted"]);

/** The record JSON, with `custom_fields` narrowed to the keys of the `custom_fields` query parameter. */
function readJson(
  context: PipedriveContext,
  request: RouteRequest,
  entity: StoredEntity,
): Record<string, unknown> {
  const json = toV2(context, entity);
  const keys = listQuery(request.query, "custom_fields");
  if (keys === undefined) return json;
  if (keys.length > 15) fail(validationError('"custom_fields" must contain less than or equal to 15 items'));
  const all = json["custom_fields"] as Record<string, unknown>;
  return { ...json, custom_fields: Object.fromEntries(keys.filter((k) => k in all).map((k) => [k, all[k]])) };
}

const sortKey =
  (field: string) =>
  (entity: StoredEntity): SortKey => {
    if (field === "update_time") return { value: entity.updateTime, id: entity.id };
    if (field === "add_time") return { value: entity.addTime, id: entity.id };
    if (field === "due_date") {
      const due = entity.fields["due_date"];
      return { value: typeof due === "string" ? Date.parse(due) : Number.MAX_SAFE_INTEGER, id: entity.id };
    }
    return { value: entity.id, id: entity.id };
  };

/** The records a list request selects, before pagination. */
function select(context: PipedriveContext, spec: EntityRoutes, request: RouteRequest): StoredEntity[] {
  const { query } = request;
  const ids = listQuery(query, "ids");
  if (ids !== undefined && ids.length > 100)
    fail(validationError('"ids" must contain less than or equal to 100 items'));
  const idSet = ids === undefined ? undefined : new Set(ids.map(Number));
  const equals = Object.entries(spec.filters).flatMap(([param, field]) => {
    const value = intQuery(query, param);
    return value === undefined ? [] : [[field, value] as const];
  });
  const since = timeQuery(query, "updated_since");
  const until = timeQuery(query, "updated_until");
  let statuses: Set<string> | undefined;
  if (spec.type === "deals") {
    const list = listQuery(query, "status");
    if (list?.some((s) => !DEAL_STATUSES.has(s)))
      fail(validationError('"status" must be one of [open, won, lost, deleted]'));
    statuses = list === undefined ? undefined : new Set(list);
  }
  const done = spec.type === "activities" ? boolQuery(query, "done") : undefined;
  const leadId = spec.type === "activities" ? query.get("lead_id") : null;
  const dealId = spec.type === "persons" ? intQuery(query, "deal_id") : undefined;
  const dealPerson =
    dealId === undefined ? undefined : context.state.records.deals.get(dealId)?.fields["person_id"];
  return [...context.state.records[spec.type].values()].filter((entity) => {
    const includeDeleted = statuses?.has("deleted") === true;
    if (entity.deleted && !includeDeleted) return false;
    if (statuses !== undefined && !statuses.has(String(entity.fields["status"] ?? "open"))) return false;
    if (idSet !== undefined && !idSet.has(entity.id)) return false;
    if (equals.some(([field, value]) => entity.fields[field] !== value)) return false;
    if (since !== undefined && entity.updateTime < since) return false;
    if (until !== undefined && entity.updateTime >= until) return false;
    if (done !== undefined && (entity.fields["done"] === true) !== done) return false;
    if (leadId !== null && leadId !== "" && entity.fields["lead_id"] !== leadId) return false;
    if (dealId !== undefined && dealPerson !== entity.id) return false;
    return true;
  });
}

/** Registers the v2 CRUD and list routes of persons, organizations, deals and activities. */
export function registerEntityRoutes(router: PipedriveRouter): void {
  for (const spec of ROUTES) {
    const base = `/api/v2/${spec.type}`;
    addRoute(router, "GET", base, spec.read, (req, context) => {
      const sortBy = req.query.get("sort_by") ?? "id";
      if (!spec.sortable.includes(sortBy))
        fail(validationError(`"sort_by" must be one of [${spec.sortable.join(", ")}]`));
      const direction = req.query.get("sort_direction") ?? "asc";
      if (direction !== "asc" && direction !== "desc")
        fail(validationError('"sort_direction" must be one of [asc, desc]'));
      const { slice, additional } = cursorPage(
        select(context, spec, req),
        sortKey(sortBy),
        sortBy,
        direction,
        req.query,
      );
      return ok(
        slice.map((entity) => readJson(context, req, entity)),
        additional,
      );
    });
    addRoute(router, "POST", base, spec.write, (req, context) =>
      ok(toV2(context, writeEntity(context, spec.type, objectBody(req), undefined))),
    );
    addRoute(router, "GET", `${base}/{id}`, spec.read, (req, context) =>
      ok(readJson(context, req, requireLive(context, spec.type, idParam(req)))),
    );
    addRoute(router, "PATCH", `${base}/{id}`, spec.write, (req, context) => {
      const entity = requireLive(context, spec.type, idParam(req));
      return ok(toV2(context, writeEntity(context, spec.type, objectBody(req), entity)));
    });
    addRoute(router, "DELETE", `${base}/{id}`, spec.write, (req, context) => {
      const entity = requireLive(context, spec.type, idParam(req));
      deleteEntity(context, entity);
      return ok({ id: entity.id });
    });
  }
}
