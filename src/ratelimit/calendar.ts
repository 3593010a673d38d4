/** One calendar day in an IANA time zone, as epoch ms `[start, end)`. */
export interface CalendarPeriod {
  /** Epoch ms of local midnight that opened the period; also the period's id. */
  readonly start: number;
  /** Epoch ms of the next local midnight (23 h or 25 h later on DST days). */
  readonly end: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Throws a `RangeError` naming the zone when `timeZone` is not an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/** The wall-clock fields of `time` in `timeZone`, re-read as if they were UTC (so differences give offsets). */
function wallClockAsUtc(time: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(time);
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  return Date.UTC(
    field("year"),
    field("month") - 1,
    field("day"),
    field("hour"),
    field("minute"),
    field("second"),
  );
}

/** The instant local midnight starts the day `utcDay` (a `Date.UTC(y, m, d)` value) in `timeZone`. */
function localMidnight(utcDay: number, timeZone: string): number {
  // Two fixed-point steps find the offset in force at midnight itself, which differs from the offset at the
  // guess when a DST change falls between them.
  let instant = utcDay - (wallClockAsUtc(utcDay, timeZone) - utcDay);
  instant = utcDay - (wallClockAsUtc(instant, timeZone) - instant);
  // Zones that move clocks at midnight (e.g. America/Santiago) skip 00:00; the day then starts at the first
  // instant whose local date is the new day.
  while (wallClockAsUtc(instant, timeZone) < utcDay) instant += 15 * 60 * 1000;
  return instant;
}

// A few periods per zone (yesterday, today, tomorrow are what stores ask for), found by a linear scan.
const cache = new Map<string, CalendarPeriod[]>();

/**
 * The local calendar day containing `now` in `timeZone`. Cached per zone, so the hot path is two comparisons;
 * `Intl` runs once per zone per day.
 *
 * @example
 * calendarPeriod("America/New_York", Date.parse("2026-03-08T12:00:00Z"))
 * // { start: Date.parse("2026-03-08T05:00:00Z"), end: Date.parse("2026-03-09T04:00:00Z") } (a 23 h day)
 */
export function calendarPeriod(timeZone: string, now: number): CalendarPeriod {
  const cached = cache.get(timeZone);
  if (cached !== undefined) {
    for (const period of cached) if (now >= period.start && now < period.end) return period;
  }
  const wall = wallClockAsUtc(now, timeZone);
  const day = wall - (((wall % 86_400_000) + 86_400_000) % 86_400_000);
  let start = localMidnight(day, timeZone);
  if (start > now) start = localMidnight(day - 86_400_000, timeZone);
  let end = localMidnight(day + 86_400_000, timeZone);
  if (end <= now) end = localMidnight(day + 2 * 86_400_000, timeZone);
  const period = { start, end };
  const periods = cached ?? [];
  if (periods.length >= 4) periods.shift();
  periods.push(period);
  cache.set(timeZone, periods);
  return period;
}
