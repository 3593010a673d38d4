import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeTimestamp } from "../../src/contract/index.js";
import { toUtcText } from "../../src/contract/normalize-timestamp.js";

const pad = (value: number, width: number) => String(value).padStart(width, "0");
const MIN_INSTANT = Date.UTC(1000, 0, 1);
const MAX_INSTANT = Date.UTC(10000, 0, 1) - 1;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// Timestamps in every spelling the scanner accepts, with field values on both sides of each range.
const stamp = fc.record({
  year: fc.oneof(
    fc.integer({ min: 999, max: 1001 }),
    fc.integer({ min: 9998, max: 9999 }),
    fc.integer({ min: 1000, max: 9999 }),
  ),
  month: fc.integer({ min: 0, max: 13 }),
  day: fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(1, 28, 29, 30, 31)),
  hour: fc.integer({ min: 0, max: 24 }),
  minute: fc.integer({ min: 0, max: 60 }),
  second: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
  separator: fc.constantFrom("T", "t", " "),
  zone: fc.oneof(
    fc.constantFrom("Z", "z"),
    fc.record({
      sign: fc.constantFrom("+", "-"),
      hours: fc.integer({ min: 0, max: 19 }),
      minutes: fc.integer({ min: 0, max: 75 }),
      style: fc.constantFrom(":", "", "hours"),
    }),
  ),
});

describe("toUtcText", () => {
  it("formats every valid timestamp exactly as Date#toISOString of its instant", () => {
    fc.assert(
      fc.property(stamp, (v) => {
        const seconds =
          v.second === undefined
            ? ""
            : `:${pad(v.second, 2)}${v.fraction === undefined ? "" : `.${v.fraction}`}`;
        let zone: string;
        let offset: number;
        if (typeof v.zone === "string") {
          zone = v.zone;
          offset = 0;
        } else {
          const { sign, hours, minutes, style } = v.zone;
          zone =
            style === "hours"
              ? `${sign}${pad(hours, 2)}`
              : `${sign}${pad(hours, 2)}${style}${pad(minutes, 2)}`;
          offset = (sign === "-" ? -1 : 1) * (hours * 60 + (style === "hours" ? 0 : minutes));
          if (style !== "hours" && minutes >= 60) offset = Number.NaN;
        }
        const text = `${pad(v.year, 4)}-${pad(v.month, 2)}-${pad(v.day, 2)}${v.separator}${pad(v.hour, 2)}:${pad(v.minute, 2)}${seconds}${zone}`;
        const second = v.second ?? 0;
        const millisecond =
          v.second === undefined || v.fraction === undefined
            ? 0
            : Number(v.fraction.slice(0, 3).padEnd(3, "0"));
        const valid =
          v.year >= 1000 &&
          v.month >= 1 &&
          v.month <= 12 &&
          v.day >= 1 &&
          v.day <= daysIn(v.year, v.month) &&
          v.hour < 24 &&
          v.minute < 60 &&
          second < 60 &&
          Math.abs(offset) <= 18 * 60;
        const instant =
          Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, second, millisecond) - offset * 60_000;
        const result = normalizeTimestamp(text);
        if (valid && instant >= MIN_INSTANT && instant <= MAX_INSTANT) {
          expect(result._unsafeUnwrap()).toBe(new Date(instant).toISOString());
          const utc = toUtcText(v.year, v.month, v.day, v.hour * 60 + v.minute - offset, second, millisecond);
          expect(utc).toBe(new Date(instant).toISOString());
        } else {
          expect(result._unsafeUnwrapErr().issues[0]?.code).toBe("invalid_timestamp");
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("returns undefined when the UTC date leaves the years 1000 to 9999", () => {
    expect(toUtcText(1000, 1, 1, -1, 0, 0)).toBeUndefined();
    expect(toUtcText(1000, 1, 1, 0, 0, 0)).toBe("1000-01-01T00:00:00.000Z");
    expect(toUtcText(9999, 12, 31, 24 * 60 - 1, 59, 999)).toBe("9999-12-31T23:59:59.999Z");
    expect(toUtcText(9999, 12, 31, 24 * 60, 0, 0)).toBeUndefined();
    expect(toUtcText(2024, 2, 28, 24 * 60 + 5, 7, 8)).toBe("2024-02-29T00:05:07.008Z");
    expect(toUtcText(2023, 3, 1, -30, 0, 120)).toBe("2023-02-28T23:30:00.120Z");
  });
});
