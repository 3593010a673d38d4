import Bottleneck from "bottleneck";
import { describe, expect, it } from "vitest";
import { CrmError } from "../../src/errors/index.js";
import {
  createMemoryRateLimitStore,
  createRateLimiter,
  type RateLimitPolicy,
  type RateLimitStore,
} from "../../src/ratelimit/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";

const burst = (limit: number, windowMs = 1_000): RateLimitPolicy => ({
  id: "burst",
  kind: "sliding",
  limit,
  windowMs,
});

function setup(policies: RateLimitPolicy[], headroom = 1) {
  const clock = createFakeClock();
  const limiter = createRateLimiter({ policies, clock, headroom });
  return { clock, limiter };
}

describe("createRateLimiter: admission", () => {
  it("keeps headroom (default 0.9) under the published limit", async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ policies: [burst(10)], clock });
    const results = await Promise.all(
      Array.from({ length: 9 }, () => limiter.acquire("t", { maxWaitMs: 0 })),
    );
    expect(results.every((r) => r.isOk())).toBe(true);
    const tenth = await limiter.acquire("t", { maxWaitMs: 0 });
    expect(tenth._unsafeUnwrapErr().reason).toBe("rate_limited");
    expect((await limiter.stats("t"))._unsafeUnwrap().policies[0]).toMatchObject({
      limit: 10,
      effectiveLimit: 9,
      used: 9,
    });
  });

  it("admits parked callers in FIFO order as the window frees", async () => {
    const { clock, limiter } = setup([burst(2)]);
    const order: number[] = [];
    const calls = Array.from({ length: 6 }, (_, i) => limiter.acquire("t").map(() => order.push(i)));
    await clock.advance(3_000);
    await Promise.all(calls);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("admits a more urgent priority ahead of earlier, less urgent waiters", async () => {
    const { clock, limiter } = setup([burst(1)]);
    const order: string[] = [];
    (await limiter.acquire("t"))._unsafeUnwrap();
    const calls = [
      limiter.acquire("t", { priority: 5 }).map(() => order.push("normal-1")),
      limiter.acquire("t", { priority: 5 }).map(() => order.push("normal-2")),
      limiter.acquire("t", { priority: 1 }).map(() => order.push("urgent")),
    ];
    await clock.advance(5_000);
    await Promise.all(calls);
    expect(order).toEqual(["urgent", "normal-1", "normal-2"]);
  });

  it("parks any number of waiters on a single timer per scope", async () => {
    const { clock, limiter } = setup([burst(1, 10_000)]);
    const calls = Array.from({ length: 100 }, () => limiter.acquire("t"));
    await clock.advance(1);
    expect(clock.pendingTimers()).toBe(1);
    await limiter.close();
    expect(clock.pendingTimers()).toBe(0);
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.isErr()).map((r) => r._unsafeUnwrapErr().reason)).toEqual(
      Array.from({ length: 99 }, () => "aborted"),
    );
  });

  it("consumes nothing from the daily policy when the 10 s policy rejects (atomic multi-policy)", async () => {
    const { limiter } = setup([burst(3, 10_000), { id: "daily", kind: "calendar", limit: 1_000 }]);
    for (let i = 0; i < 10; i++) await limiter.acquire("t", { maxWaitMs: 0 });
    const stats = (await limiter.stats("t"))._unsafeUnwrap();
    expect(stats.policies.map((p) => [p.id, p.used])).toEqual([
      ["burst", 3],
      ["daily", 3],
    ]);
  });

  it("applies tagged policies only to tagged requests, in their own queue", async () => {
    const { clock, limiter } = setup([
      burst(100, 10_000),
      { id: "search", kind: "sliding", limit: 1, windowMs: 1_000, tags: ["search"] },
    ]);
    (await limiter.acquire("t", { tags: ["search"] }))._unsafeUnwrap();
    const parkedSearch = limiter.acquire("t", { tags: ["search"] });
    const plain = await limiter.acquire("t");
    expect(plain.isOk()).toBe(true);
    await clock.advance(1_000);
    expect((await parkedSearch).isOk()).toBe(true);
    const stats = (await limiter.stats("t"))._unsafeUnwrap();
    expect(stats.policies.map((p) => p.used)).toEqual([3, 1]);
  });

  it("fails a request whose cost exceeds a policy's limit at once, without waiting or charging", async () => {
    const { clock, limiter } = setup([{ id: "tokens", kind: "calendar", limit: 100, weighted: true }], 0.9);
    const result = await limiter.acquire("t", { cost: 95 });
    const error = result._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(CrmError);
    expect(error.reason).toBe("configuration_error");
    expect(error.code).toBe("cost_exceeds_limit");
    expect(clock.pendingTimers()).toBe(0);
    expect((await limiter.stats("t"))._unsafeUnwrap().policies[0]?.used).toBe(0);
  });

  it("fails fast with rate_limited or quota_exhausted and retryAfterMs when the wait exceeds maxWaitMs", async () => {
    const { limiter } = setup([burst(1, 10_000), { id: "daily", kind: "calendar", limit: 2 }]);
    await limiter.acquire("t");
    const short = (await limiter.acquire("t", { maxWaitMs: 5_000 }))._unsafeUnwrapErr();
    expect(short.reason).toBe("rate_limited");
    expect(short.retryAfterMs).toBe(10_000);
    const { limiter: daily, clock } = setup([{ id: "daily", kind: "calendar", limit: 1 }]);
    await daily.acquire("t");
    const long = (await daily.acquire("t", { maxWaitMs: 60_000 }))._unsafeUnwrapErr();
    expect(long.reason).toBe("quota_exhausted");
    expect(long.retryAfterMs).toBe(Date.parse("2026-01-02T00:00:00Z") - clock.now());
  });

  it("rejects invalid scopes and costs as configuration errors", async () => {
    const { limiter } = setup([burst(1)]);
    expect((await limiter.acquire("")).isErr()).toBe(true);
    expect((await limiter.acquire("t", { cost: -1 }))._unsafeUnwrapErr().reason).toBe("configuration_error");
    expect((await limiter.acquire("t", { cost: 1.5 }))._unsafeUnwrapErr().reason).toBe("configuration_error");
  });

  it("keeps two tenants' budgets apart", async () => {
    const { limiter } = setup([burst(1)]);
    expect((await limiter.acquire("tenant-a")).isOk()).toBe(true);
    expect((await limiter.acquire("tenant-b")).isOk()).toBe(true);
    expect((await limiter.acquire("tenant-a", { maxWaitMs: 0 })).isErr()).toBe(true);
  });
});

