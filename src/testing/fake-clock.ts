import type { Clock } from "../internal/clock.js";

/** A {@link Clock} whose time moves only when a test moves it. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order; awaits microtasks between timers. */
  advance(ms: number): Promise<void>;
  /** Moves time to the epoch ms `time` (never backwards), firing due timers in order. */
  setTime(time: number): Promise<void>;
  /** Fires timers until none are left or `maxMs` has passed; returns how far time moved. */
  runAll(maxMs?: number): Promise<number>;
  /** How many timers are waiting. */
  pendingTimers(): number;
  /**
   * When the earliest waiting timer is due (epoch ms), or `undefined` when none waits. Lets a test drive time
   * "to the next event" instead of guessing how far to advance.
   */
  nextTimerAt(): number | undefined;
}

/** Options for {@link createFakeClock}. */
export interface FakeClockOptions {
  /**
   * Start time, epoch ms or an ISO date string.
   * @default "2026-01-01T00:00:00.000Z"
   */
  start?: number | string | undefined;
}

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

const flushMicrotasks = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
};

/**
 * Creates a fake clock for deterministic tests of anything that takes a `clock` option (limiter windows,
 * idempotency leases, token expiry, retries).
 *
 * @example
 * const clock = createFakeClock({ start: "2026-03-08T09:00:00Z" });
 * const limiter = createRateLimiter({ policies, clock });
 * await clock.advance(10_000);
 */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  const start = options.start ?? "2026-01-01T00:00:00.000Z";
  let now = typeof start === "number" ? start : Date.parse(start);
  if (!Number.isFinite(now))
    throw new TypeError(`createFakeClock: option \`start\` is not a valid date: ${start}`);
  let nextId = 1;
  const timers = new Map<number, Timer>();

  const due = (until: number): Timer | undefined => {
    let first: Timer | undefined;
    for (const timer of timers.values()) {
      if (
        timer.at <= until &&
        (first === undefined || timer.at < first.at || (timer.at === first.at && timer.id < first.id))
      ) {
        first = timer;
      }
    }
    return first;
  };

  const moveTo = async (target: number): Promise<void> => {
    await flushMicrotasks();
    for (let timer = due(target); timer !== undefined; timer = due(target)) {
      timers.delete(timer.id);
      now = Math.max(now, timer.at);
      timer.callback();
      await flushMicrotasks();
    }
    now = Math.max(now, target);
    await flushMicrotasks();
  };

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { id, at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      if (typeof handle === "number") timers.delete(handle);
    },
    advance: (ms) => moveTo(now + ms),
    setTime: (time) => moveTo(time),
    async runAll(maxMs = 24 * 60 * 60 * 1000) {
      const from = now;
      const limit = now + maxMs;
      for (let timer = due(limit); timer !== undefined; timer = due(limit)) await moveTo(timer.at);
      return now - from;
    },
    pendingTimers: () => timers.size,
    nextTimerAt: () => {
      let next: number | undefined;
      for (const timer of timers.values()) if (next === undefined || timer.at < next) next = timer.at;
      return next;
    },
  };
}
