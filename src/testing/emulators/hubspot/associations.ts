import { type EmulatorResponse, fail } from "../common/router.js";
import {
  ASSOCIATION_TYPES,
  type AssociationTypeEntry,
  defaultAssociationType,
  OBJECT_TYPE_IDS,
} from "./defaults.js";
import { notFoundError, validationError } from "./errors.js";
import { findRecord, requireRecord } from "./records.js";
import {
  batchInputs,
  type HubSpotRouter,
  limitParam,
  objectTypeOf,
  ok,
  page,
  reads,
  stringField,
  writes,
} from "./routing.js";
import { addAssociation, associationsOf, type HubSpotContext, iso, removeAssociation } from "./store.js";
import type { HubSpotObjectType } from "./types.js";

/** One association to create, already validated. */
export interface AssociationLink {
  toType: HubSpotObjectType;
  toId: string;
  typeId: number;
}

const typeError = (context: HubSpotContext, typeId: unknown, from: string, to?: string): EmulatorResponse =>
  validationError(
    context.correlationId(),
    `association type id ${String(typeId)} is not a valid HUBSPOT_DEFINED type from ${from}${to === undefined ? "" : ` to ${to}`}`,
  );

/** Validates one `{associationCategory, associationTypeId}` spec for from → to (to may be implied by the type). */
function resolveSpec(
  context: HubSpotContext,
  spec: unknown,
  fromType: HubSpotObjectType,
  toType: HubSpotObjectType | undefined,
): AssociationTypeEntry | EmulatorResponse {
  const category = stringField(spec, "associationCategory");
  const rawId = (spec as Record<string, unknown> | null)?.["associationTypeId"];
  const typeId = typeof rawId === "number" ? rawId : Number(rawId);
  const entry = ASSOCIATION_TYPES.get(typeId);
  if (
    category !== "HUBSPOT_DEFINED" ||
    entry === undefined ||
    entry.from !== fromType ||
    (toType !== undefined && entry.to !== toType)
  )
    return typeError(context, rawId, fromType, toType);
  return entry;
}

const isResponse = (value: AssociationTypeEntry | EmulatorResponse): value is EmulatorResponse =>
  "status" in value;

/** Validates the inline `associations` of a create (`[{to:{id}, types:[…]}]`); the target type follows from the type id. */
export function prepareInlineAssociations(
  context: HubSpotContext,
  fromType: HubSpotObjectType,
  input: unknown,
): { ok: true; links: AssociationLink[] } | { ok: false; error: EmulatorResponse } {
  if (input === undefined || input === null) return { ok: true, links: [] };
  if (!Array.isArray(input))
    return { ok: false, error: validationError(context.correlationId(), "associations must be an array") };
  const links: AssociationLink[] = [];
  for (const association of input) {
    const toId = stringField((association as Record<string, unknown> | null)?.["to"], "id");
    const types = (association as Record<string, unknown> | null)?.["types"];
    if (toId === undefined || !Array.isArray(types) || types.length === 0)
      return {
        ok: false,
        error: validationError(context.correlationId(), "each association needs `to.id` and `types`"),
      };
    for (const spec of types) {
      const entry = resolveSpec(context, spec, fromType, undefined);
      if (isResponse(entry)) return { ok: false, error: entry };
      if (findRecord(context, entry.to, toId) === undefined)
        return {
          ok: false,
          error: validationError(context.correlationId(), `${entry.to} ${toId} does not exist`, {
            id: [toId],
          }),
        };
      links.push({ toType: entry.to, toId, typeId: entry.typeId });
    }
  }
  return { ok: true, links };
}

