import {
  type AdapterCallContext,
  type AdapterCapabilities,
  type BatchItemResult,
  type CrmAdapter,
  type CrmObjectType,
  type CrmRecord,
  type CrmValue,
  defineAdapter,
} from "../../adapter/index.js";
import { CrmError, isCrmError } from "../../errors/index.js";
import type { Clock } from "../../internal/clock.js";
import type { createFaultController } from "./faults.js";
import type { FakeStore } from "./store.js";
import type { FakeCall, FakeCrmMethod } from "./types.js";
import { rejection } from "./validate.js";

const WRITES = new Set<FakeCrmMethod>([
  "create",
  "update",
  "upsert",
  "associate",
  "createNote",
  "createTask",
  "batchCreate",
  "batchUpdate",
  "batchUpsert",
  "batchAssociate",
]);

/** What the fake adapter is assembled from. */
export interface FakeAdapterParts {
  readonly provider: string;
  readonly capabilities: AdapterCapabilities;
  readonly store: FakeStore;
  readonly faults: ReturnType<typeof createFaultController>;
  readonly calls: FakeCall[];
  readonly clock: Clock;
}

function compact(properties: Record<string, CrmValue | undefined>): Record<string, CrmValue> {
  return Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== undefined)) as Record<
    string,
    CrmValue
  >;
}

