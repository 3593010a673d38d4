import { describe, expect, it } from "vitest";
import { resolveAdapterLimiter } from "../../src/adapter/index.js";
import { createRateLimiter, hubspotLimits } from "../../src/ratelimit/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";

describe("resolveAdapterLimiter", () => {
  const base = {
    factory: "createAcmeAdapter",
    limitsDescribe: "plan",
    preset: () => hubspotLimits({ tier: "professional", appType: "private", timeZone: "UTC" }),
  };

  it("uses the caller's limiter without owning it, none for false, else its own preset limiter", async () => {
    const mine = createRateLimiter(base.preset());
    expect(resolveAdapterLimiter({ ...base, limiter: mine, limitsGiven: false })).toEqual({
      limiter: mine,
      owned: false,
    });
    expect(resolveAdapterLimiter({ ...base, limiter: false, limitsGiven: false })).toEqual({
      limiter: undefined,
      owned: false,
    });
    let presets = 0;
    const own = resolveAdapterLimiter({
      ...base,
      limitsGiven: true,
      clock: createFakeClock(),
      preset: () => {
        presets++;
        return base.preset();
      },
    });
    expect(own.owned).toBe(true);
    expect(typeof own.limiter?.acquire).toBe("function");
    expect(presets).toBe(1);
    await own.limiter?.close?.();
  });

  it("throws at construction naming the factory for conflicting or malformed options", () => {
    const mine = createRateLimiter(base.preset());
    expect(() => resolveAdapterLimiter({ ...base, limiter: mine, limitsGiven: true })).toThrow(
      "createAcmeAdapter: give either option `limiter` (your own) or option `limits` (the preset's plan), not both",
    );
    expect(() => resolveAdapterLimiter({ ...base, limiter: {} as never, limitsGiven: false })).toThrow(
      /createAcmeAdapter: option `limiter` must be a RateLimiter/,
    );
  });
});
