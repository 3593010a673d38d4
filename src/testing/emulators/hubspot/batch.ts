import { type EmulatorResponse, fail } from "../common/router.js";
import { prepareInlineAssociations } from "./associations.js";
import { SINGULAR } from "./defaults.js";
import { notFoundError, validationError } from "./errors.js";
import { checkIdProperty, createWithAssociations } from "./objects.js";
import {
  applyWrite,
  archiveRecord,
  findRecord,
  prepareWrite,
  toPublicRecord,
  uniqueProperties,
} from "./records.js";
import {
  batchInputs,
  type HubSpotRouter,
  objectBody,
  objectTypeOf,
  ok,
  reads,
  stringField,
  writes,
} from "./routing.js";
import { type HubSpotContext, iso } from "./store.js";
import type { HubSpotObjectType } from "./types.js";
import { addVersioned } from "./versions.js";

/** HubSpot's cap on inputs per object batch call. */
export const OBJECT_BATCH_LIMIT = 100;

type Step = { ok: true; apply: () => unknown } | { ok: false; error: EmulatorResponse };

const errorItem = (error: EmulatorResponse, traceId: string | undefined): unknown => {
  const body = (error.body ?? {}) as Record<string, unknown>;
  const context = {
    ...((body["context"] as object | undefined) ?? {}),
    ...(traceId === undefined ? {} : { objectWriteTraceId: [traceId] }),
  };
  return { status: "error", category: body["category"], message: body["message"], context };
};

/**
 * Runs a batch the way HubSpot does: when any input carries `objectWriteTraceId`, good inputs are applied and bad
 * ones are reported in a 207 multi-status; otherwise the first bad input fails the whole batch and nothing is
 * written.
 */
function runBatch(
  context: HubSpotContext,
  inputs: readonly unknown[],
  validate: (input: unknown) => Step,
  successStatus: number,
): EmulatorResponse {
  const startedAt = context.clock.now();
  const traced = inputs.some((input) => stringField(input, "objectWriteTraceId") !== undefined);
  const results: unknown[] = [];
  const errors: unknown[] = [];
  if (!traced) {
    const steps = inputs.map(validate);
    for (const step of steps) if (!step.ok) fail(step.error);
    for (const step of steps) if (step.ok) results.push(step.apply());
  } else {
    for (const input of inputs) {
      const step = validate(input);
      if (step.ok) results.push(step.apply());
      else errors.push(errorItem(step.error, stringField(input, "objectWriteTraceId")));
    }
  }
  const body = {
    status: "COMPLETE",
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt: iso(startedAt),
    completedAt: iso(context.clock.now()),
  };
  return ok(body, errors.length > 0 ? 207 : successStatus);
}

/** 400 when two inputs of one batch carry the same unique value (they would race each other). */
function rejectDuplicates(
  context: HubSpotContext,
  type: HubSpotObjectType,
  inputs: readonly unknown[],
  upsertKey?: string,
): void {
  const names = upsertKey === undefined ? uniqueProperties(context, type) : [upsertKey];
  for (const name of names) {
    const seen = new Set<string>();
    for (const input of inputs) {
      const raw =
        upsertKey === undefined
          ? stringField((input as Record<string, unknown>)?.["properties"], name)
          : stringField(input, "id");
      if (raw === undefined || raw === "") continue;
      const value = name === "email" ? raw.trim().toLowerCase() : raw;
      if (seen.has(value))
        fail(
          validationError(
            context.correlationId(),
            `Duplicate IDs found in batch input: [${value}]. IDs must be unique`,
          ),
        );
      seen.add(value);
    }
  }
}

