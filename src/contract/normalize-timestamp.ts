import type { Result } from "neverthrow";
import type { ContractError } from "../errors/index.js";
import { type Normalized, normalized, quote, rejected, toResult } from "./outcome.js";

const MIN_YEAR = 1000;
const MAX_YEAR = 9999;
const MIN_INSTANT = Date.UTC(MIN_YEAR, 0, 1);
const MAX_INSTANT = Date.UTC(MAX_YEAR + 1, 0, 1) - 1;
const MAX_OFFSET_MINUTES = 18 * 60;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const EXAMPLE = "e.g. 2024-05-01T10:00:00Z or 2024-05-01T12:00:00+02:00";

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1]!;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

// The value of `count` ASCII digits at `at`, or -1. A hand-written scanner instead of a capture-group regex:
// timestamps are parsed on every event and this keeps them allocation-free.
function digits(text: string, at: number, count: number): number {
  if (at + count > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC, or `undefined` when the text has no zone. */
  offset: number | undefined;
  offsetMinute: number;
}

// ISO-8601 calendar date and time as producers write it: `T`, `t` or a space between date and time, optional
// seconds and fraction (`.` or `,`, up to 9 digits), and a zone that is `Z`, `+02:00`, `+0200` or `+02`.
function scan(text: string): Fields | undefined {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const separator = text[10];
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) return undefined;
  if (text[4] !== "-" || text[7] !== "-" || text[13] !== ":") return undefined;
  if (separator !== "T" && separator !== "t" && separator !== " ") return undefined;
  const fields: Fields = {
    year,
    month,
    day,
    hour,
    minute,
    second: 0,
    millisecond: 0,
    offset: undefined,
    offsetMinute: 0,
  };
  let at = 16;
  if (text[at] === ":") {
    fields.second = digits(text, at + 1, 2);
    if (fields.second < 0) return undefined;
    at += 3;
    if (text[at] === "." || text[at] === ",") {
      const start = at + 1;
      at = start;
      while (at < text.length && at - start < 10 && digits(text, at, 1) >= 0) at++;
      const length = at - start;
      if (length === 0 || length > 9) return undefined;
      fields.millisecond = digits(text.slice(start, Math.min(at, start + 3)).padEnd(3, "0"), 0, 3);
    }
  }
  if (at === text.length) return fields;
  const zone = text[at];
  if ((zone === "Z" || zone === "z") && at + 1 === text.length) {
    fields.offset = 0;
    return fields;
  }
  if (zone !== "+" && zone !== "-") return undefined;
  const offsetHour = digits(text, at + 1, 2);
  if (offsetHour < 0) return undefined;
  at += 3;
  if (text[at] === ":") at++;
  if (at < text.length) {
    fields.offsetMinute = digits(text, at, 2);
    if (fields.offsetMinute < 0 || at + 2 !== text.length) return undefined;
  } else if (text[at - 1] === ":") {
    return undefined;
  }
  fields.offset = (zone === "-" ? -1 : 1) * (offsetHour * 60 + fields.offsetMinute);
  return fields;
}

/** @internal The core of {@link normalizeTimestamp}. */
export function normalizeTimestampValue(input: string): Normalized {
  const fields = scan(input.trim());
  if (fields === undefined) {
    return rejected(
      "invalid_timestamp",
      `${quote(input)} is not an ISO-8601 timestamp; send one with a zone, ${EXAMPLE}`,
    );
  }
  if (fields.offset === undefined) {
    return rejected(
      "timestamp_without_zone",
      `${quote(input)} has no time zone, so the instant is ambiguous; add Z (UTC) or an offset, ${EXAMPLE}`,
    );
  }
  const { year, month, day, hour, minute, second, millisecond, offset } = fields;
  const validFields =
    year >= MIN_YEAR &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    fields.offsetMinute < 60 &&
    Math.abs(offset) <= MAX_OFFSET_MINUTES;
  if (!validFields) {
    return rejected(
      "invalid_timestamp",
      `${quote(input)} is not a real date and time (check the month, day, hour and offset ranges); ${EXAMPLE}`,
    );
  }
  const instant = Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offset * 60_000;
  // An offset can push 1000-01-01 or 9999-12-31 across the four-digit year range the canonical form needs.
  if (instant < MIN_INSTANT || instant > MAX_INSTANT) {
    return rejected(
      "invalid_timestamp",
      `${quote(input)} is outside the years ${MIN_YEAR}–${MAX_YEAR} once converted to UTC`,
    );
  }
  return normalized(new Date(instant).toISOString());
}

/**
 * Normalizes an ISO-8601 timestamp that carries a zone (`Z` or an offset) to the canonical UTC form
 * `YYYY-MM-DDTHH:mm:ss.sssZ`, keeping the instant. A timestamp without a zone is rejected: its instant depends
 * on where it is read. Precision beyond milliseconds is truncated. Idempotent.
 *
 * @returns the canonical timestamp, or a `ContractError` (`timestamp_without_zone` or `invalid_timestamp`).
 * @example
 * normalizeTimestamp("2024-05-01T12:00:00+02:00"); // ok("2024-05-01T10:00:00.000Z")
 * normalizeTimestamp("2024-05-01 10:00"); // err: no zone
 */
export function normalizeTimestamp(input: string): Result<string, ContractError> {
  return toResult(normalizeTimestampValue(input));
}