/** Builds the `CrmAdapter` of a fake CRM: every method is one logged "request" that faults can fail. */
export function createFakeAdapter(parts: FakeAdapterParts): CrmAdapter {
  const { provider, capabilities, store, faults, calls, clock } = parts;
  const { batchSizes } = capabilities;

  // One CRM request: logged, then failed by a fault before or after it takes effect, or run.
  const call = async <T>(
    method: FakeCrmMethod,
    type: CrmObjectType | undefined,
    items: number,
    ctx: AdapterCallContext | undefined,
    run: () => T,
  ): Promise<T> => {
    if (ctx?.signal?.aborted === true) {
      throw new CrmError({ reason: "aborted", provider, cause: ctx.signal.reason });
    }
    const kind = WRITES.has(method) ? "write" : "read";
    const entry: { -readonly [K in keyof FakeCall]: FakeCall[K] } = {
      method,
      type,
      items,
      kind,
      at: clock.now(),
    };
    calls.push(entry);
    const decision = faults.decide(method, type, kind === "write");
    if (decision.before !== undefined) {
      entry.error = decision.before.reason;
      throw decision.before;
    }
    let result: T;
    try {
      result = run();
    } catch (error) {
      if (isCrmError(error)) entry.error = error.reason;
      throw error;
    }
    if (decision.after !== undefined) {
      entry.error = decision.after.reason;
      entry.afterWrite = true;
      throw decision.after;
    }
    return result;
  };

  const capped = (size: "read" | "create" | "update" | "upsert" | "associate", count: number): void => {
    const max = batchSizes[size] ?? 0;
    if (count > max) {
      throw rejection(provider, "payload_too_large", `A batch holds at most ${max} items, got ${count}`);
    }
  };

  const each = <I, T>(inputs: readonly I[], run: (input: I) => T): BatchItemResult<T>[] =>
    inputs.map((input) => {
      try {
        return { ok: true, value: run(input) };
      } catch (error) {
        if (!isCrmError(error)) throw error;
        return { ok: false, error };
      }
    });

  const searchable = (type: CrmObjectType, field: string): void => {
    if (!store.hasField(type, field)) {
      throw rejection(provider, "invalid_property", `${type}s have no property "${field}" to search`, [
        field,
      ]);
    }
  };

  const upsertKeyCheck = (type: CrmObjectType, field: string): void => {
    if (!(capabilities.upsertKeys[type] ?? []).includes(field)) {
      throw rejection(provider, "validation_failed", `${type}s cannot be upserted on "${field}"`, [field]);
    }
  };

  const adapter: CrmAdapter = {
    provider,
    capabilities,
    find: (query, ctx) =>
      call("find", query.type, 1, ctx, () => {
        store.supports(query.type);
        searchable(query.type, query.field);
        return store.find(query.type, query.field, query.value, true).slice(0, query.limit ?? 10);
      }),
    get: (type, ids, ctx) =>
      call("get", type, ids.length, ctx, () => {
        store.supports(type);
        return ids.map((id) => store.get(type, id)).filter((r): r is CrmRecord => r !== undefined);
      }),
    findOpenDeals: (query, ctx) => call("findOpenDeals", "deal", 1, ctx, () => store.openDeals(query)),
    listOwners: (ctx) => call("listOwners", undefined, 1, ctx, () => store.owners.map((o) => ({ ...o }))),
    listPipelines: (objectType, ctx) =>
      call("listPipelines", objectType, 1, ctx, () => store.pipelines(objectType)),
    describeFields: (type, ctx) =>
      call("describeFields", type, 1, ctx, () => {
        store.supports(type);
        return store.describe(type);
      }),
    async *listChanged(type, options, ctx) {
      const records = await call("listChanged", type, 1, ctx, () => {
        store.supports(type);
        const since = Date.parse(options.since);
        if (Number.isNaN(since))
          throw rejection(provider, "validation_failed", `"${options.since}" is not a date`);
        return store.changedSince(type, since);
      });
      yield* records;
    },
    create: (type, input, ctx) => call("create", type, 1, ctx, () => store.create(type, input)),
    update: (type, input, ctx) => call("update", type, 1, ctx, () => store.update(type, input)),
    associate: (from, to, ctx) => call("associate", from.type, 1, ctx, () => store.associate(from, to)),
    createNote: (input, ctx) =>
      call("createNote", "note", 1, ctx, () => {
        const properties = compact({ body: input.body, timestamp: input.timestamp, owner_id: input.ownerId });
        return store.create("note", { properties, associations: input.associations });
      }),
    createTask: (input, ctx) =>
      call("createTask", "task", 1, ctx, () => {
        const properties = compact({
          subject: input.subject,
          body: input.body,
          due_at: input.dueAt,
          priority: input.priority,
          owner_id: input.ownerId,
          status: "not_started",
        });
        return store.create("task", { properties, associations: input.associations });
      }),
  };

  const hasUpsert = Object.values(capabilities.upsertKeys).some(
    (keys) => keys !== undefined && keys.length > 0,
  );
  if (hasUpsert) {
    adapter.upsert = (type, input, ctx) =>
      call("upsert", type, 1, ctx, () => {
        upsertKeyCheck(type, input.key.field);
        return store.upsert(type, input);
      });
  }
  if (batchSizes.read !== undefined) {
    adapter.findMany = (type, field, values, ctx) =>
      call("findMany", type, values.length, ctx, () => {
        store.supports(type);
        searchable(type, field);
        capped("read", values.length);
        return new Map(values.map((value) => [value, store.find(type, field, value, true)] as const));
      });
  }
  if (batchSizes.create !== undefined) {
    adapter.batchCreate = (type, inputs, ctx) =>
      call("batchCreate", type, inputs.length, ctx, () => {
        capped("create", inputs.length);
        return each(inputs, (input) => store.create(type, input));
      });
  }
  if (batchSizes.update !== undefined) {
    adapter.batchUpdate = (type, inputs, ctx) =>
      call("batchUpdate", type, inputs.length, ctx, () => {
        capped("update", inputs.length);
        return each(inputs, (input) => store.update(type, input));
      });
  }
  if (batchSizes.upsert !== undefined) {
    adapter.batchUpsert = (type, inputs, ctx) =>
      call("batchUpsert", type, inputs.length, ctx, () => {
        capped("upsert", inputs.length);
        return each(inputs, (input) => {
          upsertKeyCheck(type, input.key.field);
          return store.upsert(type, input);
        });
      });
  }
  if (batchSizes.associate !== undefined) {
    adapter.batchAssociate = (pairs, ctx) =>
      call("batchAssociate", pairs[0]?.from.type, pairs.length, ctx, () => {
        capped("associate", pairs.length);
        return each(pairs, (pair) => store.associate(pair.from, pair.to));
      });
  }
  return defineAdapter(adapter);
}
