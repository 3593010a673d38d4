import { describe, expect, it } from "vitest";
import { zohoLimits } from "../../../src/ratelimit/index.js";

describe("zohoLimits", () => {
  it("computes credits per rolling 24 h from edition and users, with the edition caps", () => {
    const credits = (edition: Parameters<typeof zohoLimits>[0]) => zohoLimits(edition).policies[0]?.limit;
    expect(credits({ edition: "free", users: 3 })).toBe(5_000);
    expect(credits({ edition: "standard", users: 10 })).toBe(52_500);
    expect(credits({ edition: "standard", users: 1_000 })).toBe(100_000);
    expect(credits({ edition: "enterprise", users: 40 })).toBe(90_000);
    expect(credits({ edition: "ultimate", users: 10_000 })).toBe(20_050_000);
  });

  it("caps concurrency by edition and heavy APIs at 10", () => {
    expect(zohoLimits({ edition: "professional" }).policies.slice(1)).toEqual([
      { id: "concurrency", kind: "concurrency", limit: 15 },
      { id: "heavy", kind: "concurrency", limit: 10, tags: ["heavy"] },
    ]);
    expect(zohoLimits({ edition: "free" }).policies[2]?.limit).toBe(5);
  });

  it("throws for an unknown edition, naming the option", () => {
    expect(() => zohoLimits({ edition: "platinum" as never })).toThrow(/`edition`/);
  });

  it("reads X-API-CREDITS-REMAINING and cools down on TOO_MANY_REQUESTS", () => {
    const { observe } = zohoLimits({ edition: "standard", users: 4 });
    expect(observe({ status: 200, headers: { "X-API-CREDITS-REMAINING": "1200" } }, 0)).toEqual({
      remaining: [{ policyId: "credits", remaining: 1_200 }],
    });
    const concurrency = {
      code: "TOO_MANY_REQUESTS",
      details: {},
      message: "The concurrency limit of the user for the app is exceeded",
      status: "error",
    };
    expect(observe({ status: 429, headers: {}, body: concurrency }, 0)?.cooldownMs).toBe(2_000);
    const daily = { ...concurrency, message: "Number of API requests for the 24 hour period is exceeded" };
    expect(observe({ status: 429, headers: {}, body: daily }, 0)?.cooldownMs).toBe(3_600_000);
  });
});
