import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import {
  type RateLimitPolicy,
  type RateLimitStore,
  type ResolvedPolicy,
  resolveRateLimitPolicies,
  type StoreAcquireEntry,
  type StoreAcquireRequest,
} from "../ratelimit/index.js";

/** The two functions of a test runner the suite needs (vitest, jest, `node:test` all provide them). */
export interface RateLimitStoreConformanceRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
}

/** Options for {@link runRateLimitStoreConformance}. */
export interface RateLimitStoreConformanceOptions {
  /** A fresh store (or one that tolerates reuse: every test uses its own random scope). */
  create: () => RateLimitStore | Promise<RateLimitStore>;
  /**
   * Moves the store's time forward. Pass the fake clock's `advance` for a store on a fake clock; the default
   * really waits, for stores on a server clock (Redis `TIME`).
   * @default (ms) => new Promise((resolve) => setTimeout(resolve, ms))
   */
  advance?: ((ms: number) => Promise<void>) | undefined;
  /** Name shown in the suite title. @default "RateLimitStore" */
  name?: string | undefined;
}

const policies = (...list: RateLimitPolicy[]): ResolvedPolicy[] => resolveRateLimitPolicies(list, 1);
const entries = (list: readonly ResolvedPolicy[], cost = 1): StoreAcquireEntry[] =>
  list.map((policy) => ({ policy, units: policy.weighted ? cost : 1 }));

let permitSeq = 0;
const request = (list: readonly ResolvedPolicy[], cost = 1, leaseMs = 60_000): StoreAcquireRequest => ({
  permitId: `p${permitSeq++}`,
  entries: entries(list, cost),
  leaseMs,
});

/**
 * The executable specification of {@link RateLimitStore}: run it against any store to prove it shares budgets
 * exactly (atomic multi-policy admission, nothing charged on a wait, cooldowns only lengthen, concurrency leases,
 * refunds, header reconciliation). Runner-agnostic: assertions use `node:assert/strict`.
 *
 * @example
 * import { describe, it } from "vitest";
 * const clock = createFakeClock();
 * runRateLimitStoreConformance({ describe, it }, {
 *   create: () => createMemoryRateLimitStore({ clock }),
 *   advance: (ms) => clock.advance(ms),
 * });
 */