/** Registers `POST …/objects/{type}/batch/{read,create,update,upsert,archive}` in both families. */
export function registerBatchRoutes(router: HubSpotRouter): void {
  addVersioned(router, "POST", "objects", "/:type/batch/read", reads(), (req, context) => {
    const type = objectTypeOf(context, req);
    const body = objectBody(context, req);
    const inputs = batchInputs(context, req, OBJECT_BATCH_LIMIT);
    const idProperty = typeof body["idProperty"] === "string" ? body["idProperty"] : undefined;
    checkIdProperty(context, type, idProperty);
    const requested =
      Array.isArray(body["properties"]) && body["properties"].length > 0
        ? (body["properties"] as string[])
        : "defaults";
    const startedAt = context.clock.now();
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = stringField(input, "id") ?? "";
      const record = findRecord(context, type, id, idProperty);
      if (record === undefined) missing.push(id);
      else results.push(toPublicRecord(record, requested));
    }
    const errors =
      missing.length === 0
        ? []
        : [
            {
              status: "error",
              category: "OBJECT_NOT_FOUND",
              message: `Could not get some ${SINGULAR[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
              context: { ids: missing },
            },
          ];
    return ok(
      {
        status: "COMPLETE",
        results,
        ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
        startedAt: iso(startedAt),
        completedAt: iso(context.clock.now()),
      },
      errors.length > 0 ? 207 : 200,
    );
  });

  addVersioned(router, "POST", "objects", "/:type/batch/create", writes(), (req, context) => {
    const type = objectTypeOf(context, req);
    const inputs = batchInputs(context, req, OBJECT_BATCH_LIMIT);
    rejectDuplicates(context, type, inputs);
    return runBatch(
      context,
      inputs,
      (input) => {
        const fields = (input ?? {}) as Record<string, unknown>;
        // Validate without writing; the write happens in apply() so a failing batch leaves no partial state.
        const prepared = prepareWrite(context, type, fields["properties"], undefined);
        if (!prepared.ok) return prepared;
        const links = prepareInlineAssociations(context, type, fields["associations"]);
        if (!links.ok) return links;
        return {
          ok: true,
          apply: () => {
            const created = createWithAssociations(
              context,
              type,
              fields["properties"],
              fields["associations"],
            );
            if (!created.ok) fail(created.error);
            const traceId = stringField(input, "objectWriteTraceId");
            return {
              ...toPublicRecord(created.record),
              ...(traceId === undefined ? {} : { objectWriteTraceId: traceId }),
            };
          },
        };
      },
      201,
    );
  });

  addVersioned(router, "POST", "objects", "/:type/batch/update", writes(), (req, context) => {
    const type = objectTypeOf(context, req);
    const inputs = batchInputs(context, req, OBJECT_BATCH_LIMIT);
    return runBatch(
      context,
      inputs,
      (input) => {
        const id = stringField(input, "id") ?? "";
        const idProperty = stringField(input, "idProperty");
        checkIdProperty(context, type, idProperty);
        const record = findRecord(context, type, id, idProperty);
        if (record === undefined) return { ok: false, error: notFoundError(context.correlationId(), id) };
        const prepared = prepareWrite(
          context,
          type,
          (input as Record<string, unknown>)["properties"],
          record,
        );
        if (!prepared.ok) return prepared;
        return { ok: true, apply: () => toPublicRecord(applyWrite(context, type, prepared.values, record)) };
      },
      200,
    );
  });

  addVersioned(router, "POST", "objects", "/:type/batch/upsert", writes(), (req, context) => {
    const type = objectTypeOf(context, req);
    const inputs = batchInputs(context, req, OBJECT_BATCH_LIMIT);
    for (const input of inputs) {
      const idProperty = stringField(input, "idProperty");
      if (idProperty === undefined || !uniqueProperties(context, type).includes(idProperty))
        fail(
          validationError(
            context.correlationId(),
            `idProperty must be a unique property of ${type} (${uniqueProperties(context, type).join(", ") || "none defined"}), got ${idProperty ?? "nothing"}`,
          ),
        );
      rejectDuplicates(context, type, inputs, idProperty);
    }
    return runBatch(
      context,
      inputs,
      (input) => {
        const idProperty = stringField(input, "idProperty") as string;
        const id = stringField(input, "id") ?? "";
        const existing = findRecord(context, type, id, idProperty);
        const properties = {
          ...((input as Record<string, unknown>)["properties"] as object | undefined),
          [idProperty]: id,
        };
        const prepared = prepareWrite(context, type, properties, existing);
        if (!prepared.ok) return prepared;
        return {
          ok: true,
          apply: () => ({
            ...toPublicRecord(applyWrite(context, type, prepared.values, existing)),
            new: existing === undefined,
          }),
        };
      },
      200,
    );
  });

  addVersioned(router, "POST", "objects", "/:type/batch/archive", writes(), (req, context) => {
    const type = objectTypeOf(context, req);
    for (const input of batchInputs(context, req, OBJECT_BATCH_LIMIT)) {
      const record = findRecord(context, type, stringField(input, "id") ?? "");
      if (record !== undefined) archiveRecord(context, record);
    }
    return { status: 204 };
  });
}
