import { fail, type RouteRequest } from "../common/router.js";
import { notFoundError, validationError } from "./errors.js";
import { FIELD_ENTITIES, v1Field, v2Field } from "./fields.js";
import {
  addRoute,
  cursorPage,
  idParam,
  intQuery,
  limitQuery,
  ok,
  type PipedriveRouter,
  SCOPES,
} from "./routing.js";
import {
  type PipedriveContext,
  rfc3339,
  type StoredPipeline,
  type StoredStage,
  type StoredUser,
  v1Time,
} from "./store.js";
import type { PipedriveFieldEntity } from "./types.js";

const pipelineJson = (context: PipedriveContext, pipeline: StoredPipeline) => ({
  id: pipeline.id,
  name: pipeline.name,
  order_nr: pipeline.orderNr,
  is_deleted: pipeline.isDeleted,
  is_deal_probability_enabled: false,
  add_time: rfc3339(context.state.createdAt),
  update_time: rfc3339(context.state.createdAt),
});

const stageJson = (context: PipedriveContext, stage: StoredStage) => ({
  id: stage.id,
  order_nr: stage.orderNr,
  name: stage.name,
  is_deleted: stage.isDeleted,
  deal_probability: stage.dealProbability,
  pipeline_id: stage.pipelineId,
  is_deal_rot_enabled: false,
  days_to_rotten: null,
  add_time: rfc3339(context.state.createdAt),
  update_time: rfc3339(context.state.createdAt),
});

/** A user as v1 returns it. */
export function userJson(context: PipedriveContext, user: StoredUser): Record<string, unknown> {
  const time = v1Time(user.created);
  return {
    id: user.id,
    name: user.name,
    default_currency: context.state.currency,
    locale: "en_US",
    lang: 1,
    email: user.email,
    phone: null,
    activated: user.activeFlag,
    last_login: time,
    created: time,
    modified: time,
    has_created_company: user.id === context.state.users[0]?.id,
    access: [{ app: "sales", admin: user.isAdmin, permission_set_id: `permission-set-${user.id}` }],
    active_flag: user.activeFlag,
    timezone_name: user.timezoneName,
    timezone_offset: "+00:00",
    role_id: 1,
    icon_url: null,
    is_you: user.id === context.userId,
    is_deleted: user.isDeleted,
  };
}

/** v1 offset pagination: `start`/`limit` in, `additional_data.pagination` out. */
export function offsetPage<T>(items: readonly T[], request: RouteRequest) {
  const start = intQuery(request.query, "start") ?? 0;
  if (start < 0) fail(validationError('"start" must be greater than or equal to 0'));
  const limit = limitQuery(request.query);
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return {
    slice,
    additional: {
      pagination: {
        start,
        limit,
        more_items_in_collection: more,
        ...(more ? { next_start: start + limit } : {}),
      },
    },
  };
}

const FIELD_PATHS: Record<PipedriveFieldEntity, { path: string; scopes: readonly string[] }> = {
  person: { path: "personFields", scopes: SCOPES.contactFields },
  organization: { path: "organizationFields", scopes: SCOPES.contactFields },
  deal: { path: "dealFields", scopes: SCOPES.dealFields },
  activity: { path: "activityFields", scopes: SCOPES.activityFields },
};

