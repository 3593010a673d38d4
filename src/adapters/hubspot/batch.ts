import type {
  AdapterCallContext,
  AssociationTarget,
  BatchItemResult,
  CrmObjectType,
  RecordRef,
} from "../../adapter/index.js";
import { CrmError, isCrmError } from "../../errors/index.js";
import {
  associationSpec,
  type HubSpotAssociationSpec,
  type HubSpotAssociationTypeTable,
} from "./associations.js";
import type { HubSpotClient } from "./client.js";
import { hubSpotItemError } from "./errors.js";
import type { HubSpotObject } from "./mapping.js";

/** Inputs per object batch call (read, create, update, upsert). */
export const HUBSPOT_OBJECT_BATCH_SIZE = 100;
/** Inputs per v4 association batch create. */
export const HUBSPOT_ASSOCIATION_BATCH_SIZE = 2_000;

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A batch response: 200/201 when every input succeeded, 207 with `errors[]` otherwise. */
export interface HubSpotBatchResponse<T = HubSpotObject> {
  readonly status?: string | undefined;
  readonly results?: readonly T[] | undefined;
  readonly numErrors?: number | undefined;
  readonly errors?: readonly unknown[] | undefined;
}

const contextValues = (error: unknown, key: string): string[] => {
  const context = (error as { context?: Record<string, unknown> } | null)?.context;
  const values = context?.[key];
  return Array.isArray(values) ? values.map(String) : [];
};

/**
 * Maps a traced batch write (each input sent with `objectWriteTraceId` = its index) to one result per input, in
 * input order: results by their echoed trace id, failures by `errors[].context.objectWriteTraceId`. An input
 * HubSpot answered for in neither list fails with `unknown_response`, never silently.
 */
export function tracedResults<T>(
  count: number,
  body: HubSpotBatchResponse<HubSpotObject & { objectWriteTraceId?: string }> | undefined,
  toValue: (object: HubSpotObject & { objectWriteTraceId?: string; new?: boolean }) => T,
  now: number,
  fallbackIndex?: (object: HubSpotObject) => number | undefined,
): BatchItemResult<T>[] {
  const results: (BatchItemResult<T> | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const object of body?.results ?? []) {
    const index =
      object.objectWriteTraceId === undefined ? fallbackIndex?.(object) : Number(object.objectWriteTraceId);
    if (index !== undefined && index >= 0 && index < count)
      results[index] = { ok: true, value: toValue(object) };
  }
  for (const error of body?.errors ?? []) {
    for (const trace of contextValues(error, "objectWriteTraceId")) {
      const index = Number(trace);
      if (Number.isInteger(index) && index >= 0 && index < count)
        results[index] = { ok: false, error: hubSpotItemError(error, now) };
    }
  }
  return results.map(
    (result) =>
      result ?? {
        ok: false,
        error: new CrmError({
          reason: "unknown_response",
          provider: "hubspot",
          message: "HubSpot's batch response did not account for this input",
        }),
      },
  );
}

/** Runs `run` on each chunk in order and concatenates the per-item results. */
export async function inChunks<I, T>(
  inputs: readonly I[],
  size: number,
  run: (chunk: readonly I[]) => Promise<BatchItemResult<T>[]>,
): Promise<BatchItemResult<T>[]> {
  const out: BatchItemResult<T>[] = [];
  for (const part of chunk(inputs, size)) out.push(...(await run(part)));
  return out;
}

/** A whole-batch failure as one failed result per input. */
export function failAll<T>(count: number, error: unknown): BatchItemResult<T>[] {
  const crmError = isCrmError(error)
    ? error
    : new CrmError({ reason: "unknown_response", provider: "hubspot", cause: error });
  return Array.from({ length: count }, () => ({ ok: false as const, error: crmError }));
}

interface LabelsResult {
  readonly fromObjectId?: number | string;
  readonly toObjectId?: number | string;
}

/**
 * Associates many pairs with v4 `batch/create` (≤ 2,000 per call, one call per from/to type pair); a pair
 * failing in a 207 fails on its own.
 */
export async function batchAssociate(
  client: HubSpotClient,
  table: HubSpotAssociationTypeTable,
  pairs: readonly { readonly from: RecordRef; readonly to: AssociationTarget }[],
  ctx?: AdapterCallContext,
): Promise<BatchItemResult<void>[]> {
  const results: BatchItemResult<void>[] = Array.from({ length: pairs.length }, () => ({
    ok: true,
    value: undefined,
  }));
  const groups = new Map<string, { from: CrmObjectType; to: CrmObjectType; indexes: number[] }>();
  for (const [index, pair] of pairs.entries()) {
    const key = `${pair.from.type}→${pair.to.type}`;
    const group = groups.get(key) ?? { from: pair.from.type, to: pair.to.type, indexes: [] };
    group.indexes.push(index);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    for (const indexes of chunk(group.indexes, HUBSPOT_ASSOCIATION_BATCH_SIZE)) {
      const inputs: { from: { id: string }; to: { id: string }; types: HubSpotAssociationSpec[] }[] = [];
      const sent: number[] = [];
      for (const index of indexes) {
        const pair = pairs[index] as (typeof pairs)[number];
        try {
          const spec = associationSpec(table, pair.from.type, pair.to.type, pair.to.label);
          inputs.push({ from: { id: pair.from.id }, to: { id: pair.to.id }, types: [spec] });
          sent.push(index);
        } catch (error) {
          results[index] = failAll<void>(1, error)[0] as BatchItemResult<void>;
        }
      }
      if (inputs.length === 0) continue;
      const route = client.route("batchAssociate", { type: group.from, toType: group.to });
      let body: HubSpotBatchResponse<LabelsResult> | undefined;
      try {
        // Creating an association that exists is a no-op, so the call is safe to repeat.
        body = (
          await client.send<HubSpotBatchResponse<LabelsResult>>(
            { ...route, json: { inputs }, idempotent: true },
            ctx,
          )
        ).body;
      } catch (error) {
        for (const index of sent) results[index] = failAll<void>(1, error)[0] as BatchItemResult<void>;
        continue;
      }
      const done = new Set((body?.results ?? []).map((r) => `${r.fromObjectId}/${r.toObjectId}`));
      const now = client.clock.now();
      for (const index of sent) {
        const pair = pairs[index] as (typeof pairs)[number];
        if (done.has(`${pair.from.id}/${pair.to.id}`)) continue;
        const failure = (body?.errors ?? []).find((e) => {
          const ids = [
            ...contextValues(e, "id"),
            ...contextValues(e, "ids"),
            ...contextValues(e, "fromObjectId"),
            ...contextValues(e, "toObjectId"),
          ];
          return ids.includes(pair.from.id) || ids.includes(pair.to.id);
        });
        if (failure !== undefined) results[index] = { ok: false, error: hubSpotItemError(failure, now) };
        else if ((body?.errors?.length ?? 0) > 0 || body?.results !== undefined)
          results[index] = failAll<void>(
            1,
            new CrmError({
              reason: "unknown_response",
              provider: "hubspot",
              message: "HubSpot's association batch response did not account for this pair",
            }),
          )[0] as BatchItemResult<void>;
      }
    }
  }
  return results;
}
