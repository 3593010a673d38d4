import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { AcquireRequest, IdempotencyStore } from "../idempotency/index.js";
import { acquiredLease, expectErr, expectOk } from "./idempotency-conformance-assert.js";
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

const HOUR = 60 * 60 * 1000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
  const leaseMs = options.clock ? 30_000 : (options.leaseMs ?? 400);
  const shortTtlMs = options.clock ? HOUR : (options.shortTtlMs ?? 1500);
  const trials = options.trials ?? 200;
  const concurrency = options.concurrency ?? 50;
  const maxResultBytes = options.maxResultBytes ?? 256 * 1024;
  const timeout = options.timeoutMs ?? 60_000;

  const withStore = async (
    body: (store: IdempotencyStore, scope: string) => Promise<void>,
  ): Promise<void> => {
    const store = await options.create();
    try {
      await body(store, `conformance:${randomUUID()}`);
    } finally {
      await store.close();
    }
  };
  const request = (
    scope: string,
    key: string,
    fingerprint = "fp-1",
    overrides: Partial<AcquireRequest> = {},
  ) => ({
    scope,
    key,
    fingerprint,
    leaseMs,
    ttlMs: HOUR,
    ...overrides,
  });
  // Waits until a lease of `ms` has certainly expired on the store's clock: advances a fake clock, or polls
  // the store until it reports the record as taken over-able (no fixed sleeps on real backends).
  const afterLease = async (
    store: IdempotencyStore,
    scope: string,
    key: string,
    ms: number,
  ): Promise<void> => {
    if (options.clock) {
      await options.clock.advance(ms + 1);
      return;
    }
    const deadline = Date.now() + ms * 20 + 5_000;
    for (let remaining = await remainingLease(store, scope, key); remaining >= 0; ) {
      if (Date.now() > deadline) assert.fail("lease did not expire in time");
      await realSleep(Math.max(10, Math.min(100, remaining + 5)));
      remaining = await remainingLease(store, scope, key);
    }
  };
  // The store's own view of the remaining lease, measured on its clock via a throwaway record's createdAt;
  // negative once the lease has certainly ended.
  const remainingLease = async (store: IdempotencyStore, scope: string, key: string): Promise<number> => {
    const clockKey = `clock:${randomUUID()}`;
    expectOk(await store.acquire(request(scope, clockKey)));
    const now = expectOk(await store.get(scope, clockKey))?.createdAt ?? 0;
    expectOk(await store.delete(scope, clockKey));
    const record = expectOk(await store.get(scope, key));
    return record?.leaseExpiresAt === undefined ? -1 : record.leaseExpiresAt - now;
  };
  const afterTtl = async (
    store: IdempotencyStore,
    scope: string,
    key: string,
    ttl: number,
  ): Promise<void> => {
    if (options.clock) {
      await options.clock.advance(ttl + 1);
      return;
    }
    const deadline = Date.now() + ttl * 20 + 5_000;
    while (expectOk(await store.get(scope, key)) !== undefined) {
      if (Date.now() > deadline) assert.fail("record did not expire in time");
      await realSleep(50);
    }
  };

  describe(`${options.name ?? "idempotency store"} conformance`, () => {
    it("acquires a new key as attempt 1 without take-over or checkpoint", async () => {
      await withStore(async (store, scope) => {
        const outcome = expectOk(await store.acquire(request(scope, "k")));
        assert.equal(outcome.kind, "acquired");
        if (outcome.kind !== "acquired") return;
        assert.equal(outcome.takeover, false);
        assert.equal(outcome.checkpoint, undefined);
        assert.equal(outcome.lease.attempt, 1);
        assert.equal(outcome.lease.scope, scope);
        assert.equal(outcome.lease.key, "k");
        assert.equal(outcome.lease.leaseMs, leaseMs);
        const record = expectOk(await store.get(scope, "k"));
        assert.equal(record?.state, "in_progress");
        assert.equal(record?.attempt, 1);
        assert.equal(record?.fingerprint, "fp-1");
        assert.ok((record?.leaseExpiresAt ?? 0) > (record?.createdAt ?? 0));
        assert.ok((record?.expiresAt ?? 0) >= (record?.leaseExpiresAt ?? 0));
      });
    });

    it(
      `runs exactly one of ${concurrency} concurrent duplicate deliveries over two connections, ${trials} trials`,
      async () => {
        const first = await options.create();
        const second = await (options.createSecondConnection ?? options.create)(first);
        const scope = `conformance:${randomUUID()}`;
        try {
          let doubles = 0;
          for (let trial = 0; trial < trials; trial++) {
            let executions = 0;
            const kinds = await Promise.all(
              Array.from({ length: concurrency }, async (_, i) => {
                const store = i % 2 === 0 ? first : second;
                // A long lease: this test is about simultaneous arrival, not take-over, even on a slow machine.
                const outcome = expectOk(
                  await store.acquire(request(scope, `dup-${trial}`, "fp-1", { leaseMs: 60_000 })),
                );
                if (outcome.kind === "acquired") {
                  executions++;
                  expectOk(await store.complete(outcome.lease, { trial }));
                }
                return outcome.kind;
              }),
            );
            if (executions !== 1) doubles++;
            assert.equal(
              kinds.filter((k) => k === "acquired").length,
              1,
              `trial ${trial}: ${kinds.join(",")}`,
            );
            for (const kind of kinds)
              assert.ok(kind === "acquired" || kind === "in_progress" || kind === "completed");
          }
          assert.equal(doubles, 0);
        } finally {
          await first.close();
          if (second !== first) await second.close();
        }
      },
      Math.max(timeout, 120_000),
    );

    it("replays the stored result to a sequential redelivery without acquiring", async () => {
      await withStore(async (store, scope) => {
        const lease = acquiredLease(expectOk(await store.acquire(request(scope, "k"))));
        const result = { contactId: "101", nested: { list: [1, "two", null, true] }, empty: {} };
        expectOk(await store.complete(lease, result));
        for (let i = 0; i < 3; i++) {
          const again = expectOk(await store.acquire(request(scope, "k")));
          assert.equal(again.kind, "completed");
          if (again.kind !== "completed") return;
          assert.deepEqual(again.record.result, result);
          assert.equal(again.record.attempt, 1);
          assert.equal(again.record.state, "completed");
        }
      });
    });

    it("replays an undefined result as undefined and a null result as null", async () => {
      await withStore(async (store, scope) => {
        const a = acquiredLease(expectOk(await store.acquire(request(scope, "undef"))));
        expectOk(await store.complete(a, undefined));
        const b = acquiredLease(expectOk(await store.acquire(request(scope, "null"))));
        expectOk(await store.complete(b, null));
        const ra = expectOk(await store.acquire(request(scope, "undef")));
        const rb = expectOk(await store.acquire(request(scope, "null")));
        assert.equal(ra.kind === "completed" && ra.record.result, undefined);
        assert.equal(rb.kind === "completed" && rb.record.result, null);
      });
    });

    it("rejects a different fingerprint while in progress with FingerprintMismatch and leaves the record as it was", async () => {
      await withStore(async (store, scope) => {
        const lease = acquiredLease(expectOk(await store.acquire(request(scope, "k"))));
        const before = expectOk(await store.get(scope, "k"));
        expectErr(await store.acquire(request(scope, "k", "fp-2")), "FingerprintMismatch");
        assert.deepEqual(expectOk(await store.get(scope, "k")), before);
        expectOk(await store.complete(lease, "ok"));
      });
    });

    it("rejects a different fingerprint after completion with FingerprintMismatch and keeps the stored result", async () => {
      await withStore(async (store, scope) => {
        const lease = acquiredLease(expectOk(await store.acquire(request(scope, "k"))));
        expectOk(await store.complete(lease, { id: 1 }));
        const error = expectErr(await store.acquire(request(scope, "k", "fp-2")), "FingerprintMismatch");
        assert.ok(error.type === "FingerprintMismatch" && error.key === "k" && error.scope === scope);
        const record = expectOk(await store.get(scope, "k"));
        assert.equal(record?.state, "completed");
        assert.deepEqual(record?.result, { id: 1 });
        assert.equal(record?.fingerprint, "fp-1");
      });
    });

    it("answers duplicates of a live lease with in_progress and a positive retryAfterMs within the lease", async () => {
      await withStore(async (store, scope) => {
        expectOk(await store.acquire(request(scope, "k", "fp-1", { leaseMs: 60_000, ttlMs: HOUR })));
        const dup = expectOk(await store.acquire(request(scope, "k")));
        assert.equal(dup.kind, "in_progress");
        if (dup.kind !== "in_progress") return;
        assert.ok(dup.retryAfterMs > 0 && dup.retryAfterMs <= 60_000, String(dup.retryAfterMs));
        assert.equal(dup.attempt, 1);
      });
    });

    it("lets another worker take over an expired lease as attempt 2 with takeover and the last checkpoint", async () => {
      await withStore(async (store, scope) => {
        const lease = acquiredLease(expectOk(await store.acquire(request(scope, "k"))));
        expectOk(await store.checkpoint(lease, { step: "contact_created", data: { contactId: "c-1" } }));
        await afterLease(store, scope, "k", leaseMs);
        const outcome = expectOk(await store.acquire(request(scope, "k")));
        assert.equal(outcome.kind, "acquired");
        if (outcome.kind !== "acquired") return;
        assert.equal(outcome.takeover, true);
        assert.equal(outcome.lease.attempt, 2);
        assert.notEqual(outcome.lease.token, lease.token);
        assert.deepEqual(outcome.checkpoint, { step: "contact_created", data: { contactId: "c-1" } });
      });
    });

    it("fences a zombie owner after a take-over: every write is LeaseLost and the new owner's result is stored", async () => {
      await withStore(async (store, scope) => {
        const zombie = acquiredLease(expectOk(await store.acquire(request(scope, "k"))));
        await afterLease(store, scope, "k", leaseMs);
        const owner = acquiredLease(expectOk(await store.acquire(request(scope, "k"))));
        expectErr(await store.renew(zombie), "LeaseLost");
        expectErr(await store.checkpoint(zombie, { step: "zombie" }), "LeaseLost");
        expectErr(await store.complete(zombie, "zombie"), "LeaseLost");
        expectErr(
          await store.fail(zombie, { retryable: false, error: { name: "E", message: "zombie" } }),
          "LeaseLost",
        );
        expectErr(await store.release(zombie), "LeaseLost");
        const mid = expectOk(await store.get(scope, "k"));
        assert.equal(mid?.state, "in_progress");
        assert.equal(mid?.checkpoint, undefined);
        expectOk(await store.complete(owner, "owner"));
        const lost = expectErr(await store.complete(zombie, "zombie"), "LeaseLost");
        assert.ok(lost.type === "LeaseLost" && lost.state === "completed");
        const record = expectOk(await store.get(scope, "k"));
        assert.equal(record?.result, "owner");
        assert.equal(record?.attempt, 2);
      });
    });

    it("extends the lease on renew by the owner so no take-over happens while it works", async () => {
      await withStore(async (store, scope) => {
        let lease = acquiredLease(expectOk(await store.acquire(request(scope, "k"))));
        const steps = 6;
        for (let i = 0; i < steps; i++) {
          if (options.clock) await options.clock.advance(Math.floor(leaseMs * 0.6));
          else await realSleep(Math.floor(leaseMs / 4));
          const renewed = expectOk(await store.renew(lease));
          assert.ok(renewed.expiresAt >= lease.expiresAt);
          assert.equal(renewed.token, lease.token);
          lease = renewed;
          const dup = expectOk(await store.acquire(request(scope, "k")));
          assert.equal(dup.kind, "in_progress");
        }
        expectOk(await store.complete(lease, "done"));
      });
    });

    it("refuses renew from a non-owner with LeaseLost", async () => {
      await withStore(async (store, scope) => {
        const lease = acquiredLease(expectOk(await store.acquire(request(scope, "k"))));
        expectErr(await store.renew({ ...lease, token: randomUUID() }), "LeaseLost");
        expectErr(await store.renew({ ...lease, key: "other" }), "LeaseLost");
        expectOk(await store.renew(lease));
      });
    });

    it("re-executes after a retryable failure, resuming from the checkpoint", async () => {
      await withStore(async (store, scope) => {
        const lease = acquiredLease(expectOk(await store.acquire(request(scope, "k"))));
        expectOk(await store.checkpoint(lease, { step: "one", data: [1] }));
        expectOk(
          await store.fail(lease, {
            retryable: true,
            error: { name: "CrmError", message: "503", code: "server_error" },
          }),
        );
        const record = expectOk(await store.get(scope, "k"));
        assert.equal(record?.state, "released");
        assert.equal(record?.error?.code, "server_error");
        const again = expectOk(await store.acquire(request(scope, "k")));
        assert.equal(again.kind, "acquired");
        if (again.kind !== "acquired") return;
        assert.equal(again.takeover, true);
        assert.equal(again.lease.attempt, 2);
        assert.deepEqual(again.checkpoint, { step: "one", data: [1] });
      });
    });

    it("replays a terminal failure to every later delivery until the record expires", async () => {
      await withStore(async (store, scope) => {
        const ttl = shortTtlMs;
        const lease = acquiredLease(
          expectOk(await store.acquire(request(scope, "k", "fp-1", { ttlMs: ttl }))),
        );
        const error = {
          name: "CrmError",
          message: "invalid email",
          code: "validation_failed",
          data: { field: "email" },
        };
        expectOk(await store.fail(lease, { retryable: false, error }));
        for (let i = 0; i < 2; i++) {
          const again = expectOk(await store.acquire(request(scope, "k", "fp-1", { ttlMs: ttl })));
          assert.equal(again.kind, "failed");
          if (again.kind === "failed") assert.deepEqual(again.record.error, error);
        }
        await afterTtl(store, scope, "k", ttl);
        const fresh = expectOk(await store.acquire(request(scope, "k", "fp-1", { ttlMs: ttl })));
        assert.equal(fresh.kind, "acquired");
        if (fresh.kind === "acquired") assert.equal(fresh.lease.attempt, 1);
      });
    });

    it("lets the next delivery run at once after release", async () => {
      await withStore(async (store, scope) => {
        const lease = acquiredLease(
          expectOk(await store.acquire(request(scope, "k", "fp-1", { leaseMs: 60_000 }))),
        );
        expectOk(await store.release(lease));
        const again = expectOk(await store.acquire(request(scope, "k")));
        assert.equal(again.kind, "acquired");
        if (again.kind === "acquired") assert.equal(again.lease.attempt, 2);
      });
    });

    it("replays just before the TTL and starts fresh (any payload) just after it", async () => {
      await withStore(async (store, scope) => {
        const ttl = shortTtlMs;
        const lease = acquiredLease(
          expectOk(await store.acquire(request(scope, "k", "fp-1", { ttlMs: ttl }))),
        );
        expectOk(await store.complete(lease, "first"));
        if (options.clock) await options.clock.advance(ttl - 2);
        const replay = expectOk(await store.acquire(request(scope, "k", "fp-1", { ttlMs: ttl })));
        assert.equal(replay.kind, "completed");
        if (options.clock) await options.clock.advance(3);
        else await afterTtl(store, scope, "k", ttl);
        assert.equal(expectOk(await store.get(scope, "k")), undefined);
        const fresh = expectOk(await store.acquire(request(scope, "k", "fp-2", { ttlMs: ttl })));
        assert.equal(fresh.kind, "acquired");
        if (fresh.kind !== "acquired") return;
        assert.equal(fresh.lease.attempt, 1);
        assert.equal(fresh.takeover, false);
      });
    });

    it("rejects an oversized result with PayloadTooLarge before any state change and keeps the lease", async () => {
      await withStore(async (store, scope) => {
        const lease = acquiredLease(
          expectOk(await store.acquire(request(scope, "k", "fp-1", { leaseMs: 60_000 }))),
        );
        const before = expectOk(await store.get(scope, "k"));
        const error = expectErr(
          await store.complete(lease, { blob: "x".repeat(maxResultBytes + 1) }),
          "PayloadTooLarge",
        );
        assert.ok(
          error.type === "PayloadTooLarge" && error.bytes > maxResultBytes && error.max === maxResultBytes,
        );
        expectErr(
          await store.checkpoint(lease, { step: "big", data: "y".repeat(maxResultBytes + 1) }),
          "PayloadTooLarge",
        );
        assert.deepEqual(expectOk(await store.get(scope, "k")), before);
        expectOk(await store.complete(lease, { small: true }));
      });
    });

    it("rejects non-JSON results (bigint, function, cycle, Date, NaN) with Serialization and keeps the lease", async () => {
      await withStore(async (store, scope) => {
        const lease = acquiredLease(
          expectOk(await store.acquire(request(scope, "k", "fp-1", { leaseMs: 60_000 }))),
        );
        const cyclic: Record<string, unknown> = {};
        cyclic["self"] = cyclic;
        for (const bad of [{ n: 10n }, { f: () => 1 }, cyclic, { at: new Date(0) }, [Number.NaN]]) {
          expectErr(await store.complete(lease, bad), "Serialization");
        }
        assert.equal(expectOk(await store.get(scope, "k"))?.state, "in_progress");
        expectOk(await store.complete(lease, [1, 2]));
      });
    });

    it("reads records with get and removes them with delete", async () => {
      await withStore(async (store, scope) => {
        assert.equal(expectOk(await store.get(scope, "missing")), undefined);
        assert.equal(expectOk(await store.delete(scope, "missing")), false);
        const lease = acquiredLease(expectOk(await store.acquire(request(scope, "k"))));
        expectOk(await store.checkpoint(lease, { step: "s1" }));
        expectOk(await store.checkpoint(lease, { step: "s2", data: { ids: ["a"] } }));
        const record = expectOk(await store.get(scope, "k"));
        assert.deepEqual(record?.checkpoint, { step: "s2", data: { ids: ["a"] } });
        assert.equal(expectOk(await store.delete(scope, "k")), true);
        assert.equal(expectOk(await store.get(scope, "k")), undefined);
        expectErr(await store.complete(lease, 1), "LeaseLost");
      });
    });

    it("keeps scopes apart: the same key in two scopes is two records", async () => {
      await withStore(async (store, scope) => {
        acquiredLease(expectOk(await store.acquire(request(`${scope}:a`, "k"))));
        acquiredLease(expectOk(await store.acquire(request(`${scope}:b`, "k", "fp-other"))));
      });
    });

    it("rejects invalid input with InvalidInput", async () => {
      await withStore(async (store, scope) => {
        expectErr(await store.acquire(request(scope, "")), "InvalidInput");
        expectErr(await store.acquire(request(scope, "k".repeat(256))), "InvalidInput");
        expectErr(await store.acquire(request("", "k")), "InvalidInput");
        expectErr(await store.acquire(request(scope, "k", "fp", { leaseMs: 0 })), "InvalidInput");
        expectErr(
          await store.acquire(request(scope, "k", "fp", { leaseMs: 1000, ttlMs: 10 })),
          "InvalidInput",
        );
        assert.equal(expectOk(await store.get(scope, "k")), undefined);
      });
    });

    it("purges expired records in batches without touching live ones or blocking acquires", async () => {
      await withStore(async (store, scope) => {
        const ttl = options.clock ? 10_000 : shortTtlMs;
        const short = { leaseMs: Math.min(leaseMs, ttl), ttlMs: ttl };
        for (let i = 0; i < 25; i++) {
          const lease = acquiredLease(expectOk(await store.acquire(request(scope, `old-${i}`, "fp", short))));
          expectOk(await store.complete(lease, i));
        }
        await afterTtl(store, scope, "old-24", ttl);
        const firstBatch = expectOk(await store.purgeExpired({ batchSize: 10, maxBatches: 1 }));
        if (options.expiresNatively !== true) assert.equal(firstBatch, 10);
        else assert.ok(firstBatch <= 10, `one batch of 10 deleted ${firstBatch}`);
        for (let i = 0; i < 3; i++) acquiredLease(expectOk(await store.acquire(request(scope, `live-${i}`))));
        const [purged, ...concurrent] = await Promise.all([
          store.purgeExpired({ batchSize: 10 }),
          ...Array.from({ length: 5 }, (_, i) => store.acquire(request(scope, `during-${i}`))),
        ]);
        assert.ok(expectOk(purged!) >= 0);
        for (const outcome of concurrent) assert.equal(expectOk(outcome!).kind, "acquired");
        for (let i = 0; i < 25; i++) assert.equal(expectOk(await store.get(scope, `old-${i}`)), undefined);
        for (let i = 0; i < 3; i++)
          assert.equal(expectOk(await store.get(scope, `live-${i}`))?.state, "in_progress");
        assert.equal(expectOk(await store.purgeExpired({ batchSize: 10 })), 0);
      });
    });

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

    const outage = options.outage;
    if (outage !== undefined) {
      it(
        "fails closed with StoreUnavailable while the backend is down and recovers after restart",
        async () => {
          const store = await options.create();
          const scope = `conformance:${randomUUID()}`;
          const lease = acquiredLease(expectOk(await store.acquire(request(scope, "before"))));
          await outage.stop();
          let executions = 0;
          try {
            const outcome = await store.acquire(request(scope, "during"));
            if (outcome.isOk() && outcome.value.kind === "acquired") executions++;
            expectErr(outcome, "StoreUnavailable");
            expectErr(await store.complete(lease, "x"), "StoreUnavailable");
            expectErr(await store.get(scope, "before"), "StoreUnavailable");
            const error = expectErr(await store.renew(lease), "StoreUnavailable");
            assert.ok(error.type === "StoreUnavailable" && !JSON.stringify(error).includes("password"));
          } finally {
            await outage.start();
          }
          assert.equal(executions, 0);
          await store.close();
          const recovered = await options.create();
          try {
            const deadline = Date.now() + 20_000;
            let outcome = await recovered.acquire(request(scope, "after"));
            while (outcome.isErr() && outcome.error.type === "StoreUnavailable" && Date.now() < deadline) {
              await realSleep(100);
              outcome = await recovered.acquire(request(scope, "after"));
            }
            acquiredLease(expectOk(outcome));
          } finally {
            await recovered.close();
          }
        },
        Math.max(timeout, 90_000),
      );
    }
  });
}
