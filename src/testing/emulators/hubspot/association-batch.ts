import { fail } from "../common/router.js";
import {
  batchEnvelope,
  defaultResult,
  isResponse,
  labelsJson,
  resolveSpec,
  typeError,
  typesJson,
} from "./associations.js";
import { type AssociationTypeEntry, defaultAssociationType } from "./defaults.js";
import { notFoundError, validationError } from "./errors.js";
import { findRecord } from "./records.js";
import { batchInputs, type HubSpotRouter, objectTypeOf, ok, reads, stringField, writes } from "./routing.js";
import { addAssociation, associationsOf, removeAssociation } from "./store.js";
import { addVersioned } from "./versions.js";

/** Registers the batch association routes (`/crm/v4/associations/…` and `/crm/associations/2026-03/…`). */
export function registerAssociationBatchRoutes(router: HubSpotRouter): void {
  const batch = "/:type/:toType/batch";

  addVersioned(router, "POST", "associations", `${batch}/create`, writes(), (req, context) => {
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

  addVersioned(router, "POST", "associations", `${batch}/associate/default`, writes(), (req, context) => {
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

  addVersioned(router, "POST", "associations", `${batch}/read`, reads(), (req, context) => {
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

  addVersioned(router, "POST", "associations", `${batch}/archive`, writes(), (req, context, family) => {
    const startedAt = context.clock.now();
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
    // v4 answers 204 No Content; 2026-03 answers 200 with an (empty) batch response.
    return family === "v3" ? { status: 204 } : ok(batchEnvelope(context, startedAt, []));
  });
}
