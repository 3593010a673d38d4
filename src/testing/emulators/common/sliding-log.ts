/** An exact sliding-window counter: how vendors enforce "N requests per rolling window". */
export interface SlidingLog {
  /** The most admissions allowed in any window. */
  readonly limit: number;
  /** The window length in milliseconds. */
  readonly windowMs: number;
  /** Admissions inside the window ending at `now` (inclusive of `now`, exclusive of `now - windowMs`). */
  count(now: number): number;
  /** Admissions still allowed at `now`. */
  remaining(now: number): number;
  /** Records one admission at `now` when the window has room; returns whether it did. */
  tryAdd(now: number): boolean;
  /** Milliseconds from `now` until the oldest admission leaves the window (0 when there is room already). */
  msUntilRoom(now: number): number;
  /** Forgets every admission. */
  reset(): void;
}

/** Options for {@link createSlidingLog}. */
export interface SlidingLogOptions {
  /** The most admissions in any window of `windowMs`; must be a positive integer. */
  limit: number;
  /** The rolling window length in milliseconds; must be positive. */
  windowMs: number;
}

/**
 * Creates an exact sliding log. It stores one timestamp per admission, so a client that never exceeds `limit`
 * requests in any `windowMs` is never refused, and one that does is refused exactly as often as it exceeds it.
 * Emulators use it to enforce vendor burst limits (HubSpot 10 s rolling, search 5/s, Pipedrive 2 s).
 *
 * @example
 * const log = createSlidingLog({ limit: 100, windowMs: 10_000 });
 * if (!log.tryAdd(clock.now())) return tooManyRequests();
 */
export function createSlidingLog(options: SlidingLogOptions): SlidingLog {
  const { limit, windowMs } = options;
  if (!Number.isInteger(limit) || limit <= 0)
    throw new RangeError(`createSlidingLog: option \`limit\` must be a positive integer, got ${limit}`);
  if (!(windowMs > 0))
    throw new RangeError(`createSlidingLog: option \`windowMs\` must be positive, got ${windowMs}`);
  // A ring of at most `limit` timestamps: once full, the oldest entry decides whether a new one fits.
  let times: number[] = [];
  let head = 0;

  const prune = (now: number): void => {
    const cutoff = now - windowMs;
    while (head < times.length && (times[head] as number) <= cutoff) head++;
    // Compact occasionally so memory stays proportional to `limit`, not to the number of requests ever made.
    if (head > 1024 && head * 2 > times.length) {
      times = times.slice(head);
      head = 0;
    }
  };

  const count = (now: number): number => {
    prune(now);
    return times.length - head;
  };

  return {
    limit,
    windowMs,
    count,
    remaining: (now) => Math.max(0, limit - count(now)),
    tryAdd(now) {
      if (count(now) >= limit) return false;
      times.push(now);
      return true;
    },
    msUntilRoom(now) {
      if (count(now) < limit) return 0;
      const oldest = times[head] as number;
      return Math.max(0, oldest + windowMs - now);
    },
    reset() {
      times = [];
      head = 0;
    },
  };
}

/** A {@link SlidingLog} per key (per app, per account, per token), created on first use. */
export interface KeyedSlidingLog {
  /** The log for `key`, created empty on first use. */
  get(key: string): SlidingLog;
  /** Forgets every key. */
  reset(): void;
}

/**
 * Creates one {@link SlidingLog} per key with the same limit and window.
 *
 * @example
 * const perApp = createKeyedSlidingLog({ limit: 190, windowMs: 10_000 });
 * perApp.get(appId).tryAdd(now);
 */
export function createKeyedSlidingLog(options: SlidingLogOptions): KeyedSlidingLog {
  createSlidingLog(options); // validates the options once, at construction
  const logs = new Map<string, SlidingLog>();
  return {
    get(key) {
      let log = logs.get(key);
      if (log === undefined) {
        log = createSlidingLog(options);
        logs.set(key, log);
      }
      return log;
    },
    reset: () => logs.clear(),
  };
}
