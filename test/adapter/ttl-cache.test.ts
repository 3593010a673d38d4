import { describe, expect, it } from "vitest";
import { createTtlCache } from "../../src/adapter/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";

describe("createTtlCache", () => {
  it("serves a load for ttlMs from when it started, then loads again", async () => {
    const clock = createFakeClock({ start: 1_000 });
    const cache = createTtlCache({ ttlMs: 100, clock });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get("owners", load)).toBe(1);
    await clock.advance(99);
    expect(await cache.get("owners", load)).toBe(1);
    expect(cache.loadedAt("owners")).toBe(1_000);
    await clock.advance(1);
    expect(await cache.get("owners", load)).toBe(2);
    expect(cache.loadedAt("owners")).toBe(1_100);
  });

  it("lets concurrent callers share one pending load, and bypasses the cache when asked to", async () => {
    const cache = createTtlCache({ ttlMs: 1_000, clock: createFakeClock() });
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get("k", load), cache.get("k", load), cache.get("k", load)])).toEqual([
      1, 1, 1,
    ]);
    expect(await cache.get("k", load, true)).toBe(2);
    expect(await cache.get("k", load)).toBe(2);
  });

  it("never serves a failed load, and forget drops an entry", async () => {
    const cache = createTtlCache({ ttlMs: 1_000, clock: createFakeClock() });
    await expect(cache.get("k", async () => Promise.reject(new Error("503")))).rejects.toThrow("503");
    expect(cache.loadedAt("k")).toBeUndefined();
    expect(await cache.get("k", async () => "ok")).toBe("ok");
    cache.forget("k");
    expect(await cache.get("k", async () => "again")).toBe("again");
  });
});
