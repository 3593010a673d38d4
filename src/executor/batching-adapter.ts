import type {
  AdapterCallContext,
  AssociationTarget,
  CrmAdapter,
  CrmObjectType,
  CrmRecord,
  LookupReport,
  NoteInput,
  RecordRef,
  TaskInput,
  UpdateInput,
  UpsertInput,
  UpsertResult,
  WriteInput,
} from "../adapter/index.js";
import { noteWrite, taskWrite } from "../adapter/index.js";
import { groupFinds, type LookupRequest } from "../planner/index.js";
import type { RateLimiter } from "../ratelimit/index.js";
import { createBatchQueues } from "./batch-queues.js";

/** What the batching adapter needs besides the adapter it batches for. */
export interface BatchingOptions {
  readonly adapter: CrmAdapter;
  readonly scope: string;
  /** Acquired once per real adapter call (a batch call is one call). */
  readonly limiter?: RateLimiter | undefined;
  /** Aborts every real call (the `runMany` signal). */
  readonly signal?: AbortSignal | undefined;
  /** Counts one call for the run behind an adapter context: every run served by a batch call counts it. */
  readonly count: (context: AdapterCallContext | undefined) => void;
}

interface FindInput {
  readonly value: string;
  readonly limit: number;
}

/**
 * An adapter for `runMany` that merges the single calls of many concurrent runs into the wrapped adapter's batch
 * calls: searches into `findMany` (grouped with `groupFinds`), creates, updates, upserts and associations into
 * `batchCreate`/`batchUpdate`/`batchUpsert`/`batchAssociate`, chunked by `capabilities.batchSizes`. Calls queued
 * within one turn of the event loop go out together. Each run still sees its own item's result or error, so one
 * failed item fails only its event; a failed batch call fails every item in it, and each run retries on its own.
 * It declares no batch methods itself, so the executor above it issues single calls.
 */
