import type {
  AdapterCallContext,
  AssociationTarget,
  BatchItemResult,
  CrmObjectType,
  CrmRecord,
  UpdateInput,
  UpsertInput,
  UpsertResult,
  WriteInput,
} from "../../adapter/index.js";
import { isCrmError } from "../../errors/index.js";
import type { HubSpotAssociationTypeTable } from "./associations.js";
import {
  batchAssociate,
  failAll,
  HUBSPOT_OBJECT_BATCH_SIZE,
  type HubSpotBatchResponse,
  inChunks,
  tracedResults,
} from "./batch.js";
import type { HubSpotClient } from "./client.js";
import type { HubSpotFields } from "./fields.js";
import { toCrmRecord } from "./mapping.js";
import type { HubSpotWrites } from "./writes.js";

/** The batch write operations: ≤ 100 inputs per call, one result per input in order. */
export interface HubSpotBatchWrites {
  batchCreate(
    type: CrmObjectType,
    inputs: readonly WriteInput[],
    ctx?: AdapterCallContext,
  ): Promise<BatchItemResult<CrmRecord>[]>;
  batchUpdate(
    type: CrmObjectType,
    inputs: readonly UpdateInput[],
    ctx?: AdapterCallContext,
  ): Promise<BatchItemResult<CrmRecord>[]>;
  batchUpsert(
    type: CrmObjectType,
    inputs: readonly UpsertInput[],
    ctx?: AdapterCallContext,
  ): Promise<BatchItemResult<UpsertResult>[]>;
}

/**
 * Creates the batch writes. Inputs are validated one by one before sending (a bad one fails alone, unsent); the
 * rest go with `objectWriteTraceId` so HubSpot answers a 207 per input instead of failing the whole batch.
 */
export function createHubSpotBatchWrites(
  client: HubSpotClient,
  fields: HubSpotFields,
  associationTypes: HubSpotAssociationTypeTable,
  writes: HubSpotWrites,
): HubSpotBatchWrites {
  const { create, inline } = writes;
  const withAssociations = async <T>(
    type: CrmObjectType,
    results: BatchItemResult<T>[],
    inputs: readonly WriteInput[],
    idOf: (value: T) => string,
    ctx?: AdapterCallContext,
  ): Promise<BatchItemResult<T>[]> => {
    const pairs: { from: { type: CrmObjectType; id: string }; to: AssociationTarget; index: number }[] = [];
    for (const [index, result] of results.entries()) {
      if (!result.ok) continue;
      for (const to of inputs[index]?.associations ?? [])
        pairs.push({ from: { type, id: idOf(result.value) }, to, index });
    }
    if (pairs.length === 0) return results;
    const linked = await batchAssociate(client, associationTypes, pairs, ctx);
    const out = [...results];
    for (const [i, link] of linked.entries()) {
      const index = (pairs[i] as (typeof pairs)[number]).index;
      if (!link.ok && out[index]?.ok) out[index] = { ok: false, error: link.error };
    }
    return out;
  };

  return {
    batchCreate: (type, inputs, ctx) =>
      inChunks(inputs, HUBSPOT_OBJECT_BATCH_SIZE, async (part) => {
        const map = await fields.map(type, ctx);
        const prepared = await Promise.all(
          part.map(async (input, index) => {
            try {
              const properties = await fields.prepareWrite(type, input.properties, ctx, { creating: true });
              const associations = inline(type, input.associations);
              return {
                objectWriteTraceId: String(index),
                properties,
                associations,
              };
            } catch (error) {
              return failAll<CrmRecord>(1, error)[0] as BatchItemResult<CrmRecord>;
            }
          }),
        );
        const sendable = prepared.filter(
          (p): p is Extract<(typeof prepared)[number], { objectWriteTraceId: string }> =>
            "objectWriteTraceId" in p,
        );
        let results: BatchItemResult<CrmRecord>[];
        if (sendable.length === 0) results = [];
        else {
          try {
            const response = await client.send<HubSpotBatchResponse>(
              { ...client.route("batchCreate", { type }), json: { inputs: sendable } },
              ctx,
            );
            results = tracedResults(
              part.length,
              response.body,
              (object) => toCrmRecord(map, object),
              client.clock.now(),
            );
          } catch (error) {
            // A duplicate fails the whole batch naming only the first conflict: create the inputs one by one.
            if (isCrmError(error) && error.reason === "duplicate_conflict" && sendable.length > 1) {
              results = Array.from({ length: part.length }, () => ({ ok: false as const, error }));
              for (const input of sendable) {
                const index = Number(input.objectWriteTraceId);
                try {
                  results[index] = { ok: true, value: await create(type, part[index] as WriteInput, ctx) };
                } catch (single) {
                  results[index] = failAll<CrmRecord>(1, single)[0] as BatchItemResult<CrmRecord>;
                }
              }
            } else results = failAll(part.length, error);
          }
        }
        return prepared.map((p, i) =>
          "objectWriteTraceId" in p ? (results[i] as BatchItemResult<CrmRecord>) : p,
        );
      }),
    batchUpdate: (type, inputs, ctx) =>
      inChunks(inputs, HUBSPOT_OBJECT_BATCH_SIZE, async (part) => {
        const map = await fields.map(type, ctx);
        const prepared = await Promise.all(
          part.map(async (input, index) => {
            try {
              return {
                id: input.id,
                objectWriteTraceId: String(index),
                properties: await fields.prepareWrite(type, input.properties, ctx),
              };
            } catch (error) {
              return failAll<CrmRecord>(1, error)[0] as BatchItemResult<CrmRecord>;
            }
          }),
        );
        const sendable = prepared.filter(
          (p): p is Extract<(typeof prepared)[number], { objectWriteTraceId: string }> =>
            "objectWriteTraceId" in p,
        );
        let results: BatchItemResult<CrmRecord>[] = [];
        if (sendable.length > 0) {
          try {
            const response = await client.send<HubSpotBatchResponse>(
              {
                ...client.route("batchUpdate", { type }),
                json: { inputs: sendable },
                idempotent: true,
              },
              ctx,
            );
            results = tracedResults(
              part.length,
              response.body,
              (object) => toCrmRecord(map, object),
              client.clock.now(),
              (object) =>
                sendable.find((s) => s.id === String(object.id)) === undefined
                  ? undefined
                  : Number(sendable.find((s) => s.id === String(object.id))?.objectWriteTraceId),
            );
          } catch (error) {
            results = failAll(part.length, error);
          }
        }
        const merged = prepared.map((p, i) =>
          "objectWriteTraceId" in p ? (results[i] as BatchItemResult<CrmRecord>) : p,
        );
        return withAssociations(type, merged, part, (record) => record.id, ctx);
      }),
    batchUpsert: (type, inputs, ctx) =>
      inChunks(inputs, HUBSPOT_OBJECT_BATCH_SIZE, async (part) =>
        withAssociations(
          type,
          await writes.upsertChunk(type, part, ctx),
          part,
          (value) => value.record.id,
          ctx,
        ),
      ),
  };
}
