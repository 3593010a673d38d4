import assert from "node:assert/strict";
import { acquiredLease, expectErr, expectOk } from "./idempotency-conformance-assert.js";
import type { IdempotencySuite } from "./idempotency-conformance-harness.js";

/** Records: TTL boundaries, size and serialization limits, get and delete, scopes, invalid input, the reaper. */
export function registerIdempotencyRecordTests(suite: IdempotencySuite): void {
  const { it, options, leaseMs, shortTtlMs, maxResultBytes, withStore, request, afterTtl } = suite;
  it("replays just before the TTL and starts fresh (any payload) just after it", async () => {
    await withStore(async (store, scope) => {
      const ttl = shortTtlMs;
      const lease = acquiredLease(expectOk(await store.acquire(request(scope, "k", "fp-1", { ttlMs: ttl }))));
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
      expectErr(await store.acquire(request(scope, "k", "fp", { leaseMs: 1000, ttlMs: 10 })), "InvalidInput");
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
}