export function createBatchingAdapter(options: BatchingOptions): CrmAdapter {
  const { adapter, signal } = options;
  const sizes = adapter.capabilities.batchSizes;
  const { enqueue, direct } = createBatchQueues(options);

  const batchContext: AdapterCallContext = signal === undefined ? {} : { signal };

  const find = (
    type: CrmObjectType,
    field: string,
    input: FindInput,
    context: AdapterCallContext | undefined,
  ) => {
    const read = sizes.read;
    if (adapter.findMany === undefined || read === undefined) {
      return direct(context, () =>
        adapter.find({ type, field, value: input.value, limit: input.limit }, context),
      );
    }
    return enqueue<FindInput, readonly CrmRecord[]>(
      `find:${type}:${field}`,
      () => ({
        size: read,
        identity: () => undefined,
        single: (item) => {
          const { value, limit } = item.input as FindInput;
          return adapter.find({ type, field, value, limit }, item.context);
        },
        batch: async (items) => {
          const requests: LookupRequest[] = items.map((item) => {
            const { value } = item.input as FindInput;
            return { kind: "find", key: value, type, field, value };
          });
          const [group] = groupFinds(requests);
          // Each event's plan shows how the shared lookup was answered.
          const onLookup = (report: LookupReport) => {
            for (const context of new Set(items.map((item) => item.context))) context?.onLookup?.(report);
          };
          const found = await adapter.findMany!(type, field, group?.values ?? [], {
            ...batchContext,
            onLookup,
          });
          return items.map((item) => {
            const { value, limit } = item.input as FindInput;
            return { ok: true, value: (found.get(value) ?? []).slice(0, limit) };
          });
        },
      }),
      input,
      context,
    );
  };

  // Notes and tasks go out as `batchCreate("note" | "task")` when the adapter batches creates of that type: with
  // one note per lead they were otherwise the one write of a lead flow that cost a call per event. A lone item still
  // goes through `createNote`/`createTask`, so an adapter's own translation is used whenever there is no batch.
  const activity = <I extends NoteInput | TaskInput>(
    type: "note" | "task",
    input: I,
    context: AdapterCallContext | undefined,
    toWrite: (input: I) => WriteInput,
    single: (input: I, context: AdapterCallContext | undefined) => Promise<CrmRecord>,
  ): Promise<CrmRecord> => {
    const size = sizes.create;
    if (
      adapter.batchCreate === undefined ||
      size === undefined ||
      !adapter.capabilities.objects.includes(type)
    ) {
      return direct(context, () => single(input, context));
    }
    return enqueue<I, CrmRecord>(
      `activity:${type}`,
      () => ({
        size,
        identity: () => undefined,
        single: (item) => single(item.input as I, item.context),
        batch: (items) =>
          adapter.batchCreate!(
            type,
            items.map((item) => toWrite(item.input as I)),
            batchContext,
          ),
      }),
      input,
      context,
    );
  };

  const wrapped: CrmAdapter = {
    provider: adapter.provider,
    capabilities: { ...adapter.capabilities, batchSizes: {} },
    find: (query, context) =>
      find(query.type, query.field, { value: query.value, limit: query.limit ?? 10 }, context),
    get: (type, ids, context) => direct(context, () => adapter.get(type, ids, context)),
    findOpenDeals: (query, context) => direct(context, () => adapter.findOpenDeals(query, context)),
    listOwners: (context) => direct(context, () => adapter.listOwners(context)),
    listPipelines: (type, context) => direct(context, () => adapter.listPipelines(type, context)),
    describeFields: (type, context) => direct(context, () => adapter.describeFields(type, context)),
    create: (type, input, context) => {
      const size = sizes.create;
      if (adapter.batchCreate === undefined || size === undefined) {
        return direct(context, () => adapter.create(type, input, context));
      }
      return enqueue<WriteInput, CrmRecord>(
        `create:${type}`,
        () => ({
          size,
          identity: () => undefined,
          single: (item) => adapter.create(type, item.input as WriteInput, item.context),
          batch: (items) =>
            adapter.batchCreate!(
              type,
              items.map((item) => item.input as WriteInput),
              batchContext,
            ),
        }),
        input,
        context,
      );
    },
    update: (type, input, context) => {
      const size = sizes.update;
      if (adapter.batchUpdate === undefined || size === undefined) {
        return direct(context, () => adapter.update(type, input, context));
      }
      return enqueue<UpdateInput, CrmRecord>(
        `update:${type}`,
        () => ({
          size,
          identity: (item) => (item as UpdateInput).id,
          single: (item) => adapter.update(type, item.input as UpdateInput, item.context),
          batch: (items) =>
            adapter.batchUpdate!(
              type,
              items.map((item) => item.input as UpdateInput),
              batchContext,
            ),
        }),
        input,
        context,
      );
    },
    associate: (from, to, context) => {
      const size = sizes.associate;
      if (adapter.batchAssociate === undefined || size === undefined) {
        return direct(context, () => adapter.associate(from, to, context));
      }
      type Pair = { from: RecordRef; to: AssociationTarget };
      return enqueue<Pair, void>(
        "associate",
        () => ({
          size,
          identity: () => undefined,
          single: (item) => {
            const pair = item.input as Pair;
            return adapter.associate(pair.from, pair.to, item.context);
          },
          batch: (items) =>
            adapter.batchAssociate!(
              items.map((item) => item.input as Pair),
              batchContext,
            ),
        }),
        { from, to },
        context,
      );
    },
    createNote: (input, context) =>
      activity("note", input, context, noteWrite, (item, ctx) => adapter.createNote(item, ctx)),
    createTask: (input, context) =>
      activity("task", input, context, taskWrite, (item, ctx) => adapter.createTask(item, ctx)),
  };
  if (adapter.upsert !== undefined) {
    const upsert = adapter.upsert.bind(adapter);
    wrapped.upsert = (type, input, context) => {
      const size = sizes.upsert;
      if (adapter.batchUpsert === undefined || size === undefined) {
        return direct(context, () => upsert(type, input, context));
      }
      return enqueue<UpsertInput, UpsertResult>(
        `upsert:${type}:${input.key.field}`,
        () => ({
          size,
          identity: (item) => (item as UpsertInput).key.value.toLowerCase(),
          single: (item) => upsert(type, item.input as UpsertInput, item.context),
          batch: (items) =>
            adapter.batchUpsert!(
              type,
              items.map((item) => item.input as UpsertInput),
              batchContext,
            ),
        }),
        input,
        context,
      );
    };
  }
  return wrapped;
}