export function runRateLimitStoreConformance(
  runner: RateLimitStoreConformanceRunner,
  options: RateLimitStoreConformanceOptions,
): void {
  const { describe, it } = runner;
  const advance =
    options.advance ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const scope = (): string => `conformance-${randomUUID()}`;
  const acquire = async (store: RateLimitStore, s: string, req: StoreAcquireRequest) =>
    store.tryAcquire(s, req);

  describe(`${options.name ?? "RateLimitStore"} conformance`, () => {
    it("admits a sliding policy up to its limit, then answers wait with the policy id", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies({ id: "burst", kind: "sliding", limit: 3, windowMs: 400 });
      for (let i = 0; i < 3; i++) assert.equal((await acquire(store, s, request(list))).kind, "admitted");
      const blocked = await acquire(store, s, request(list));
      assert.equal(blocked.kind, "wait");
      assert.ok(blocked.kind === "wait" && blocked.policyId === "burst");
      assert.ok(blocked.kind === "wait" && blocked.retryAfterMs > 0 && blocked.retryAfterMs <= 400);
    });

    it("admits again once the oldest admission leaves the sliding window", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies({ id: "burst", kind: "sliding", limit: 2, windowMs: 150 });
      await acquire(store, s, request(list));
      await acquire(store, s, request(list));
      const blocked = await acquire(store, s, request(list));
      assert.equal(blocked.kind, "wait");
      await advance(blocked.kind === "wait" ? blocked.retryAfterMs + 5 : 0);
      assert.equal((await acquire(store, s, request(list))).kind, "admitted");
    });

    it("charges nothing to any policy when one policy makes the request wait", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies(
        { id: "burst", kind: "sliding", limit: 2, windowMs: 10_000 },
        { id: "daily", kind: "calendar", limit: 1_000 },
        { id: "rolling", kind: "rolling", limit: 1_000, windowMs: 60_000 },
      );
      for (let i = 0; i < 5; i++) await acquire(store, s, request(list));
      const stats = await store.stats(s, list);
      assert.deepEqual(
        stats.policies.map((p) => p.used),
        [2, 2, 2],
      );
    });

    it("answers cost_exceeds_limit for a request that can never fit, charging nothing", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies(
        { id: "daily", kind: "calendar", limit: 100 },
        { id: "tokens", kind: "sliding", limit: 10, windowMs: 1_000, weighted: true },
      );
      const result = await acquire(store, s, request(list, 11));
      assert.equal(result.kind, "cost_exceeds_limit");
      assert.ok(result.kind === "cost_exceeds_limit" && result.policyId === "tokens" && result.limit === 10);
      assert.deepEqual(
        (await store.stats(s, list)).policies.map((p) => p.used),
        [0, 0],
      );
    });

    it("counts a weighted request's cost and an unweighted one as 1", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies(
        { id: "tokens", kind: "calendar", limit: 100, weighted: true },
        { id: "requests", kind: "sliding", limit: 10, windowMs: 5_000 },
      );
      await acquire(store, s, request(list, 40));
      await acquire(store, s, request(list, 40));
      const blocked = await acquire(store, s, request(list, 40));
      assert.ok(blocked.kind === "wait" && blocked.policyId === "tokens");
      assert.deepEqual(
        (await store.stats(s, list)).policies.map((p) => p.used),
        [80, 2],
      );
    });

    it("never over-admits a rolling counter and frees it bucket by bucket", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies({ id: "rolling", kind: "rolling", limit: 4, windowMs: 300, bucketMs: 100 });
      for (let i = 0; i < 4; i++) assert.equal((await acquire(store, s, request(list))).kind, "admitted");
      const blocked = await acquire(store, s, request(list));
      assert.ok(blocked.kind === "wait" && blocked.retryAfterMs > 0 && blocked.retryAfterMs <= 400);
      await advance(blocked.kind === "wait" ? blocked.retryAfterMs + 5 : 0);
      assert.equal((await acquire(store, s, request(list))).kind, "admitted");
    });

    it("counts a calendar policy until the period ends and says how long that is", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies({ id: "daily", kind: "calendar", limit: 2, timeZone: "UTC" });
      await acquire(store, s, request(list));
      await acquire(store, s, request(list));
      const blocked = await acquire(store, s, request(list));
      assert.ok(blocked.kind === "wait" && blocked.policyId === "daily");
      assert.ok(blocked.kind === "wait" && blocked.retryAfterMs > 0 && blocked.retryAfterMs <= 86_400_000);
    });

    it("holds concurrency slots until release; release is idempotent and frees only its own slot", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies({ id: "inflight", kind: "concurrency", limit: 2 });
      const first = request(list);
      const second = request(list);
      assert.equal((await acquire(store, s, first)).kind, "admitted");
      assert.equal((await acquire(store, s, second)).kind, "admitted");
      assert.equal((await acquire(store, s, request(list))).kind, "wait");
      await store.release(s, first.permitId, list);
      await store.release(s, first.permitId, list);
      assert.equal((await store.stats(s, list)).policies[0]?.used, 1);
      assert.equal((await acquire(store, s, request(list))).kind, "admitted");
      assert.equal((await acquire(store, s, request(list))).kind, "wait");
    });

    it("frees a concurrency slot whose lease expired (a crashed holder)", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies({ id: "inflight", kind: "concurrency", limit: 1 });
      assert.equal((await acquire(store, s, request(list, 1, 100))).kind, "admitted");
      assert.equal((await acquire(store, s, request(list, 1, 100))).kind, "wait");
      await advance(150);
      assert.equal((await acquire(store, s, request(list))).kind, "admitted");
    });

    it("pauses the scope on cooldown, and a shorter later cooldown never shortens it", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies({ id: "burst", kind: "sliding", limit: 100, windowMs: 1_000 });
      const until = await store.cooldown(s, 5_000);
      const again = await store.cooldown(s, 100);
      assert.ok(again >= until - 5, `cooldown shortened from ${until} to ${again}`);
      const blocked = await acquire(store, s, request(list));
      assert.ok(blocked.kind === "wait" && blocked.policyId === "cooldown");
      assert.ok(blocked.kind === "wait" && blocked.retryAfterMs > 4_000 && blocked.retryAfterMs <= 5_000);
      assert.equal((await store.stats(s, list)).policies[0]?.used, 0);
      assert.ok(((await store.stats(s, list)).cooldownUntil ?? 0) >= until - 5);
    });

    it("keeps scopes apart: one tenant's usage never spends another's budget", async () => {
      const store = await options.create();
      const [a, b] = [scope(), scope()];
      const list = policies({ id: "burst", kind: "sliding", limit: 1, windowMs: 10_000 });
      assert.equal((await acquire(store, a, request(list))).kind, "admitted");
      assert.equal((await acquire(store, b, request(list))).kind, "admitted");
      assert.equal((await acquire(store, a, request(list))).kind, "wait");
    });

    it("refunds an admission completely", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies(
        { id: "burst", kind: "sliding", limit: 5, windowMs: 10_000 },
        { id: "tokens", kind: "calendar", limit: 100, weighted: true },
        { id: "rolling", kind: "rolling", limit: 100, windowMs: 60_000, weighted: true },
        { id: "inflight", kind: "concurrency", limit: 5 },
      );
      await acquire(store, s, request(list, 3));
      const req = request(list, 7);
      const admitted = await acquire(store, s, req);
      assert.equal(admitted.kind, "admitted");
      await store.refund(s, req, admitted.kind === "admitted" ? admitted.now : 0);
      assert.deepEqual(
        (await store.stats(s, list)).policies.map((p) => p.used),
        [1, 3, 3, 1],
      );
    });

    it("reconciles with the vendor's count: charges the shortfall, never lowers the local count", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies(
        { id: "burst", kind: "sliding", limit: 10, windowMs: 1_000 },
        { id: "daily", kind: "calendar", limit: 100 },
      );
      const [burst, daily] = list as [ResolvedPolicy, ResolvedPolicy];
      for (let i = 0; i < 3; i++) await acquire(store, s, request(list));
      await store.reconcile(s, burst, 8, 1_000);
      await store.reconcile(s, daily, 1, 60_000);
      assert.deepEqual(
        (await store.stats(s, list)).policies.map((p) => p.used),
        [8, 3],
      );
      const blocked = await acquire(store, s, request([burst]));
      assert.equal(blocked.kind, "admitted");
      await acquire(store, s, request([burst]));
      assert.equal((await acquire(store, s, request([burst]))).kind, "wait");
    });

    it("lets phantom usage from reconcile expire with the vendor's window", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies({ id: "burst", kind: "sliding", limit: 4, windowMs: 10_000 });
      await store.reconcile(s, list[0]!, 4, 100);
      assert.equal((await acquire(store, s, request(list))).kind, "wait");
      await advance(150);
      assert.equal((await acquire(store, s, request(list))).kind, "admitted");
    });

    it("reports usage and time to reset in stats", async () => {
      const store = await options.create();
      const s = scope();
      const list = policies({ id: "burst", kind: "sliding", limit: 2, windowMs: 5_000 });
      await acquire(store, s, request(list));
      await acquire(store, s, request(list));
      const stats = await store.stats(s, list);
      assert.equal(stats.policies[0]?.id, "burst");
      assert.equal(stats.policies[0]?.used, 2);
      assert.ok((stats.policies[0]?.resetInMs ?? 0) > 0 && (stats.policies[0]?.resetInMs ?? 0) <= 5_000);
      assert.equal(stats.cooldownUntil, undefined);
      assert.equal(typeof stats.now, "number");
    });
  });
}
