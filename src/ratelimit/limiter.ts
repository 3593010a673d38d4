import { randomUUID } from "node:crypto";
import Bottleneck from "bottleneck";
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from "neverthrow";
import { type CrmError, classify } from "../errors/index.js";
import { type Clock, systemClock } from "../internal/clock.js";
import { calendarPeriod } from "./calendar.js";
import { costExceedsLimit, invalidRequest, storeError } from "./errors.js";
import { genericObserver } from "./headers.js";
import { createMemoryRateLimitStore } from "./memory-store.js";
import { entriesFor, resolvePolicies, validHeadroom } from "./policies.js";
import type { RateLimitStore, ResolvedPolicy, StoreAcquireEntry } from "./store.js";
import type {
  AcquireOptions,
  HeaderObserver,
  ObservedResponse,
  Permit,
  RateLimiter,
  RateLimitPolicy,
  RateLimitStats,
} from "./types.js";
import { createWaitQueues, type WaitQueues } from "./wait-queue.js";

/** Options for {@link createRateLimiter}. A vendor preset (`hubspotLimits(…)`) spreads `policies` and `observe`. */
export interface RateLimiterOptions {
  /** Every policy a request must pass; a request is admitted only when all applicable ones admit it. */
  policies: readonly RateLimitPolicy[];
  /**
   * Where budgets live. Give every process the same Redis store (`createRedisRateLimitStore` from
   * `crmkit/redis`) to share budgets across processes.
   * @default createMemoryRateLimitStore({ clock })
   */
  store?: RateLimitStore | undefined;
  /** Time source for waits (and for the default memory store). @default systemClock */
  clock?: Clock | undefined;
  /** Fraction of each published limit we allow ourselves, to stay clear of the vendor's ceiling. @default 0.9 */
  headroom?: number | undefined;
  /**
   * Most `schedule()` calls running at once per scope in this process, ordered by `priority` (bottleneck is the
   * local scheduler; windows stay in the store).
   * @default unlimited
   */
  maxConcurrent?: number | undefined;
  /** The bottleneck constructor, injectable for tests or a shared build. @default Bottleneck from "bottleneck" */
  Bottleneck?: typeof Bottleneck | undefined;
  /** The vendor's header observer(s); the generic `Retry-After` observer always runs after them. @default [] */
  observe?: HeaderObserver | readonly HeaderObserver[] | undefined;
  /** How long a concurrency slot stays held if its permit is never released (a crashed process). @default 120_000 */
  leaseMs?: number | undefined;
  /** Upper bound of the random delay added to wake-ups on a shared store. @default 25 */
  jitterMs?: number | undefined;
}

const NO_OPTIONS: AcquireOptions = Object.freeze({});

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function validateRequest(scope: string, cost: number): CrmError | undefined {
  if (typeof scope !== "string" || scope === "")
    return invalidRequest("The rate-limit scope must be a non-empty string");
  if (!Number.isInteger(cost) || cost < 0)
    return invalidRequest(`The request cost must be a non-negative integer, got ${cost}`);
  return undefined;
}

