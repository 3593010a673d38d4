import { err, ok, type Result } from "neverthrow";
import type { CrmError } from "../errors/index.js";
import type { Clock } from "../internal/clock.js";
import { abortedError, costExceedsLimit, storeError, waitTooLong } from "./errors.js";
import type {
  MaybePromise,
  RateLimitStore,
  ResolvedPolicy,
  StoreAcquireEntry,
  StoreAcquireResult,
} from "./store.js";
import type { AcquireOptions, Permit } from "./types.js";

/** What the wait queues need from the limiter that owns them. */
export interface WaitQueuesOptions {
  readonly clock: Clock;
  readonly store: RateLimitStore;
  readonly leaseMs: number;
  readonly policies: ReadonlyMap<string, ResolvedPolicy>;
  /** Upper bound of the random delay added to each wake-up (0 for a process-local store). */
  readonly jitterMs: number;
  readonly makePermit: (
    scope: string,
    permitId: string,
    entries: readonly StoreAcquireEntry[],
    acquiredAt: number,
    waitedMs: number,
  ) => Permit;
}

/** Per-(scope, policy set) FIFO queues of parked acquires, each driven by at most one timer. */
export interface WaitQueues {
  /** True when callers are already parked for this scope and policy set (newcomers must queue behind them). */
  busy(scope: string, entries: readonly StoreAcquireEntry[]): boolean;
  /** Parks a caller; `first` is an answer the store already gave for it, saving one round trip. */
  enqueue(
    scope: string,
    permitId: string,
    entries: readonly StoreAcquireEntry[],
    options: AcquireOptions,
    cost: number,
    first: MaybePromise<StoreAcquireResult> | undefined,
  ): Promise<Result<Permit, CrmError>>;
  /** Retries a scope's queues now (a concurrency slot was released in this process). */
  wake(scope: string): void;
  /** Cancels every timer and rejects every parked caller with `aborted`. */
  close(): void;
  closedError(): CrmError;
  abortError(reason: unknown): CrmError;
}

interface Waiter {
  readonly seq: number;
  readonly priority: number;
  readonly permitId: string;
  readonly entries: readonly StoreAcquireEntry[];
  readonly cost: number;
  readonly startedAt: number;
  readonly deadline: number;
  readonly resolve: (result: Result<Permit, CrmError>) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  first: MaybePromise<StoreAcquireResult> | undefined;
  done: boolean;
}

interface Queue {
  readonly key: string;
  readonly scope: string;
  readonly waiters: Waiter[];
  timer: unknown;
  running: boolean;
  rerun: boolean;
}

function isPromiseLike<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

const queueKey = (scope: string, entries: readonly StoreAcquireEntry[]): string => {
  let key = scope;
  for (const entry of entries) key += `\u0000${entry.policy.id}`;
  return key;
};

