import type { IdempotencyStore } from "../idempotency/index.js";
import { registerIdempotencyAcquireTests } from "./idempotency-conformance-acquire.js";
import { createIdempotencySuite } from "./idempotency-conformance-harness.js";
import { registerIdempotencyLeaseTests } from "./idempotency-conformance-leases.js";
import { registerIdempotencyOutageTests } from "./idempotency-conformance-outage.js";
import { registerIdempotencyRecordTests } from "./idempotency-conformance-records.js";
import { registerClockSkewTests } from "./idempotency-conformance-skew.js";

/** The two test-registration functions of any runner (vitest, jest, `node:test`, mocha). */
export interface ConformanceRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void;
}

/** Options of {@link runIdempotencyStoreConformance}. */
export interface IdempotencyStoreConformanceOptions {
  /** Shown in the suite name. @default "idempotency store" */
  name?: string | undefined;
  /** Creates a store; called once per test. The suite calls `close()` on it. */
  create(): IdempotencyStore | Promise<IdempotencyStore>;
  /**
   * A store over a second connection/client to the same backend as `first`, for the concurrency test (return
   * `first` itself for in-process stores).
   * @default create
   */
  createSecondConnection?:
    | ((first: IdempotencyStore) => IdempotencyStore | Promise<IdempotencyStore>)
    | undefined;
  /**
   * Moves the store's clock (a fake clock injected into the store). Without it, time-dependent tests use short
   * real leases and poll the store.
   */
  clock?: { advance(ms: number): Promise<void> } | undefined;
  /** Lease used by real-time tests (no `clock`); keep it short but well above the store's round trip. @default 400 */
  leaseMs?: number | undefined;
  /** Record TTL used by the real-time TTL and reaper tests. @default 1500 */
  shortTtlMs?: number | undefined;
  /** Trials of the concurrent-duplicates test. @default 200 */
  trials?: number | undefined;
  /** Concurrent duplicate deliveries per trial. @default 50 */
  concurrency?: number | undefined;
  /** The store's `maxResultBytes`. @default 262_144 */
  maxResultBytes?: number | undefined;
  /**
   * True when the store's clock is this process's `Date.now()`: an in-process store on the system clock, or
   * PGlite (its `now()` reads it). Callers then cannot be skewed against the store, so the clock-skew test checks
   * that leases follow that one clock instead of skewing the callers'. Leave it unset for stores with a clock of
   * their own (a server's, or a fake clock injected into the store).
   */
  sharesCallerClock?: boolean | undefined;
  /** True when the backend deletes expired records itself (Redis key TTLs): `purgeExpired` may then find none. */
  expiresNatively?: boolean | undefined;
  /**
   * Stops and restarts the backend, for the outage test. `create` is called again after `start()`.
   */
  outage?: { stop(): Promise<void>; start(): Promise<void> } | undefined;
  /** Per-test timeout passed to `it`. @default 60_000 */
  timeoutMs?: number | undefined;
}

/**
 * The executable specification of {@link IdempotencyStore}: registers tests for exactly-once acquisition under
 * concurrent duplicates, replay, fingerprint mismatch, lease expiry and take-over with checkpoints, fencing of
 * zombie owners, renewal, retryable vs terminal failure, TTL boundaries, size and serialization limits, the
 * reaper, clients whose clocks are 30 s apart, and (with `outage`) fail-closed behaviour. Runner-agnostic: pass
 * your runner's `describe` and `it`.
 *
 * @example
 * import { describe, it } from "vitest";
 * runIdempotencyStoreConformance({ describe, it }, {
 *   name: "my store",
 *   create: () => createMyStore({ client }),
 * });
 */
export function runIdempotencyStoreConformance(
  runner: ConformanceRunner,
  options: IdempotencyStoreConformanceOptions,
): void {
  const { describe, it } = runner;
  const suite = createIdempotencySuite(it, options);
  const { leaseMs, timeout, request, afterLease } = suite;

  describe(`${options.name ?? "idempotency store"} conformance`, () => {
    registerIdempotencyAcquireTests(suite);
    registerIdempotencyLeaseTests(suite);
    registerIdempotencyRecordTests(suite);
    registerClockSkewTests({
      it,
      timeoutMs: timeout,
      // Real backends get a lease long enough that the skewed duplicate lands while it is certainly live.
      leaseMs: options.clock ? leaseMs : Math.max(leaseMs, 1_000),
      sharesCallerClock: options.sharesCallerClock === true,
      async open() {
        const first = await options.create();
        const second = await (options.createSecondConnection ?? options.create)(first);
        return {
          first,
          second,
          async close() {
            await first.close();
            if (second !== first) await second.close();
          },
        };
      },
      request: (scope, key, ms) => request(scope, key, "fp-1", { leaseMs: ms }),
      afterLease,
    });
    registerIdempotencyOutageTests(suite);
  });
}