describe("createRateLimiter: abort", () => {
  it("rejects a waiting acquire at once when aborted, consumes nothing, and lets the next waiter go", async () => {
    const { clock, limiter } = setup([burst(1)]);
    await limiter.acquire("t");
    const controller = new AbortController();
    const aborted = limiter.acquire("t", { signal: controller.signal });
    const next = limiter.acquire("t");
    await clock.advance(10);
    controller.abort();
    const error = (await aborted)._unsafeUnwrapErr();
    expect(error.reason).toBe("aborted");
    expect((await limiter.stats("t"))._unsafeUnwrap().policies[0]?.used).toBe(1);
    await clock.advance(1_000);
    const permit = (await next)._unsafeUnwrap();
    expect(permit.waitedMs).toBe(1_000);
    expect((await limiter.stats("t"))._unsafeUnwrap().policies[0]?.used).toBe(1);
  });

  it("rejects at once for a signal that is already aborted", async () => {
    const { limiter } = setup([burst(1)]);
    const result = await limiter.acquire("t", { signal: AbortSignal.abort() });
    expect(result._unsafeUnwrapErr().reason).toBe("aborted");
    expect((await limiter.stats("t"))._unsafeUnwrap().policies[0]?.used).toBe(0);
  });

  it("refunds an admission the store granted while its waiter was aborting", async () => {
    const clock = createFakeClock();
    const memory = createMemoryRateLimitStore({ clock });
    let release: () => void = () => undefined;
    const slow: RateLimitStore = {
      ...memory,
      distributed: true,
      async tryAcquire(scope, request) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return memory.tryAcquire(scope, request);
      },
    };
    const limiter = createRateLimiter({ policies: [burst(5)], clock, store: slow, headroom: 1 });
    const controller = new AbortController();
    const pending = limiter.acquire("t", { signal: controller.signal });
    controller.abort();
    expect((await pending)._unsafeUnwrapErr().reason).toBe("aborted");
    release();
    await clock.advance(1);
    expect(memory.stats("t", [])).toMatchObject({ policies: [] });
    expect((await limiter.stats("t"))._unsafeUnwrap().policies[0]?.used).toBe(0);
  });
});

