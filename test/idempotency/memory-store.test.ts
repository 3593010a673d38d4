import { describe, expect, it } from "vitest";
import { createMemoryIdempotencyStore } from "../../src/idempotency/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";
import { runIdempotencyStoreConformance } from "../../src/testing/idempotency-store-conformance.js";

const clock = createFakeClock();
const shared = createMemoryIdempotencyStore();
// One process, one map: the "second connection" is the same store, which is what concurrent callers share.
const sharedHandle = { ...shared, close: async () => {} };

runIdempotencyStoreConformance(
  { describe, it },
  {
    name: "memory store (fake clock)",
    create: () => createMemoryIdempotencyStore({ clock }),
    createSecondConnection: (first) => first,
    clock,
  },
);

runIdempotencyStoreConformance(
  { describe, it },
  {
    name: "memory store (shared instance, real time)",
    create: () => sharedHandle,
    // On the system clock the store reads this process's Date.now(), the same clock as its callers.
    sharesCallerClock: true,
    leaseMs: 200,
    shortTtlMs: 400,
    trials: 50,
  },
);

const request = (key: string, overrides: { leaseMs?: number; ttlMs?: number } = {}) => ({
  scope: "s",
  key,
  fingerprint: "fp",
  leaseMs: overrides.leaseMs ?? 1000,
  ttlMs: overrides.ttlMs ?? 10_000,
});

describe("createMemoryIdempotencyStore", () => {
  it("throws at construction naming maxEntries or maxResultBytes when they are not positive integers", () => {
    expect(() => createMemoryIdempotencyStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => createMemoryIdempotencyStore({ maxResultBytes: -1 })).toThrow(/maxResultBytes/);
  });

  it("evicts the oldest completed record first when maxEntries is reached", async () => {
    const store = createMemoryIdempotencyStore({ clock: createFakeClock(), maxEntries: 3 });
    for (const key of ["a", "b"]) {
      const outcome = (await store.acquire(request(key)))._unsafeUnwrap();
      if (outcome.kind === "acquired") await store.complete(outcome.lease, key);
    }
    await store.acquire(request("live"));
    await store.acquire(request("c"));
    expect((await store.get("s", "a"))._unsafeUnwrap()).toBeUndefined();
    expect((await store.get("s", "b"))._unsafeUnwrap()?.state).toBe("completed");
    expect((await store.get("s", "live"))._unsafeUnwrap()?.state).toBe("in_progress");
    expect((await store.get("s", "c"))._unsafeUnwrap()?.state).toBe("in_progress");
  });

  it("evicts in finishing order: a record completed later outlives one completed earlier", async () => {
    const store = createMemoryIdempotencyStore({ clock: createFakeClock(), maxEntries: 2 });
    const a = (await store.acquire(request("a")))._unsafeUnwrap();
    const b = (await store.acquire(request("b")))._unsafeUnwrap();
    if (a.kind !== "acquired" || b.kind !== "acquired") throw new Error("expected two leases");
    await store.complete(b.lease, "b");
    await store.complete(a.lease, "a");
    await store.acquire(request("c"));
    expect((await store.get("s", "b"))._unsafeUnwrap()).toBeUndefined();
    expect((await store.get("s", "a"))._unsafeUnwrap()?.state).toBe("completed");
  });

  it("evicts an expired lease before a released record, and a released record before refusing", async () => {
    const fake = createFakeClock();
    const store = createMemoryIdempotencyStore({ clock: fake, maxEntries: 2 });
    const released = (await store.acquire(request("released")))._unsafeUnwrap();
    if (released.kind !== "acquired") throw new Error("expected a lease");
    await store.release(released.lease);
    await store.acquire(request("short", { leaseMs: 100, ttlMs: 500 }));
    await fake.advance(501);
    expect((await store.acquire(request("c")))._unsafeUnwrap().kind).toBe("acquired");
    expect((await store.get("s", "released"))._unsafeUnwrap()?.state).toBe("released");
    expect((await store.acquire(request("d")))._unsafeUnwrap().kind).toBe("acquired");
    expect((await store.get("s", "released"))._unsafeUnwrap()).toBeUndefined();
  });

  it("never evicts a live lease: a store full of leases refuses new keys with StoreUnavailable", async () => {
    const store = createMemoryIdempotencyStore({ clock: createFakeClock(), maxEntries: 2 });
    await store.acquire(request("a"));
    await store.acquire(request("b"));
    const refused = await store.acquire(request("c"));
    expect(refused._unsafeUnwrapErr()).toMatchObject({ type: "StoreUnavailable", store: "memory" });
    expect(refused._unsafeUnwrapErr().message).toContain("maxEntries");
    expect((await store.get("s", "a"))._unsafeUnwrap()?.state).toBe("in_progress");
  });

  it("reclaims expired records on its own through the amortised sweep, without timers", async () => {
    const fake = createFakeClock();
    const store = createMemoryIdempotencyStore({ clock: fake, maxEntries: 1000 });
    for (let i = 0; i < 100; i++) await store.acquire(request(`old-${i}`, { ttlMs: 1000 }));
    await fake.advance(1001);
    for (let i = 0; i < 100; i++) await store.acquire(request(`new-${i}`, { ttlMs: 60_000 }));
    expect(fake.pendingTimers()).toBe(0);
    // Each acquire inspects a few records, so 100 acquires have walked past all 100 expired ones.
    expect((await store.purgeExpired())._unsafeUnwrap()).toBe(0);
  });

  it("makes every operation StoreUnavailable after close", async () => {
    const store = createMemoryIdempotencyStore();
    await store.close();
    expect((await store.acquire(request("a")))._unsafeUnwrapErr().type).toBe("StoreUnavailable");
    expect((await store.get("s", "a"))._unsafeUnwrapErr().type).toBe("StoreUnavailable");
  });

  it("uses the injected clock, not the system clock, for lease math", async () => {
    const fake = createFakeClock({ start: "2030-01-01T00:00:00Z" });
    const store = createMemoryIdempotencyStore({ clock: fake });
    const outcome = (await store.acquire(request("a", { leaseMs: 5000 })))._unsafeUnwrap();
    expect(outcome.kind === "acquired" && outcome.lease.expiresAt).toBe(Date.parse("2030-01-01T00:00:05Z"));
  });
});
