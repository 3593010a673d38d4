import { describe, expect, it } from "vitest";
import { createRateLimiter, HUBSPOT_TIERS, hubspotLimits } from "../../../src/ratelimit/index.js";
import { createFakeClock } from "../../../src/testing/fake-clock.js";

describe("hubspotLimits", () => {
  it("uses the tier's published numbers: 10 s burst, daily calendar in the account zone, search 5/s", () => {
    const { policies } = hubspotLimits({ tier: "professional", timeZone: "Europe/Berlin" });
    expect(policies).toEqual([
      { id: "ten-secondly", kind: "sliding", limit: 190, windowMs: 10_000 },
      { id: "daily", kind: "calendar", limit: HUBSPOT_TIERS.professional.daily, timeZone: "Europe/Berlin" },
      { id: "search", kind: "sliding", limit: 5, windowMs: 1_000, tags: ["search"] },
    ]);
  });

  it("gives public apps 110 / 10 s and no daily policy; the add-on 250 / 10 s and +1M daily per purchase", () => {
    const publicApp = hubspotLimits({ appType: "public" }).policies;
    expect(publicApp.map((p) => [p.id, p.limit])).toEqual([
      ["ten-secondly", 110],
      ["search", 5],
    ]);
    const boosted = hubspotLimits({ tier: "enterprise", limitIncreases: 2 }).policies;
    expect(boosted.map((p) => [p.id, p.limit])).toEqual([
      ["ten-secondly", 250],
      ["daily", 3_000_000],
      ["search", 5],
    ]);
  });

  it("throws for an unknown tier, naming the option", () => {
    expect(() => hubspotLimits({ tier: "gold" as never })).toThrow(/`tier`/);
  });

  it("reads X-HubSpot-RateLimit headers as remaining budget for the burst and daily policies", () => {
    const { observe } = hubspotLimits({ tier: "starter" });
    const advice = observe(
      {
        status: 200,
        headers: new Headers({
          "X-HubSpot-RateLimit-Max": "100",
          "X-HubSpot-RateLimit-Remaining": "42",
          "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
          "X-HubSpot-RateLimit-Daily": "250000",
          "X-HubSpot-RateLimit-Daily-Remaining": "1000",
        }),
      },
      0,
    );
    expect(advice).toEqual({
      remaining: [
        { policyId: "ten-secondly", remaining: 42, resetInMs: 10_000, limit: 100 },
        { policyId: "daily", remaining: 1_000, limit: 250_000 },
      ],
    });
  });

  it("cools down for the interval on TEN_SECONDLY_ROLLING, to local midnight on DAILY, 1 s on the search limit", () => {
    const { observe } = hubspotLimits({ tier: "starter", timeZone: "America/New_York" });
    const now = Date.parse("2026-03-08T12:00:00Z");
    const body = (policyName: string) => ({ status: "error", errorType: "RATE_LIMIT", policyName });
    expect(observe({ status: 429, headers: {}, body: body("TEN_SECONDLY_ROLLING") }, now)?.cooldownMs).toBe(
      10_000,
    );
    expect(observe({ status: 429, headers: {}, body: body("DAILY") }, now)?.cooldownMs).toBe(
      Date.parse("2026-03-09T04:00:00Z") - now,
    );
    const search = { status: "error", message: "You have reached your secondly limit." };
    expect(observe({ status: 429, headers: {}, body: search }, now)?.cooldownMs).toBe(1_000);
  });

  it("keeps a limiter under 90 % of the burst limit with the preset", async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ ...hubspotLimits({ tier: "free" }), clock });
    let admitted = 0;
    for (let i = 0; i < 100; i++) if ((await limiter.acquire("portal", { maxWaitMs: 0 })).isOk()) admitted++;
    expect(admitted).toBe(90);
  });
});