/**
 * Creates a rate limiter that admits a request only when every applicable policy has room, charges all of them
 * atomically, and otherwise parks the caller on one timer per scope until the budget frees up. Budgets are per
 * `scope` (the vendor account or token), so two tenants never share one.
 *
 * @example
 * const limiter = createRateLimiter({ ...hubspotLimits({ tier: "professional", timeZone: "Europe/Berlin" }) });
 * const result = await limiter.schedule(portalId, () => fetch(url), { tags: ["search"] });
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const clock = options.clock ?? systemClock;
  const headroom = validHeadroom("headroom", options.headroom ?? 0.9);
  const policies = resolvePolicies(options.policies, headroom);
  const byId = new Map(policies.map((policy) => [policy.id, policy]));
  const store = options.store ?? createMemoryRateLimitStore({ clock });
  const leaseMs = options.leaseMs ?? 120_000;
  if (!Number.isFinite(leaseMs) || leaseMs <= 0)
    throw new TypeError("createRateLimiter: option `leaseMs` must be a positive number");
  const observers = [
    ...(options.observe === undefined
      ? []
      : Array.isArray(options.observe)
        ? options.observe
        : [options.observe]),
    genericObserver,
  ] as HeaderObserver[];
  const concurrencyPolicies = policies.filter((policy) => policy.kind === "concurrency");
  const idPrefix = randomUUID().slice(0, 8);
  let sequence = 0;
  let closed = false;

  const maxConcurrent = options.maxConcurrent;
  if (maxConcurrent !== undefined && (!Number.isInteger(maxConcurrent) || maxConcurrent < 1)) {
    throw new TypeError(
      `createRateLimiter: option \`maxConcurrent\` must be a positive integer, got ${maxConcurrent}`,
    );
  }
  const BottleneckClass = options.Bottleneck ?? Bottleneck;
  const group = maxConcurrent === undefined ? undefined : new BottleneckClass.Group({ maxConcurrent });

  // Priced entries per (tags, cost): the hot path prices a request with one Map lookup.
  const priced = new Map<string, StoreAcquireEntry[]>();
  const plainEntries = entriesFor(policies, [], 1);
  const entriesOf = (tags: readonly string[], cost: number): StoreAcquireEntry[] => {
    if (cost === 1 && tags.length === 0) return plainEntries;
    const key = `${cost}|${tags.join(",")}`;
    let entries = priced.get(key);
    if (entries === undefined) {
      entries = entriesFor(policies, tags, cost);
      if (priced.size < 1024) priced.set(key, entries);
    }
    return entries;
  };

  const queues: WaitQueues = createWaitQueues({
    clock,
    store,
    leaseMs,
    policies: byId,
    jitterMs: store.distributed ? (options.jitterMs ?? 25) : 0,
    makePermit: (scope, permitId, entries, acquiredAt, waitedMs) =>
      makePermit(scope, permitId, entries, acquiredAt, waitedMs),
  });

  const makePermit = (
    scope: string,
    permitId: string,
    entries: readonly StoreAcquireEntry[],
    acquiredAt: number,
    waitedMs: number,
  ): Permit => {
    const holdsSlots =
      concurrencyPolicies.length > 0 && entries.some((entry) => entry.policy.kind === "concurrency");
    let released = !holdsSlots;
    return {
      scope,
      acquiredAt,
      waitedMs,
      release() {
        if (released) return;
        released = true;
        const done = (): void => queues.wake(scope);
        try {
          const pending = store.release(scope, permitId, concurrencyPolicies);
          // A failed release is healed by the lease; the permit holder has nothing to retry.
          if (isPromiseLike(pending)) pending.then(done, done);
          else done();
        } catch {
          done();
        }
      },
    };
  };

  const acquire = (
    scope: string,
    acquireOptions: AcquireOptions = NO_OPTIONS,
  ): ResultAsync<Permit, CrmError> => {
    const cost = acquireOptions.cost ?? 1;
    const invalid = validateRequest(scope, cost);
    if (invalid !== undefined) return errAsync(invalid);
    const entries = entriesOf(acquireOptions.tags ?? [], cost);
    for (const { policy, units } of entries) {
      if (units > policy.effectiveLimit)
        return errAsync(costExceedsLimit(policy.id, units, policy.effectiveLimit));
    }
    if (closed) return errAsync(queues.closedError());
    // Only concurrency slots and shared stores need a unique id; a process-local window never reads it.
    const permitId =
      store.distributed || concurrencyPolicies.length > 0 ? `${idPrefix}.${(sequence++).toString(36)}` : "";
    if (acquireOptions.signal?.aborted) return errAsync(queues.abortError(acquireOptions.signal.reason));
    if (queues.busy(scope, entries)) {
      return new ResultAsync(queues.enqueue(scope, permitId, entries, acquireOptions, cost, undefined));
    }
    // Nobody is parked ahead: try at once. A synchronous store (memory) then admits without a queue or a
    // promise chain; any other answer becomes the first attempt of a parked waiter.
    let attempt: ReturnType<RateLimitStore["tryAcquire"]>;
    try {
      attempt = store.tryAcquire(scope, { permitId, entries, leaseMs });
    } catch (error) {
      return errAsync(storeError(error));
    }
    if (!isPromiseLike(attempt)) {
      if (attempt.kind === "admitted") return okAsync(makePermit(scope, permitId, entries, attempt.now, 0));
      if (attempt.kind === "cost_exceeds_limit")
        return errAsync(costExceedsLimit(attempt.policyId, cost, attempt.limit));
    }
    if (!isPromiseLike(attempt) || acquireOptions.signal !== undefined) {
      return new ResultAsync(queues.enqueue(scope, permitId, entries, acquireOptions, cost, attempt));
    }
    // A networked store's first answer is awaited outside the queue, so the common case (admitted) costs no
    // queue bookkeeping; only a caller told to wait is parked. Callers with a signal take the queue path, where
    // an abort answers at once even while the store is slow.
    const startedAt = clock.now();
    return new ResultAsync(
      attempt.then(
        (result): Result<Permit, CrmError> | Promise<Result<Permit, CrmError>> => {
          if (result.kind === "admitted") {
            return ok(makePermit(scope, permitId, entries, result.now, Math.max(0, clock.now() - startedAt)));
          }
          if (result.kind === "cost_exceeds_limit")
            return err(costExceedsLimit(result.policyId, cost, result.limit));
          return queues.enqueue(scope, permitId, entries, acquireOptions, cost, result);
        },
        (error: unknown) => err(storeError(error)),
      ),
    );
  };

  const withStore = <T>(run: () => T | Promise<T>): ResultAsync<T, CrmError> =>
    ResultAsync.fromPromise((async () => run())(), (error) => storeError(error));

  const cooldown = (scope: string, ms: number): ResultAsync<void, CrmError> => {
    if (typeof scope !== "string" || scope === "")
      return errAsync(invalidRequest("The rate-limit scope must be a non-empty string"));
    if (!Number.isFinite(ms) || ms <= 0) return okAsync(undefined);
    return withStore(async () => {
      await store.cooldown(scope, Math.ceil(ms));
    });
  };

  // Without a reset hint the tightening lasts one window (sliding, rolling) or to the period's end (calendar).
  const defaultResetMs = (policy: ResolvedPolicy, now: number): number =>
    policy.kind === "calendar" ? calendarPeriod(policy.timeZone, now).end - now : policy.windowMs;

  const observe = (scope: string, response: ObservedResponse): ResultAsync<void, CrmError> =>
    withStore(async () => {
      const now = clock.now();
      let cooldownMs = 0;
      for (const observer of observers) {
        const advice = observer(response, now);
        if (advice === undefined) continue;
        if (advice.cooldownMs !== undefined && advice.cooldownMs > cooldownMs) cooldownMs = advice.cooldownMs;
        for (const item of advice.remaining ?? []) {
          const policy = byId.get(item.policyId);
          if (policy === undefined || policy.kind === "concurrency") continue;
          // Usage the vendor sees beyond ours is spent by others sharing the budget; count it as ours too.
          const vendorUsed = (item.limit ?? policy.limit) - item.remaining;
          const forMs = item.resetInMs ?? defaultResetMs(policy, now);
          if (vendorUsed > 0 && forMs > 0) await store.reconcile(scope, policy, vendorUsed, forMs);
        }
        // The vendor's own observer knows best; the generic one only fills in when it said nothing about pauses.
        if (advice.cooldownMs !== undefined) break;
      }
      if (cooldownMs > 0) await store.cooldown(scope, Math.ceil(cooldownMs));
    });

  const stats = (scope: string): ResultAsync<RateLimitStats, CrmError> =>
    withStore(async () => {
      const snapshot = await store.stats(scope, policies);
      return {
        scope,
        ...(snapshot.cooldownUntil === undefined ? {} : { cooldownUntil: snapshot.cooldownUntil }),
        policies: policies.map((policy, index) => {
          const usage = snapshot.policies[index] ?? { id: policy.id, used: 0 };
          const { effectiveLimit } = policy;
          return {
            id: policy.id,
            kind: policy.kind,
            limit: policy.limit,
            effectiveLimit,
            used: usage.used,
            remaining: Math.max(0, effectiveLimit - usage.used),
            ...(usage.resetInMs === undefined ? {} : { resetInMs: usage.resetInMs }),
          };
        }),
      };
    });

  const schedule = <T>(
    scope: string,
    fn: () => Promise<T>,
    acquireOptions: AcquireOptions = {},
  ): ResultAsync<T, CrmError> => {
    const task = async (): Promise<Result<T, CrmError>> => {
      const permit = await acquire(scope, acquireOptions);
      if (permit.isErr()) return err(permit.error);
      try {
        return ok(await fn());
      } catch (error) {
        return err(classify(error));
      } finally {
        permit.value.release();
      }
    };
    if (group === undefined) return new ResultAsync(task());
    return new ResultAsync(group.key(scope).schedule({ priority: acquireOptions.priority ?? 5 }, task));
  };

  return {
    acquire,
    schedule,
    observe,
    cooldown,
    stats,
    async close() {
      closed = true;
      queues.close();
      if (group !== undefined) await group.disconnect(false);
    },
  };
}
