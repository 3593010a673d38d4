import { describe, expect, it } from "vitest";
import { calendarPeriod, createRateLimiter } from "../../src/ratelimit/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";

const hours = (period: { start: number; end: number }): number => (period.end - period.start) / 3_600_000;

describe("calendarPeriod", () => {
  it("makes 2026-03-08 a 23 h day in America/New_York (spring forward)", () => {
    const period = calendarPeriod("America/New_York", Date.parse("2026-03-08T12:00:00Z"));
    expect(new Date(period.start).toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(new Date(period.end).toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(hours(period)).toBe(23);
  });

  it("makes 2026-11-01 a 25 h day in America/New_York (fall back)", () => {
    const period = calendarPeriod("America/New_York", Date.parse("2026-11-01T12:00:00Z"));
    expect(new Date(period.start).toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(new Date(period.end).toISOString()).toBe("2026-11-02T05:00:00.000Z");
    expect(hours(period)).toBe(25);
  });

  it("assigns the last millisecond before local midnight to the old day and midnight to the new one", () => {
    const midnight = Date.parse("2026-03-08T05:00:00Z");
    expect(calendarPeriod("America/New_York", midnight - 1).end).toBe(midnight);
    expect(calendarPeriod("America/New_York", midnight).start).toBe(midnight);
  });

  it("handles zones that skip midnight itself (America/Santiago) and half-hour offsets", () => {
    const santiago = calendarPeriod("America/Santiago", Date.parse("2026-09-06T12:00:00Z"));
    expect(hours(santiago)).toBe(23);
    const kolkata = calendarPeriod("Asia/Kolkata", Date.parse("2026-04-05T12:00:00Z"));
    expect(new Date(kolkata.start).toISOString()).toBe("2026-04-04T18:30:00.000Z");
  });
});

describe("calendar policy across DST", () => {
  it("resets the daily budget at local midnight on the 23 h and the 25 h day", async () => {
    for (const [start, nextMidnight] of [
      ["2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"],
      ["2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"],
    ] as const) {
      const clock = createFakeClock({ start });
      const limiter = createRateLimiter({
        clock,
        headroom: 1,
        policies: [{ id: "daily", kind: "calendar", limit: 3, timeZone: "America/New_York" }],
      });
      for (let i = 0; i < 3; i++) (await limiter.acquire("portal"))._unsafeUnwrap();
      const exhausted = (await limiter.acquire("portal", { maxWaitMs: 0 }))._unsafeUnwrapErr();
      expect(exhausted.reason).toBe("quota_exhausted");
      expect(exhausted.retryAfterMs).toBe(Date.parse(nextMidnight) - clock.now());
      await clock.setTime(Date.parse(nextMidnight) - 1);
      expect((await limiter.acquire("portal", { maxWaitMs: 0 })).isErr()).toBe(true);
      await clock.setTime(Date.parse(nextMidnight));
      expect((await limiter.acquire("portal", { maxWaitMs: 0 })).isOk()).toBe(true);
      await limiter.close();
    }
  });
});
