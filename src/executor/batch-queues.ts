import type { AdapterCallContext, BatchItemResult } from "../adapter/index.js";
import { CrmError } from "../errors/index.js";
import type { BatchingOptions } from "./batching-adapter.js";

export interface Item<I, T> {
  readonly input: I;
  readonly context: AdapterCallContext | undefined;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

export interface Queue {
  readonly items: Item<unknown, unknown>[];
  readonly size: number;
  /** Items that must not share a batch (two writes to one record), by identity key; `undefined`: no constraint. */
  readonly identity: (input: unknown) => string | undefined;
  readonly single: (item: Item<unknown, unknown>) => Promise<unknown>;
  readonly batch: (items: readonly Item<unknown, unknown>[]) => Promise<readonly BatchItemResult<unknown>[]>;
}

// Splits items into chunks of at most `size`, never putting two items with one identity into the same chunk: two
// updates of one record in one batch call would race inside the CRM.
function chunk(
  items: readonly Item<unknown, unknown>[],
  size: number,
  identity: (input: unknown) => string | undefined,
) {
  const chunks: { items: Item<unknown, unknown>[]; ids: Set<string> }[] = [];
  for (const item of items) {
    const id = identity(item.input);
    let target = chunks.find((c) => c.items.length < size && (id === undefined || !c.ids.has(id)));
    if (target === undefined) {
      target = { items: [], ids: new Set() };
      chunks.push(target);
    }
    target.items.push(item);
    if (id !== undefined) target.ids.add(id);
  }
  return chunks.map((c) => c.items);
}

/** The queueing half of `createBatchingAdapter`: which calls are batched, and how, is the adapter's to say. */
export function createBatchQueues(options: BatchingOptions) {
  const { adapter, scope, limiter, signal, count } = options;
  const queues = new Map<string, Queue>();
  let scheduled = false;

  // One real request: the limiter admits it once, and every run it serves counts it.
  const send = async <T>(
    contexts: readonly (AdapterCallContext | undefined)[],
    fn: () => Promise<T>,
  ): Promise<T> => {
    let permit: { release(): void } | undefined;
    if (limiter !== undefined) {
      const acquired = await limiter.acquire(scope, { signal });
      if (acquired.isErr()) throw acquired.error;
      permit = acquired.value;
    }
    for (const context of new Set(contexts)) count(context);
    try {
      return await fn();
    } finally {
      permit?.release();
    }
  };

  const runChunk = async (queue: Queue, items: Item<unknown, unknown>[]): Promise<void> => {
    const live = items.filter((item) => {
      if (item.context?.signal?.aborted !== true) return true;
      item.reject(
        new CrmError({ reason: "aborted", provider: adapter.provider, cause: item.context.signal.reason }),
      );
      return false;
    });
    if (live.length === 0) return;
    try {
      if (live.length === 1) {
        const item = live[0]!;
        item.resolve(await send([item.context], () => queue.single(item)));
        return;
      }
      const results = await send(
        live.map((item) => item.context),
        () => queue.batch(live),
      );
      live.forEach((item, index) => {
        const result = results[index];
        if (result === undefined) {
          item.reject(
            new CrmError({
              reason: "unknown_response",
              provider: adapter.provider,
              code: "batch_result_missing",
              message: `batch call returned ${results.length} results for ${live.length} items`,
            }),
          );
        } else if (result.ok) item.resolve(result.value);
        else item.reject(result.error);
      });
    } catch (error) {
      for (const item of live) item.reject(error);
    }
  };

  const flush = (): void => {
    scheduled = false;
    const pending = [...queues.values()];
    queues.clear();
    for (const queue of pending) {
      for (const items of chunk(queue.items, queue.size, queue.identity)) void runChunk(queue, items);
    }
  };

  const enqueue = <I, T>(
    key: string,
    make: () => Omit<Queue, "items">,
    input: I,
    context: AdapterCallContext | undefined,
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let queue = queues.get(key);
      if (queue === undefined) {
        queue = { ...make(), items: [] };
        queues.set(key, queue);
      }
      queue.items.push({ input, context, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        // setImmediate runs after every promise continuation of this turn: all runs that reached the same step
        // by now are in the queue.
        setImmediate(flush);
      }
    });

  const direct = <T>(context: AdapterCallContext | undefined, fn: () => Promise<T>): Promise<T> =>
    send([context], fn);

  return { enqueue, direct };
}
