import { describe, expect, it } from "vitest";
import { createRateLimiter, pipedriveLimits } from "../../../src/ratelimit/index.js";
import { createFakeClock } from "../../../src/testing/fake-clock.js";

describe("pipedriveLimits", () => {
  it("sets the 2 s burst by plan and auth (OAuth ×4), search 10 / 2 s and the weighted daily token budget", () => {
    expect(pipedriveLimits({ plan: "growth", seats: 3 }).policies).toEqual([
      { id: "burst", kind: "sliding", limit: 40, windowMs: 2_000 },
      { id: "search", kind: "sliding", limit: 10, windowMs: 2_000, tags: ["search"] },
      { id: "daily-tokens", kind: "calendar", limit: 180_000, weighted: true, timeZone: "UTC" },
    ]);
    const burst = (plan: Parameters<typeof pipedriveLimits>[0]) => pipedriveLimits(plan).policies[0]?.limit;
    expect([burst({ plan: "lite" }), burst({ plan: "premium" }), burst({ plan: "ultimate" })]).toEqual([
      20, 100, 120,
    ]);
    expect(burst({ plan: "ultimate", auth: "oauth" })).toBe(480);
    expect(burst({ plan: "professional" })).toBe(80);
    expect(pipedriveLimits({ plan: "power", seats: 2 }).policies[2]?.limit).toBe(300_000);
  });

  it("throws for an unknown plan or a zero seat count, naming the option", () => {
    expect(() => pipedriveLimits({ plan: "gold" as never })).toThrow(/`plan`/);
    expect(() => pipedriveLimits({ seats: 0 })).toThrow(/`seats`/);
  });

  it("reads x-ratelimit-* for the burst (or search) window and the daily token headers", () => {
    const { observe } = pipedriveLimits();
    const headers = {
      "x-ratelimit-limit": "40",
      "x-ratelimit-remaining": "39",
      "x-ratelimit-reset": "2",
      "x-daily-ratelimit-token-limit": "60000",
      "x-daily-ratelimit-token-remaining": "59000",
    };
    expect(observe({ status: 200, headers }, 0)).toEqual({
      remaining: [
        { policyId: "burst", remaining: 39, limit: 40, resetInMs: 2_000 },
        { policyId: "daily-tokens", remaining: 59_000, limit: 60_000 },
      ],
    });
    expect(observe({ status: 200, headers, tags: ["search"] }, 0)?.remaining?.[0]?.policyId).toBe("search");
  });

  it("cools down for retry-after seconds on a daily-budget 429, and for the window reset without it", async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ ...pipedriveLimits(), clock });
    await limiter.observe("company", {
      status: 429,
      headers: { "retry-after": "3939" },
      body: { success: false, error: "daily request budget exceeded", errorCode: 429 },
    });
    expect((await limiter.stats("company"))._unsafeUnwrap().cooldownUntil).toBe(clock.now() + 3_939_000);
    const { observe } = pipedriveLimits();
    expect(observe({ status: 429, headers: { "x-ratelimit-reset": "1" } }, 0)?.cooldownMs).toBe(1_000);
  });

  it("charges each call's token cost against the daily budget", async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ ...pipedriveLimits({ plan: "lite" }), clock });
    (await limiter.acquire("company", { cost: 20, tags: ["search"] }))._unsafeUnwrap();
    (await limiter.acquire("company", { cost: 10 }))._unsafeUnwrap();
    const daily = (await limiter.stats("company"))
      ._unsafeUnwrap()
      .policies.find((p) => p.id === "daily-tokens");
    expect(daily).toMatchObject({ used: 30, effectiveLimit: 27_000 });
  });
});