/** The v3 `associations` block of a record read with `associations=companies,deals`. */
export function v3Associations(
  context: HubSpotContext,
  fromType: HubSpotObjectType,
  fromId: string,
  toTypes: readonly HubSpotObjectType[],
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const toType of toTypes) {
    const results = associationsOf(context.state, fromType, fromId, toType).flatMap(({ toId, typeIds }) =>
      typeIds.map((typeId) => ({ id: toId, type: ASSOCIATION_TYPES.get(typeId)?.name ?? String(typeId) })),
    );
    if (results.length > 0) out[toType] = { results };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const typesJson = (typeIds: readonly number[]) =>
  typeIds.map((typeId) => ({
    category: "HUBSPOT_DEFINED",
    typeId,
    label: ASSOCIATION_TYPES.get(typeId)?.label ?? null,
  }));

const labelsJson = (
  context: HubSpotContext,
  fromType: HubSpotObjectType,
  fromId: string,
  toType: HubSpotObjectType,
  toId: string,
) => {
  const typeIds =
    associationsOf(context.state, fromType, fromId, toType).find((a) => a.toId === toId)?.typeIds ?? [];
  return {
    fromObjectTypeId: OBJECT_TYPE_IDS[fromType],
    fromObjectId: Number(fromId),
    toObjectTypeId: OBJECT_TYPE_IDS[toType],
    toObjectId: Number(toId),
    labels: typeIds
      .map((id) => ASSOCIATION_TYPES.get(id)?.label)
      .filter((label): label is string => typeof label === "string"),
  };
};

const batchEnvelope = (
  context: HubSpotContext,
  startedAt: number,
  results: unknown[],
  errors: unknown[] = [],
) => ({
  status: "COMPLETE",
  results,
  ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
  startedAt: iso(startedAt),
  completedAt: iso(context.clock.now()),
});

const defaultResult = (fromId: string, toId: string, typeId: number) => ({
  from: { id: fromId },
  to: { id: toId },
  associationSpec: { associationCategory: "HUBSPOT_DEFINED", associationTypeId: typeId },
});

/** Registers the v4 association routes. */
export function registerAssociationRoutes(router: HubSpotRouter): void {
  router.add(
    "PUT",
    "/crm/v4/objects/:type/:fromId/associations/default/:toType/:toId",
    writes(),
    (req, context) => {
      const fromType = objectTypeOf(context, req);
      const toType = objectTypeOf(context, req, "toType");
      const startedAt = context.clock.now();
      const from = requireRecord(context, fromType, req.params["fromId"] ?? "");
      const to = requireRecord(context, toType, req.params["toId"] ?? "");
      const entry = defaultAssociationType(fromType, toType);
      if (entry === undefined) fail(typeError(context, "default", fromType, toType));
      addAssociation(context.state, from.id, to.id, entry.typeId);
      return ok(
        batchEnvelope(context, startedAt, [
          defaultResult(from.id, to.id, entry.typeId),
          defaultResult(to.id, from.id, entry.inverse),
        ]),
      );
    },
  );

  router.add("PUT", "/crm/v4/objects/:type/:fromId/associations/:toType/:toId", writes(), (req, context) => {
    const fromType = objectTypeOf(context, req);
    const toType = objectTypeOf(context, req, "toType");
    const from = requireRecord(context, fromType, req.params["fromId"] ?? "");
    const to = requireRecord(context, toType, req.params["toId"] ?? "");
    if (!Array.isArray(req.body) || req.body.length === 0)
      fail(validationError(context.correlationId(), "body must be a non-empty array of association types"));
    const entries = req.body.map((spec) => resolveSpec(context, spec, fromType, toType));
    for (const entry of entries) if (isResponse(entry)) fail(entry);
    for (const entry of entries as AssociationTypeEntry[])
      addAssociation(context.state, from.id, to.id, entry.typeId);
    return ok(labelsJson(context, fromType, from.id, toType, to.id), 201);
  });

  router.add("GET", "/crm/v4/objects/:type/:fromId/associations/:toType", reads(), (req, context) => {
    const fromType = objectTypeOf(context, req);
    const toType = objectTypeOf(context, req, "toType");
    const from = requireRecord(context, fromType, req.params["fromId"] ?? "");
    const limit = limitParam(context, req.query.get("limit"), 500, 500);
    const all = associationsOf(context.state, fromType, from.id, toType).map(({ toId, typeIds }) => ({
      toObjectId: Number(toId),
      associationTypes: typesJson(typeIds),
    }));
    const { slice, paging } = page(all, req.query.get("after"), limit);
    return ok(paging === undefined ? { results: slice } : { results: slice, paging });
  });

  router.add(
    "DELETE",
    "/crm/v4/objects/:type/:fromId/associations/:toType/:toId",
    writes(),
    (req, context) => {
      removeAssociation(
        context.state,
        objectTypeOf(context, req),
        req.params["fromId"] ?? "",
        objectTypeOf(context, req, "toType"),
        req.params["toId"] ?? "",
      );
      return { status: 204 };
    },
  );

  const batchBase = "/crm/v4/associations/:type/:toType/batch";

  router.add("POST", `${batchBase}/create`, writes(), (req, context) => {
    const fromType = objectTypeOf(context, req);
    const toType = objectTypeOf(context, req, "toType");
    const startedAt = context.clock.now();
    const inputs = batchInputs(context, req, 2000);
    const planned: { fromId: string; toId: string; entries: AssociationTypeEntry[] }[] = [];
    for (const input of inputs) {
      const fromId = stringField((input as Record<string, unknown>)?.["from"], "id") ?? "";
      const toId = stringField((input as Record<string, unknown>)?.["to"], "id") ?? "";
      const types = (input as Record<string, unknown>)?.["types"];
      if (!Array.isArray(types) || types.length === 0)
        fail(validationError(context.correlationId(), "each input needs `types`"));
      const entries = types.map((spec) => resolveSpec(context, spec, fromType, toType));
      for (const entry of entries) if (isResponse(entry)) fail(entry);
      planned.push({ fromId, toId, entries: entries as AssociationTypeEntry[] });
    }
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const { fromId, toId, entries } of planned) {
      const missing = [
        findRecord(context, fromType, fromId) ? undefined : fromId,
        findRecord(context, toType, toId) ? undefined : toId,
      ].filter((id): id is string => id !== undefined);
      if (missing.length > 0) {
        errors.push({
          ...(notFoundError(context.correlationId(), missing[0] as string).body as object),
          context: { id: missing },
        });
        continue;
      }
      for (const entry of entries) addAssociation(context.state, fromId, toId, entry.typeId);
      results.push(labelsJson(context, fromType, fromId, toType, toId));
    }
    return ok(batchEnvelope(context, startedAt, results, errors), errors.length > 0 ? 207 : 201);
  });

  router.add("POST", `${batchBase}/associate/default`, writes(), (req, context) => {
    const fromType = objectTypeOf(context, req);
    const toType = objectTypeOf(context, req, "toType");
    const startedAt = context.clock.now();
    const entry = defaultAssociationType(fromType, toType);
    if (entry === undefined) fail(typeError(context, "default", fromType, toType));
    const inputs = batchInputs(context, req, 2000);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      const fromId = stringField((input as Record<string, unknown>)?.["from"], "id") ?? "";
      const toId = stringField((input as Record<string, unknown>)?.["to"], "id") ?? "";
      if (!findRecord(context, fromType, fromId) || !findRecord(context, toType, toId)) {
        errors.push(
          notFoundError(context.correlationId(), findRecord(context, fromType, fromId) ? toId : fromId).body,
        );
        continue;
      }
      addAssociation(context.state, fromId, toId, entry.typeId);
      results.push(defaultResult(fromId, toId, entry.typeId), defaultResult(toId, fromId, entry.inverse));
    }
    return ok(batchEnvelope(context, startedAt, results, errors), errors.length > 0 ? 207 : 200);
  });

  router.add("POST", `${batchBase}/read`, reads(), (req, context) => {
    const fromType = objectTypeOf(context, req);
    const toType = objectTypeOf(context, req, "toType");
    const startedAt = context.clock.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of batchInputs(context, req, 1000)) {
      const id = stringField(input, "id") ?? "";
      if (!findRecord(context, fromType, id)) {
        errors.push(notFoundError(context.correlationId(), id).body);
        continue;
      }
      const to = associationsOf(context.state, fromType, id, toType).map(({ toId, typeIds }) => ({
        toObjectId: Number(toId),
        associationTypes: typesJson(typeIds),
      }));
      results.push({ from: { id }, to });
    }
    return ok(batchEnvelope(context, startedAt, results, errors), errors.length > 0 ? 207 : 200);
  });

  router.add("POST", `${batchBase}/archive`, writes(), (req, context) => {
    const fromType = objectTypeOf(context, req);
    const toType = objectTypeOf(context, req, "toType");
    for (const input of batchInputs(context, req, 2000)) {
      const fromId = stringField((input as Record<string, unknown>)?.["from"], "id") ?? "";
      const targets = (input as Record<string, unknown>)?.["to"];
      for (const target of Array.isArray(targets) ? targets : [targets]) {
        const toId = stringField(target, "id");
        if (toId !== undefined) removeAssociation(context.state, fromType, fromId, toType, toId);
      }
    }
    return { status: 204 };
  });
}
