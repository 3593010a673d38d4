import { describe, expect, it } from "vitest";
import { resolveRateLimitPolicies } from "../../src/ratelimit/index.js";
import { createMemoryRateLimitStore } from "../../src/ratelimit/memory-store.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";
import { runRateLimitStoreConformance } from "../../src/testing/rate-limit-store-conformance.js";

const clock = createFakeClock();
runRateLimitStoreConformance(
  { describe, it },
  {
    name: "memory store",
    create: () => createMemoryRateLimitStore({ clock }),
    advance: (ms) => clock.advance(ms),
  },
);

describe("createMemoryRateLimitStore", () => {
  const [burst] = resolveRateLimitPolicies([{ id: "burst", kind: "sliding", limit: 5, windowMs: 10_000 }], 1);
  const request = (id: string) => ({ permitId: id, entries: [{ policy: burst!, units: 1 }], leaseMs: 1_000 });

  it("frees 10,000 idle scopes after their window plus the grace period", async () => {
    const local = createFakeClock();
    const store = createMemoryRateLimitStore({ clock: local, graceMs: 5_000 });
    for (let i = 0; i < 10_000; i++) store.tryAcquire(`tenant-${i}`, request(`p${i}`));
    expect(store.size()).toBe(10_000);
    await local.advance(10_000 + 5_000);
    store.tryAcquire("fresh", request("fresh"));
    expect(store.size()).toBe(1);
  });

  it("keeps a scope whose window is still open", async () => {
    const local = createFakeClock();
    const store = createMemoryRateLimitStore({ clock: local, graceMs: 1_000 });
    store.tryAcquire("busy", request("a"));
    await local.advance(9_000);
    store.tryAcquire("other", request("b"));
    expect(store.size()).toBe(2);
    expect(store.stats("busy", [burst!]).policies[0]?.used).toBe(1);
  });

  it("beyond maxScopes drops a scope not admitted since the eviction hand last passed (second chance)", () => {
    const store = createMemoryRateLimitStore({ clock: createFakeClock(), maxScopes: 3 });
    for (const scope of ["a", "b", "c"]) store.tryAcquire(scope, request(scope));
    store.tryAcquire("d", request("d"));
    expect(store.size()).toBe(3);
    expect(store.stats("a", [burst!]).policies[0]?.used).toBe(0);
    store.tryAcquire("c", request("c2"));
    store.tryAcquire("e", request("e"));
    expect(store.size()).toBe(3);
    expect(store.stats("b", [burst!]).policies[0]?.used).toBe(0);
    expect(store.stats("c", [burst!]).policies[0]?.used).toBe(2);
    expect(store.stats("d", [burst!]).policies[0]?.used).toBe(1);
  });

  it("throws at construction for a non-positive graceMs or maxScopes, naming the option", () => {
    expect(() => createMemoryRateLimitStore({ graceMs: 0 })).toThrow(/graceMs/);
    expect(() => createMemoryRateLimitStore({ maxScopes: -1 })).toThrow(/maxScopes/);
  });

  it("answers synchronously so the limiter's fast path needs no promise", () => {
    const store = createMemoryRateLimitStore({ clock: createFakeClock() });
    const result = store.tryAcquire("sync", request("x"));
    expect(result).toMatchObject({ kind: "admitted" });
  });
});
