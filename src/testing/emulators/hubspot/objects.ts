import { type EmulatorResponse, fail, type RouteRequest } from "../common/router.js";
import { type AssociationLink, prepareInlineAssociations, v3Associations } from "./associations.js";
import { parseObjectType } from "./defaults.js";
import { validationError } from "./errors.js";
import {
  applyWrite,
  archiveRecord,
  findRecord,
  prepareWrite,
  requireRecord,
  toPublicRecord,
  uniqueProperties,
} from "./records.js";
import {
  type HubSpotRouter,
  limitParam,
  listParam,
  objectBody,
  objectTypeOf,
  ok,
  page,
  reads,
  writes,
} from "./routing.js";
import { addAssociation, type HubSpotContext, type StoredRecord } from "./store.js";
import type { HubSpotObjectType } from "./types.js";
import { addVersioned } from "./versions.js";

/** Checks that `idProperty` names a unique property of `type` (or the record id); 400 otherwise. */
export function checkIdProperty(
  context: HubSpotContext,
  type: HubSpotObjectType,
  idProperty: string | undefined,
): void {
  if (idProperty === undefined || idProperty === "hs_object_id") return;
  if (!uniqueProperties(context, type).includes(idProperty))
    fail(
      validationError(context.correlationId(), `${idProperty} is not a unique property of ${type}`, {
        idProperty: [idProperty],
      }),
    );
}

/** Creates a record with its inline associations, or answers with the validation/conflict error. */
export function createWithAssociations(
  context: HubSpotContext,
  type: HubSpotObjectType,
  properties: unknown,
  associations: unknown,
): { ok: true; record: StoredRecord } | { ok: false; error: EmulatorResponse } {
  const prepared = prepareWrite(context, type, properties, undefined);
  if (!prepared.ok) return prepared;
  const links = prepareInlineAssociations(context, type, associations);
  if (!links.ok) return links;
  const record = applyWrite(context, type, prepared.values, undefined);
  link(context, record, links.links);
  return { ok: true, record };
}

const link = (context: HubSpotContext, record: StoredRecord, links: readonly AssociationLink[]): void => {
  for (const { toId, typeId } of links) addAssociation(context.state, record.id, toId, typeId);
};

/** The record JSON for a read, honouring `properties` and `associations` query parameters. */
function readJson(
  context: HubSpotContext,
  request: RouteRequest,
  record: StoredRecord,
): Record<string, unknown> {
  const json = toPublicRecord(record, listParam(request.query, "properties") ?? "defaults");
  const toTypes = (listParam(request.query, "associations") ?? [])
    .map((name) => parseObjectType(name))
    .filter((type): type is HubSpotObjectType => type !== undefined);
  const associations =
    toTypes.length > 0 ? v3Associations(context, record.type, record.id, toTypes) : undefined;
  return associations === undefined ? json : { ...json, associations };
}

/** Registers the single-record and list routes of `…/objects/{type}` in both families. */
export function registerObjectRoutes(router: HubSpotRouter): void {
  addVersioned(router, "GET", "objects", "/:type", reads(), (req, context) => {
    const type = objectTypeOf(context, req);
    const limit = limitParam(context, req.query.get("limit"), 10, 100);
    const archived = req.query.get("archived") === "true";
    const records = [...context.state.records[type].values()]
      .filter((record) => record.archived === archived)
      .sort((a, b) => Number(a.id) - Number(b.id));
    const { slice, paging } = page(records, req.query.get("after"), limit);
    const results = slice.map((record) => readJson(context, req, record));
    return ok(paging === undefined ? { results } : { results, paging });
  });

  addVersioned(router, "POST", "objects", "/:type", writes(), (req, context) => {
    const type = objectTypeOf(context, req);
    const body = objectBody(context, req);
    const created = createWithAssociations(context, type, body["properties"], body["associations"]);
    if (!created.ok) fail(created.error);
    return ok(toPublicRecord(created.record), 201);
  });

  addVersioned(router, "GET", "objects", "/:type/:id", reads(), (req, context) => {
    const type = objectTypeOf(context, req);
    const idProperty = req.query.get("idProperty") ?? undefined;
    checkIdProperty(context, type, idProperty);
    const id = req.params["id"] ?? "";
    if (req.query.get("archived") === "true") {
      const archived = context.state.records[type].get(id);
      if (archived?.archived) return ok(readJson(context, req, archived));
    }
    return ok(readJson(context, req, requireRecord(context, type, id, idProperty)));
  });

  addVersioned(router, "PATCH", "objects", "/:type/:id", writes(), (req, context) => {
    const type = objectTypeOf(context, req);
    const idProperty = req.query.get("idProperty") ?? undefined;
    checkIdProperty(context, type, idProperty);
    const record = requireRecord(context, type, req.params["id"] ?? "", idProperty);
    const prepared = prepareWrite(context, type, objectBody(context, req)["properties"], record);
    if (!prepared.ok) fail(prepared.error);
    return ok(toPublicRecord(applyWrite(context, type, prepared.values, record)));
  });

  addVersioned(router, "DELETE", "objects", "/:type/:id", writes(), (req, context) => {
    const type = objectTypeOf(context, req);
    const record = findRecord(context, type, req.params["id"] ?? "");
    if (record !== undefined) archiveRecord(context, record);
    return { status: 204 };
  });
}
