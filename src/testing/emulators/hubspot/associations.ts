import { type EmulatorResponse, fail } from "../common/router.js";
import {
  ASSOCIATION_TYPES,
  type AssociationTypeEntry,
  defaultAssociationType,
  OBJECT_TYPE_IDS,
} from "./defaults.js";
import { validationError } from "./errors.js";
import { findRecord, requireRecord } from "./records.js";
import {
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
import { addVersioned } from "./versions.js";

/** One association to create, already validated. */
export interface AssociationLink {
  toType: HubSpotObjectType;
  toId: string;
  typeId: number;
}

/** 400 for an association type id that is not HubSpot-defined for from → to. */
export const typeError = (
  context: HubSpotContext,
  typeId: unknown,
  from: string,
  to?: string,
): EmulatorResponse =>
  validationError(
    context.correlationId(),
    `association type id ${String(typeId)} is not a valid HUBSPOT_DEFINED type from ${from}${to === undefined ? "" : ` to ${to}`}`,
  );

/** Validates one `{associationCategory, associationTypeId}` spec for from → to (to may be implied by the type). */
export function resolveSpec(
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

/** Whether {@link resolveSpec} answered with an error response. */
export const isResponse = (value: AssociationTypeEntry | EmulatorResponse): value is EmulatorResponse =>
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

/** The `associationTypes` of a v4/2026-03 association read. */
export const typesJson = (typeIds: readonly number[]) =>
  typeIds.map((typeId) => ({
    category: "HUBSPOT_DEFINED",
    typeId,
    label: ASSOCIATION_TYPES.get(typeId)?.label ?? null,
  }));

/** The labels result of an association create. */
export const labelsJson = (
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

/** A batch response: `COMPLETE`, the results, and `numErrors`/`errors` when some inputs failed. */
export const batchEnvelope = (
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

/** One result of a default (unlabeled) association. */
export const defaultResult = (fromId: string, toId: string, typeId: number) => ({
  from: { id: fromId },
  to: { id: toId },
  associationSpec: { associationCategory: "HUBSPOT_DEFINED", associationTypeId: typeId },
});

/** Registers the single-record association routes (v4 and 2026-03). */
export function registerAssociationRoutes(router: HubSpotRouter): void {
  addVersioned(
    router,
    "PUT",
    "objectAssociations",
    "/:type/:fromId/associations/default/:toType/:toId",
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

  addVersioned(
    router,
    "PUT",
    "objectAssociations",
    "/:type/:fromId/associations/:toType/:toId",
    writes(),
    (req, context) => {
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
    },
  );

  addVersioned(
    router,
    "GET",
    "objectAssociations",
    "/:type/:fromId/associations/:toType",
    reads(),
    (req, context) => {
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
    },
  );

  addVersioned(
    router,
    "DELETE",
    "objectAssociations",
    "/:type/:fromId/associations/:toType/:toId",
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
}
