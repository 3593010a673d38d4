import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/adapter/index.js";

const now = Date.parse("2026-01-01T00:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delta-seconds, including decimals", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "7" }), now)).toBe(7000);
    expect(parseRetryAfter(new Headers({ "retry-after": "1.5" }), now)).toBe(1500);
    expect(parseRetryAfter(new Headers({ "retry-after": "0" }), now)).toBe(0);
  });

  it("reads an HTTP date relative to now, and a past date as 0", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), now)).toBe(
      30_000,
    );
    expect(parseRetryAfter(new Headers({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }), now)).toBe(0);
  });

  it("reads plain header records case-insensitively", () => {
    expect(parseRetryAfter({ "Retry-After": "3" }, now)).toBe(3000);
  });

  it("falls back to reset headers: delta seconds, or epoch seconds as a timestamp", () => {
    expect(parseRetryAfter(new Headers({ "x-ratelimit-reset": "2" }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ "ratelimit-reset": String(now / 1000 + 12) }), now)).toBe(12_000);
  });

  it("prefers Retry-After over reset headers and ignores reset headers when asked", () => {
    const headers = new Headers({ "retry-after": "5", "x-ratelimit-reset": "1" });
    expect(parseRetryAfter(headers, now)).toBe(5000);
    expect(
      parseRetryAfter(new Headers({ "x-ratelimit-reset": "1" }), now, { resetHeaders: false }),
    ).toBeUndefined();
  });

  it("returns undefined for missing or unusable values", () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ "retry-after": "-3" }), now)).toBeUndefined();
  });
});
