import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { acquiredLease, expectErr, expectOk } from "./idempotency-conformance-assert.js";
import { HOUR, type IdempotencySuite } from "./idempotency-conformance-harness.js";

/** Acquire: exactly one execution under concurrent duplicates, replay of the stored result, fingerprints. */
export function registerIdempotencyAcquireTests(suite: IdempotencySuite): void {
  const { it, options, leaseMs, trials, concurrency, timeout, withStore, request } = suite;
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
          assert.equal(kinds.filter((k) => k === "acquired").length, 1, `trial ${trial}: ${kinds.join(",")}`);
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
}
