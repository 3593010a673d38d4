import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { acquiredLease, expectErr, expectOk } from "./idempotency-conformance-assert.js";
import { type IdempotencySuite, realSleep } from "./idempotency-conformance-harness.js";

/** Leases: take-over with checkpoints, fencing of zombie owners, renewal, failure and release. */
export function registerIdempotencyLeaseTests(suite: IdempotencySuite): void {
  const { it, options, leaseMs, shortTtlMs, withStore, request, afterLease, afterTtl } = suite;
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
      const lease = acquiredLease(expectOk(await store.acquire(request(scope, "k", "fp-1", { ttlMs: ttl }))));
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
}
