/** Usage that resets at midnight in one time zone: how vendors meter their daily limits. */
export interface DailyCounter {
  /** Usage counted so far on the local day of `now`. */
  used(now: number): number;
  /** Counts `amount` more on the local day of `now`. */
  add(now: number, amount: number): void;
  /** Epoch ms of the first instant after `now` that falls on the next local day: when the count resets. */
  nextReset(now: number): number;
  /** Forgets all usage. */
  reset(): void;
}

/** Options for {@link createDailyCounter}. */
export interface DailyCounterOptions {
  /** IANA zone whose midnight resets the count; validate it first, `Intl` throws on unknown zones. */
  timeZone: string;
}

/**
 * Creates a daily counter. The day is the calendar date in `timeZone` (as the vendor's account settings define
 * it), not a rolling 24 hours, so a burst just before midnight and one just after fall on different days.
 *
 * @example
 * const daily = createDailyCounter({ timeZone: "Europe/Berlin" });
 * if (daily.used(now) >= limit) return tooManyRequests();
 * daily.add(now, 1);
 */
export function createDailyCounter(options: DailyCounterOptions): DailyCounter {
  const dayFormat = new Intl.DateTimeFormat("en-CA", {
    timeZone: options.timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  let day = "";
  let used = 0;

  // Comparing formatted dates (rather than counting 24 h) keeps DST days and clock jumps right without special cases.
  const rollDay = (now: number): void => {
    const today = dayFormat.format(now);
    if (today !== day) {
      day = today;
      used = 0;
    }
  };

  return {
    used(now) {
      rollDay(now);
      return used;
    },
    add(now, amount) {
      rollDay(now);
      used += amount;
    },
    // Found by bisection on the formatted date so DST days (23 or 25 hours) need no special case.
    nextReset(now) {
      const today = dayFormat.format(now);
      let lo = now;
      let hi = now + 26 * 3_600_000;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (dayFormat.format(mid) === today) lo = mid;
        else hi = mid;
      }
      return hi;
    },
    reset() {
      used = 0;
      day = "";
    },
  };
}
