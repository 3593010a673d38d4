import { describe, expect, it } from "vitest";
import { genericObserver, retryAfterMs } from "../../src/ratelimit/index.js";

describe("retryAfterMs", () => {
  it("reads delta-seconds and HTTP dates, case-insensitively, from Headers and plain records", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "Retry-After": "7" }), now)).toBe(7_000);
    expect(retryAfterMs({ "RETRY-AFTER": "1.5" }, now)).toBe(1_500);
    expect(retryAfterMs({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }, now)).toBe(30_000);
  });

  it("is undefined when the header is absent or unparseable, and never negative for past dates", () => {
    expect(retryAfterMs({}, 0)).toBeUndefined();
    expect(retryAfterMs({ "retry-after": "soon" }, 0)).toBeUndefined();
    expect(retryAfterMs({ "retry-after": "Thu, 01 Jan 1970 00:00:00 GMT" }, 5_000)).toBe(0);
  });
});

describe("genericObserver", () => {
  it("pauses for Retry-After on 429 and 503, for 1 s on a bare 429, and ignores everything else", () => {
    expect(genericObserver({ status: 429, headers: { "retry-after": "3" } }, 0)).toEqual({
      cooldownMs: 3_000,
    });
    expect(genericObserver({ status: 503, headers: { "retry-after": "2" } }, 0)).toEqual({
      cooldownMs: 2_000,
    });
    expect(genericObserver({ status: 429, headers: {} }, 0)).toEqual({ cooldownMs: 1_000 });
    expect(genericObserver({ status: 503, headers: {} }, 0)).toBeUndefined();
    expect(genericObserver({ status: 200, headers: { "retry-after": "3" } }, 0)).toBeUndefined();
  });
});
