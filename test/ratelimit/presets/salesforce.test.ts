import { describe, expect, it } from "vitest";
import { salesforceLimits } from "../../../src/ratelimit/index.js";

describe("salesforceLimits", () => {
  it("models the rolling 24 h allocation and the long-running concurrency cap", () => {
    expect(salesforceLimits({ dailyAllocation: 115_000 }).policies).toEqual([
      { id: "daily", kind: "rolling", limit: 115_000, windowMs: 86_400_000 },
      { id: "long-running", kind: "concurrency", limit: 25, tags: ["long-running"] },
    ]);
    expect(salesforceLimits({ dailyAllocation: 15_000, longRunningConcurrency: 5 }).policies[1]?.limit).toBe(
      5,
    );
  });

  it("throws for a missing or non-integer dailyAllocation, naming the option", () => {
    expect(() => salesforceLimits({} as never)).toThrow(/`dailyAllocation`/);
    expect(() => salesforceLimits({ dailyAllocation: 1.5 })).toThrow(/`dailyAllocation`/);
  });

  it("reads Sforce-Limit-Info api-usage as remaining daily budget, ignoring extra segments", () => {
    const { observe } = salesforceLimits({ dailyAllocation: 100_000 });
    const advice = observe(
      { status: 200, headers: { "Sforce-Limit-Info": "api-usage=10018/100000; api-bursts=1/100" } },
      0,
    );
    expect(advice).toEqual({ remaining: [{ policyId: "daily", remaining: 89_982, limit: 100_000 }] });
  });

  it("cools down after 403 REQUEST_LIMIT_EXCEEDED: 1 h for the daily total, 20 s for concurrency", () => {
    const { observe } = salesforceLimits({ dailyAllocation: 100_000 });
    const total = [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }];
    expect(observe({ status: 403, headers: {}, body: total }, 0)?.cooldownMs).toBe(3_600_000);
    const concurrent = [
      {
        message: "ConcurrentRequests (Concurrent API Requests) Limit exceeded.",
        errorCode: "REQUEST_LIMIT_EXCEEDED",
      },
    ];
    expect(observe({ status: 403, headers: {}, body: concurrent }, 0)?.cooldownMs).toBe(20_000);
    expect(
      observe({ status: 403, headers: {}, body: [{ errorCode: "INSUFFICIENT_ACCESS" }] }, 0),
    ).toBeUndefined();
  });
});