describe("createRateLimiter: concurrency and schedule", () => {
  it("wakes a waiter the moment a concurrency slot is released, without time passing", async () => {
    const { limiter } = setup([{ id: "inflight", kind: "concurrency", limit: 1 }]);
    const first = (await limiter.acquire("t"))._unsafeUnwrap();
    let admitted = false;
    const second = limiter.acquire("t").map((permit) => {
      admitted = true;
      return permit;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(admitted).toBe(false);
    first.release();
    first.release();
    expect((await second).isOk()).toBe(true);
    expect((await limiter.stats("t"))._unsafeUnwrap().policies[0]?.used).toBe(1);
  });

  it("runs fn under a permit, releases it, and classifies what fn throws", async () => {
    const { limiter } = setup([{ id: "inflight", kind: "concurrency", limit: 1 }]);
    expect((await limiter.schedule("t", async () => 42))._unsafeUnwrap()).toBe(42);
    const failed = await limiter.schedule("t", async () => {
      throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    });
    expect(failed._unsafeUnwrapErr().reason).toBe("network_error");
    expect((await limiter.stats("t"))._unsafeUnwrap().policies[0]?.used).toBe(0);
  });

  it("orders schedule() by priority through bottleneck when maxConcurrent is set", async () => {
    const limiter = createRateLimiter({ policies: [burst(1_000)], maxConcurrent: 1, Bottleneck });
    const order: string[] = [];
    let unblock: () => void = () => undefined;
    const blocker = limiter.schedule("t", () => new Promise<void>((resolve) => (unblock = resolve)));
    const low = limiter.schedule("t", async () => order.push("low"), { priority: 9 });
    const high = limiter.schedule("t", async () => order.push("high"), { priority: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    unblock();
    await Promise.all([blocker, low, high]);
    expect(order).toEqual(["high", "low"]);
    await limiter.close();
  });
});

describe("createRateLimiter: cooldown and observe", () => {
  it("pauses the scope, and a shorter later cooldown never shortens it", async () => {
    const { clock, limiter } = setup([burst(100)]);
    await limiter.cooldown("t", 7_000);
    await limiter.cooldown("t", 1_000);
    const stats = (await limiter.stats("t"))._unsafeUnwrap();
    expect(stats.cooldownUntil).toBe(clock.now() + 7_000);
    const parked = limiter.acquire("t");
    await clock.advance(6_999);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(1);
    expect((await parked)._unsafeUnwrap().waitedMs).toBe(7_000);
  });

  it("turns a 429 with Retry-After into a scope cooldown", async () => {
    const { clock, limiter } = setup([burst(100)]);
    await limiter.observe("t", { status: 429, headers: new Headers({ "Retry-After": "7" }) });
    expect((await limiter.stats("t"))._unsafeUnwrap().cooldownUntil).toBe(clock.now() + 7_000);
  });

  it("charges usage the vendor reports beyond the local count (other apps share the budget)", async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({
      policies: [burst(100, 10_000)],
      clock,
      observe: () => ({ remaining: [{ policyId: "burst", remaining: 30, resetInMs: 4_000 }] }),
    });
    await limiter.acquire("t");
    await limiter.observe("t", { status: 200, headers: {} });
    const stats = (await limiter.stats("t"))._unsafeUnwrap();
    expect(stats.policies[0]).toMatchObject({ used: 70, effectiveLimit: 90, remaining: 20 });
    await clock.advance(4_000);
    expect((await limiter.stats("t"))._unsafeUnwrap().policies[0]?.used).toBe(1);
  });
});

describe("createRateLimiter: configuration", () => {
  it("throws at construction naming the bad option", () => {
    expect(() => createRateLimiter({ policies: [] })).toThrow(/`policies`/);
    expect(() => createRateLimiter({ policies: [burst(1)], headroom: 1.5 })).toThrow(/`headroom`/);
    expect(() => createRateLimiter({ policies: [burst(0)] })).toThrow(/`policies\[0\]\.limit`/);
    expect(() => createRateLimiter({ policies: [burst(1), burst(2)] })).toThrow(/`policies\[1\]\.id`/);
    expect(() =>
      createRateLimiter({ policies: [{ id: "d", kind: "calendar", limit: 1, timeZone: "Mars/Olympus" }] }),
    ).toThrow(/`policies\[0\]\.timeZone`/);
    expect(() =>
      createRateLimiter({ policies: [{ id: "r", kind: "rolling", limit: 1, windowMs: 10, bucketMs: 20 }] }),
    ).toThrow(/`policies\[0\]\.bucketMs`/);
    expect(() => createRateLimiter({ policies: [burst(1)], maxConcurrent: 0 })).toThrow(/`maxConcurrent`/);
    expect(() => createRateLimiter({ policies: [burst(1)], leaseMs: -1 })).toThrow(/`leaseMs`/);
  });

  it("rejects acquires after close", async () => {
    const { limiter } = setup([burst(1)]);
    await limiter.close();
    expect((await limiter.acquire("t"))._unsafeUnwrapErr().reason).toBe("aborted");
  });
});
