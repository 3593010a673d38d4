import type { Result } from "neverthrow";
import type { ContractError } from "../errors/index.js";
import { type Normalized, normalized, quote, rejected, toResult } from "./outcome.js";

const MIN_YEAR = 1000;
const MAX_YEAR = 9999;
const MAX_OFFSET_MINUTES = 18 * 60;
const MINUTES_PER_DAY = 24 * 60;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0"));
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

// The fields of the last scanned timestamp. Module state rather than a result object: `scan` runs for every
// timestamp of every event, synchronously, and its caller reads the fields before anything can scan again.
const fields = {
  year: 0,
  month: 0,
  day: 0,
  hour: 0,
  minute: 0,
  second: 0,
  millisecond: 0,
  /** Minutes east of UTC, or `undefined` when the text has no zone. */
  offset: undefined as number | undefined,
  offsetMinute: 0,
};

// The milliseconds of a fraction of `length` digits (1 to 9) at `at`: its first three digits, right-padded.
function milliseconds(text: string, at: number, length: number): number {
  const used = Math.min(length, 3);
  let value = digits(text, at, used);
  for (let i = used; i < 3; i++) value *= 10;
  return value;
}

// ISO-8601 calendar date and time as producers write it: `T`, `t` or a space between date and time, optional
// seconds and fraction (`.` or `,`, up to 9 digits), and a zone that is `Z`, `+02:00`, `+0200` or `+02`. Fills
// `fields` and returns true when the text has that form.
function scan(text: string): boolean {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const separator = text[10];
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) return false;
  if (text[4] !== "-" || text[7] !== "-" || text[13] !== ":") return false;
  if (separator !== "T" && separator !== "t" && separator !== " ") return false;
  fields.year = year;
  fields.month = month;
  fields.day = day;
  fields.hour = hour;
  fields.minute = minute;
  fields.second = 0;
  fields.millisecond = 0;
  fields.offset = undefined;
  fields.offsetMinute = 0;
  let at = 16;
  if (text[at] === ":") {
    fields.second = digits(text, at + 1, 2);
    if (fields.second < 0) return false;
    at += 3;
    if (text[at] === "." || text[at] === ",") {
      const start = at + 1;
      at = start;
      while (at < text.length && at - start < 10 && digits(text, at, 1) >= 0) at++;
      const length = at - start;
      if (length === 0 || length > 9) return false;
      fields.millisecond = milliseconds(text, start, length);
    }
  }
  if (at === text.length) return true;
  const zone = text[at];
  if ((zone === "Z" || zone === "z") && at + 1 === text.length) {
    fields.offset = 0;
    return true;
  }
  if (zone !== "+" && zone !== "-") return false;
  const offsetHour = digits(text, at + 1, 2);
  if (offsetHour < 0) return false;
  at += 3;
  if (text[at] === ":") at++;
  if (at < text.length) {
    fields.offsetMinute = digits(text, at, 2);
    if (fields.offsetMinute < 0 || at + 2 !== text.length) return false;
  } else if (text[at - 1] === ":") {
    return false;
  }
  fields.offset = (zone === "-" ? -1 : 1) * (offsetHour * 60 + fields.offsetMinute);
  return true;
}

// True when `text`, already scanned, is spelled exactly as `Date#toISOString` would write its instant: UTC,
// upper-case `T` and `Z`, seconds and three fraction digits. Producers mostly send this form.
function isCanonical(text: string): boolean {
  return (
    text.length === 24 &&
    fields.offset === 0 &&
    text[10] === "T" &&
    text[16] === ":" &&
    text[19] === "." &&
    text[23] === "Z"
  );
}

/** @internal The core of {@link normalizeTimestamp}. */
export function normalizeTimestampValue(input: string): Normalized {
  const text = input.trim();
  if (!scan(text)) {
    return rejected(
      "invalid_timestamp",
      `${quote(input)} is not an ISO-8601 timestamp; send one with a zone, ${EXAMPLE}`,
    );
  }
  const { year, month, day, hour, minute, second, millisecond, offset } = fields;
  if (offset === undefined) {
    return rejected(
      "timestamp_without_zone",
      `${quote(input)} has no time zone, so the instant is ambiguous; add Z (UTC) or an offset, ${EXAMPLE}`,
    );
  }
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
  // A valid four-digit year in UTC is always within range, and the text already is the canonical form.
  if (isCanonical(text)) return normalized(text);
  const utc = toUtcText(year, month, day, hour * 60 + minute - offset, second, millisecond);
  // An offset can push 1000-01-01 or 9999-12-31 across the four-digit year range the canonical form needs.
  if (utc === undefined) {
    return rejected(
      "invalid_timestamp",
      `${quote(input)} is outside the years ${MIN_YEAR}–${MAX_YEAR} once converted to UTC`,
    );
  }
  return normalized(utc);
}

/**
 * `new Date(instant).toISOString()` for valid fields whose time of day, `minutes` after midnight, has already
 * been moved to UTC; `undefined` when the UTC year has left 1000–9999. Computed on the fields because a `Date`
 * and its formatting cost more than the rest of the parse. An offset of at most 18 hours moves the date by at
 * most one day.
 * @internal
 */
export function toUtcText(
  year: number,
  month: number,
  day: number,
  minutes: number,
  second: number,
  millisecond: number,
): string | undefined {
  let y = year;
  let m = month;
  let d = day;
  let time = minutes;
  if (time < 0) {
    time += MINUTES_PER_DAY;
    d -= 1;
    if (d < 1) {
      m -= 1;
      if (m < 1) {
        m = 12;
        y -= 1;
      }
      d = daysInMonth(y, m);
    }
  } else if (time >= MINUTES_PER_DAY) {
    time -= MINUTES_PER_DAY;
    d += 1;
    if (d > daysInMonth(y, m)) {
      d = 1;
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
  }
  if (y < MIN_YEAR || y > MAX_YEAR) return undefined;
  const hh = TWO_DIGITS[Math.floor(time / 60)];
  const mm = TWO_DIGITS[time % 60];
  const ms = `${Math.floor(millisecond / 100)}${TWO_DIGITS[millisecond % 100]}`;
  return `${y}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}T${hh}:${mm}:${TWO_DIGITS[second]}.${ms}Z`;
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