/** Registers pipelines, stages, the v2 and v1 field endpoints and the v1 user endpoints. */
export function registerMetadataRoutes(router: PipedriveRouter): void {
  addRoute(router, "GET", "/api/v2/pipelines", SCOPES.pipelines, (req, context) => {
    const live = context.state.pipelines.filter((p) => !p.isDeleted);
    const { slice, additional } = cursorPage(
      live,
      (p) => ({ value: p.id, id: p.id }),
      "id",
      "asc",
      req.query,
    );
    return ok(
      slice.map((p) => pipelineJson(context, p)),
      additional,
    );
  });
  addRoute(router, "GET", "/api/v2/pipelines/{id}", SCOPES.pipelines, (req, context) => {
    const id = idParam(req);
    const pipeline = context.state.pipelines.find((p) => p.id === id && !p.isDeleted);
    if (pipeline === undefined) fail(notFoundError());
    return ok(pipelineJson(context, pipeline));
  });
  addRoute(router, "GET", "/api/v2/stages", SCOPES.pipelines, (req, context) => {
    const pipelineId = intQuery(req.query, "pipeline_id");
    const sortBy = req.query.get("sort_by") ?? "id";
    if (!["id", "update_time", "add_time", "order_nr"].includes(sortBy))
      fail(validationError('"sort_by" must be one of [id, update_time, add_time, order_nr]'));
    const direction = req.query.get("sort_direction") === "desc" ? "desc" : "asc";
    const stages = context.state.pipelines
      .flatMap((p) => p.stages)
      .filter((s) => !s.isDeleted && (pipelineId === undefined || s.pipelineId === pipelineId));
    const key = (s: StoredStage) => ({
      value: sortBy === "order_nr" ? s.orderNr : sortBy === "id" ? s.id : 0,
      id: s.id,
    });
    const { slice, additional } = cursorPage(stages, key, sortBy, direction, req.query);
    return ok(
      slice.map((s) => stageJson(context, s)),
      additional,
    );
  });
  addRoute(router, "GET", "/api/v2/stages/{id}", SCOPES.pipelines, (req, context) => {
    const id = idParam(req);
    const stage = context.state.pipelines.flatMap((p) => p.stages).find((s) => s.id === id && !s.isDeleted);
    if (stage === undefined) fail(notFoundError());
    return ok(stageJson(context, stage));
  });

  for (const entity of FIELD_ENTITIES) {
    const { path, scopes } = FIELD_PATHS[entity];
    addRoute(router, "GET", `/api/v2/${path}`, scopes, (req, context) => {
      const fields = context.state.fields[entity];
      const { slice, additional } = cursorPage(
        fields,
        (f) => ({ value: f.id, id: f.id }),
        "id",
        "asc",
        req.query,
      );
      return ok(slice.map(v2Field), additional);
    });
    addRoute(router, "GET", `/api/v2/${path}/{field_code}`, scopes, (req, context) => {
      const field = context.state.fields[entity].find((f) => f.key === req.params["field_code"]);
      if (field === undefined) fail(notFoundError());
      return ok(v2Field(field));
    });
    if (entity !== "activity")
      addRoute(router, "GET", `/v1/${path}`, scopes, (req, context) => {
        const { slice, additional } = offsetPage(context.state.fields[entity], req);
        const time = v1Time(context.state.createdAt);
        return ok(
          slice.map((f) => v1Field(f, time)),
          additional,
        );
      });
  }

  addRoute(router, "GET", "/v1/users", SCOPES.users, (_req, context) =>
    ok(context.state.users.map((u) => userJson(context, u))),
  );
  addRoute(router, "GET", "/v1/users/me", SCOPES.me, (_req, context) => {
    const user = context.state.users.find((u) => u.id === context.userId);
    if (user === undefined) fail(notFoundError());
    return ok({
      ...userJson(context, user),
      company_id: context.state.companyId,
      company_name: "Emulated Company",
      company_domain: "emulated-company",
      company_country: "US",
      language: { language_code: "en", country_code: "US" },
    });
  });
  addRoute(router, "GET", "/v1/users/find", SCOPES.users, (req, context) => {
    const term = (req.query.get("term") ?? "").trim().toLowerCase();
    if (term === "") fail(validationError('"term" is required.'));
    const byEmail = req.query.get("search_by_email") === "1" || req.query.get("search_by_email") === "true";
    const found = context.state.users.filter((u) =>
      byEmail ? u.email.toLowerCase() === term : u.name.toLowerCase().includes(term),
    );
    return ok(found.length === 0 ? null : found.map((u) => userJson(context, u)));
  });
  addRoute(router, "GET", "/v1/users/{id}", SCOPES.users, (req, context) => {
    const id = idParam(req);
    const user = context.state.users.find((u) => u.id === id);
    if (user === undefined) fail(notFoundError());
    return ok(userJson(context, user));
  });
}