/** Creates the wait queues of one limiter. */
export function createWaitQueues(options: WaitQueuesOptions): WaitQueues {
  const { clock, store, leaseMs, jitterMs } = options;
  const queues = new Map<string, Queue>();
  const byScope = new Map<string, Set<Queue>>();
  let seq = 0;
  let closed = false;

  const closedError = (): CrmError => abortedError(new Error("The rate limiter was closed"));

  const removeQueue = (queue: Queue): void => {
    if (queues.get(queue.key) !== queue) return;
    queues.delete(queue.key);
    const set = byScope.get(queue.scope);
    set?.delete(queue);
    if (set?.size === 0) byScope.delete(queue.scope);
  };

  const finish = (queue: Queue, waiter: Waiter, result: Result<Permit, CrmError>): void => {
    if (waiter.done) return;
    waiter.done = true;
    const index = queue.waiters.indexOf(waiter);
    if (index === 0) queue.waiters.shift();
    else if (index > 0) queue.waiters.splice(index, 1);
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener("abort", waiter.onAbort);
    waiter.resolve(result);
  };

  const refund = async (queue: Queue, waiter: Waiter, acquiredAt: number): Promise<void> => {
    try {
      await store.refund(
        queue.scope,
        { permitId: waiter.permitId, entries: waiter.entries, leaseMs },
        acquiredAt,
      );
    } catch {
      // The admission then simply ages out of its window; the aborted caller has already been answered.
    }
  };

  const drive = async (queue: Queue): Promise<void> => {
    if (queue.running) {
      queue.rerun = true;
      return;
    }
    queue.running = true;
    if (queue.timer !== undefined) {
      clock.clearTimeout(queue.timer);
      queue.timer = undefined;
    }
    try {
      while (!closed) {
        const waiter = queue.waiters[0];
        if (waiter === undefined) break;
        let result: StoreAcquireResult;
        try {
          const attempt =
            waiter.first ??
            store.tryAcquire(queue.scope, { permitId: waiter.permitId, entries: waiter.entries, leaseMs });
          waiter.first = undefined;
          result = isPromiseLike(attempt) ? await attempt : attempt;
        } catch (error) {
          finish(queue, waiter, err(storeError(error)));
          continue;
        }
        if (waiter.done) {
          if (result.kind === "admitted") await refund(queue, waiter, result.now);
          continue;
        }
        if (result.kind === "admitted") {
          const permit = options.makePermit(
            queue.scope,
            waiter.permitId,
            waiter.entries,
            result.now,
            Math.max(0, clock.now() - waiter.startedAt),
          );
          finish(queue, waiter, ok(permit));
          continue;
        }
        if (result.kind === "cost_exceeds_limit") {
          finish(queue, waiter, err(costExceedsLimit(result.policyId, waiter.cost, result.limit)));
          continue;
        }
        if (clock.now() + result.retryAfterMs > waiter.deadline) {
          const policy = options.policies.get(result.policyId);
          finish(queue, waiter, err(waitTooLong(policy, result.policyId, result.retryAfterMs)));
          continue;
        }
        // Processes sharing a store would otherwise all wake in the same millisecond and stampede the store.
        const jitter =
          jitterMs > 0 ? Math.random() * Math.min(jitterMs, Math.max(2, result.retryAfterMs / 4)) : 0;
        queue.timer = clock.setTimeout(() => {
          queue.timer = undefined;
          void drive(queue);
        }, result.retryAfterMs + jitter);
        break;
      }
    } finally {
      queue.running = false;
      if (queue.rerun && !closed) {
        queue.rerun = false;
        void drive(queue);
      } else if (queue.waiters.length === 0) {
        if (queue.timer !== undefined) clock.clearTimeout(queue.timer);
        queue.timer = undefined;
        removeQueue(queue);
      }
    }
  };

  return {
    busy(scope, entries) {
      // Checking the scope first keeps the common case (nobody waiting anywhere in it) free of string building.
      if (!byScope.has(scope)) return false;
      return (queues.get(queueKey(scope, entries))?.waiters.length ?? 0) > 0;
    },

    enqueue(scope, permitId, entries, acquireOptions, cost, first) {
      return new Promise((resolve) => {
        if (closed) {
          resolve(err(closedError()));
          return;
        }
        const key = queueKey(scope, entries);
        let queue = queues.get(key);
        if (queue === undefined) {
          queue = { key, scope, waiters: [], timer: undefined, running: false, rerun: false };
          queues.set(key, queue);
          let set = byScope.get(scope);
          if (set === undefined) {
            set = new Set();
            byScope.set(scope, set);
          }
          set.add(queue);
        }
        const startedAt = clock.now();
        const waiter: Waiter = {
          seq: seq++,
          priority: acquireOptions.priority ?? 5,
          permitId,
          entries,
          cost,
          startedAt,
          deadline: startedAt + (acquireOptions.maxWaitMs ?? Number.POSITIVE_INFINITY),
          resolve,
          signal: acquireOptions.signal,
          onAbort: undefined,
          first,
          done: false,
        };
        // Stable priority order: behind every waiter of the same or a more urgent priority.
        let index = queue.waiters.length;
        while (index > 0 && queue.waiters[index - 1]!.priority > waiter.priority) index--;
        queue.waiters.splice(index, 0, waiter);
        const owner = queue;
        if (waiter.signal !== undefined) {
          waiter.onAbort = () => {
            const wasHead = owner.waiters[0] === waiter;
            finish(owner, waiter, err(abortedError(waiter.signal?.reason)));
            if (wasHead) void drive(owner);
          };
          waiter.signal.addEventListener("abort", waiter.onAbort, { once: true });
        }
        if (index === 0) void drive(queue);
      });
    },

    wake(scope) {
      for (const queue of byScope.get(scope) ?? []) void drive(queue);
    },

    close() {
      closed = true;
      for (const queue of queues.values()) {
        if (queue.timer !== undefined) clock.clearTimeout(queue.timer);
        queue.timer = undefined;
        for (const waiter of [...queue.waiters]) finish(queue, waiter, err(closedError()));
      }
      queues.clear();
      byScope.clear();
    },

    closedError,
    abortError: (reason) => abortedError(reason),
  };
}
