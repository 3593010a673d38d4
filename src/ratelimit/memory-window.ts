import { calendarPeriod } from "./calendar.js";
import type { ResolvedPolicy } from "./store.js";

// Pure per-policy window state for the memory store. Every function takes `now`, so the store decides the clock.

/** Exact sliding log: a ring buffer of admission times, one slot per unit. */
export interface SlidingState {
  /** The policy id this state belongs to. */
  readonly id: string;
  readonly kind: "sliding";
  buffer: Float64Array;
  head: number;
  size: number;
}

/** Bucketed rolling counter: bucket `b` lives in slot `b % counts.length`, `ids` says which bucket a slot holds. */
export interface RollingState {
  /** The policy id this state belongs to. */
  readonly id: string;
  readonly kind: "rolling";
  readonly bucketMs: number;
  readonly counts: Float64Array;
  readonly ids: Float64Array;
  total: number;
  oldest: number;
}

/** Units charged in the current calendar period (`start` is its id). */
export interface CalendarState {
  /** The policy id this state belongs to. */
  readonly id: string;
  readonly kind: "calendar";
  start: number;
  /** End of the period `start` opened; kept so the hot path needs no time-zone lookup. */
  end: number;
  used: number;
}

/** Concurrency slots held, by permit id, each with the units it holds and when its lease runs out. */
export interface ConcurrencyState {
  /** The policy id this state belongs to. */
  readonly id: string;
  readonly kind: "concurrency";
  readonly permits: Map<string, { units: number; expiresAt: number }>;
  used: number;
}

export type WindowState = SlidingState | RollingState | CalendarState | ConcurrencyState;

/** A fresh state for `policy`. */
export function createWindowState(policy: ResolvedPolicy): WindowState {
  switch (policy.kind) {
    case "sliding":
      // Start small and double on demand: a scope that never nears a large limit never pays for it.
      return {
        id: policy.id,
        kind: "sliding",
        buffer: new Float64Array(Math.min(policy.effectiveLimit, 16)),
        head: 0,
        size: 0,
      };
    case "rolling": {
      const slots = Math.ceil(policy.windowMs / policy.bucketMs) + 1;
      return {
        id: policy.id,
        kind: "rolling",
        bucketMs: policy.bucketMs,
        counts: new Float64Array(slots),
        ids: new Float64Array(slots).fill(-1),
        total: 0,
        oldest: Number.POSITIVE_INFINITY,
      };
    }
    case "calendar":
      return {
        id: policy.id,
        kind: "calendar",
        start: Number.NEGATIVE_INFINITY,
        end: Number.NEGATIVE_INFINITY,
        used: 0,
      };
    case "concurrency":
      return { id: policy.id, kind: "concurrency", permits: new Map(), used: 0 };
  }
}

/** True when `state` can hold `policy` as configured (a store shared by differently configured limiters). */
export function fits(state: WindowState, policy: ResolvedPolicy): boolean {
  if (state.kind !== policy.kind) return false;
  if (state.kind === "rolling") {
    return (
      state.bucketMs === policy.bucketMs &&
      state.counts.length >= Math.ceil(policy.windowMs / policy.bucketMs) + 1
    );
  }
  return true;
}

/** Drops what left the window and returns the units counted in it now. */
export function usedNow(state: WindowState, policy: ResolvedPolicy, now: number): number {
  switch (state.kind) {
    case "sliding": {
      const cutoff = now - policy.windowMs;
      const { buffer } = state;
      while (state.size > 0 && buffer[state.head]! <= cutoff) {
        state.head = state.head + 1 === buffer.length ? 0 : state.head + 1;
        state.size--;
      }
      return state.size;
    }
    case "rolling": {
      const first = Math.floor((now - policy.windowMs) / state.bucketMs);
      if (state.oldest < first) {
        const slots = state.counts.length;
        if (first - state.oldest >= slots) {
          state.counts.fill(0);
          state.ids.fill(-1);
          state.total = 0;
        } else {
          for (let bucket = state.oldest; bucket < first; bucket++) {
            const slot = bucket % slots;
            if (state.ids[slot] === bucket) {
              state.total -= state.counts[slot]!;
              state.counts[slot] = 0;
              state.ids[slot] = -1;
            }
          }
        }
        state.oldest = first;
      }
      return state.total;
    }
    case "calendar": {
      if (now >= state.start && now < state.end) return state.used;
      const period = calendarPeriod(policy.timeZone, now);
      if (state.start !== period.start) state.used = 0;
      state.start = period.start;
      state.end = period.end;
      return state.used;
    }
    case "concurrency": {
      for (const [id, permit] of state.permits) {
        if (permit.expiresAt <= now) {
          state.permits.delete(id);
          state.used -= permit.units;
        }
      }
      return state.used;
    }
  }
}

/** Milliseconds until `units` more fit under `limit`, given `used` from {@link usedNow}; 0 when they fit now. */
export function waitFor(
  state: WindowState,
  policy: ResolvedPolicy,
  used: number,
  units: number,
  limit: number,
  now: number,
): number {
  if (used + units <= limit) return 0;
  const excess = used + units - limit;
  switch (state.kind) {
    case "sliding": {
      // The admission `excess` places from the oldest must leave the window first.
      const index = (state.head + excess - 1) % state.buffer.length;
      return state.buffer[index]! + policy.windowMs - now;
    }
    case "rolling": {
      const slots = state.counts.length;
      const first = Math.floor((now - policy.windowMs) / state.bucketMs);
      const current = Math.floor(now / state.bucketMs);
      let freed = 0;
      for (let bucket = first; bucket <= current; bucket++) {
        const slot = bucket % slots;
        if (state.ids[slot] === bucket) freed += state.counts[slot]!;
        if (freed >= excess) return (bucket + 1) * state.bucketMs + policy.windowMs - now;
      }
      return policy.windowMs;
    }
    case "calendar":
      return calendarPeriod(policy.timeZone, now).end - now;
    case "concurrency": {
      let earliest = Number.POSITIVE_INFINITY;
      for (const permit of state.permits.values()) earliest = Math.min(earliest, permit.expiresAt);
      return Math.max(1, earliest - now);
    }
  }
}

/** Charges `units` at `now` (after {@link usedNow} and {@link waitFor} said they fit). */
export function charge(
  state: WindowState,
  units: number,
  now: number,
  permitId: string,
  leaseMs: number,
): void {
  switch (state.kind) {
    case "sliding": {
      if (state.size + units > state.buffer.length) grow(state, state.size + units);
      const { buffer } = state;
      for (let i = 0; i < units; i++) {
        buffer[(state.head + state.size) % buffer.length] = now;
        state.size++;
      }
      return;
    }
    case "rolling": {
      const bucket = Math.floor(now / state.bucketMs);
      const slot = bucket % state.counts.length;
      if (state.ids[slot] !== bucket) {
        state.ids[slot] = bucket;
        state.counts[slot] = 0;
      }
      state.counts[slot]! += units;
      state.total += units;
      if (bucket < state.oldest) state.oldest = bucket;
      return;
    }
    case "calendar":
      state.used += units;
      return;
    case "concurrency": {
      const held = state.permits.get(permitId);
      state.permits.set(permitId, { units: (held?.units ?? 0) + units, expiresAt: now + leaseMs });
      state.used += units;
      return;
    }
  }
}

/** Gives back `units` charged at `chargedAt` (a refund); a no-op for units that already left the window. */
export function uncharge(
  state: WindowState,
  units: number,
  chargedAt: number,
  permitId: string,
  policy: ResolvedPolicy,
): void {
  switch (state.kind) {
    case "sliding": {
      // A refunded admission is among the newest entries, so walk back from the tail and close the gaps.
      const { buffer } = state;
      const kept: number[] = [];
      let removed = 0;
      while (state.size > 0 && removed < units) {
        const tail = (state.head + state.size - 1) % buffer.length;
        const value = buffer[tail]!;
        state.size--;
        if (value === chargedAt) removed++;
        else kept.push(value);
        if (value < chargedAt) break;
      }
      for (let i = kept.length - 1; i >= 0; i--) {
        buffer[(state.head + state.size) % buffer.length] = kept[i]!;
        state.size++;
      }
      return;
    }
    case "rolling": {
      const bucket = Math.floor(chargedAt / state.bucketMs);
      const slot = bucket % state.counts.length;
      if (state.ids[slot] !== bucket) return;
      const back = Math.min(units, state.counts[slot]!);
      state.counts[slot]! -= back;
      state.total -= back;
      return;
    }
    case "calendar":
      if (state.start === calendarPeriod(policy.timeZone, chargedAt).start)
        state.used = Math.max(0, state.used - units);
      return;
    case "concurrency":
      releasePermit(state, permitId);
      return;
  }
}

/** Frees a concurrency permit; false when it was not held (already released or expired). */
export function releasePermit(state: ConcurrencyState, permitId: string): boolean {
  const held = state.permits.get(permitId);
  if (held === undefined) return false;
  state.permits.delete(permitId);
  state.used -= held.units;
  return true;
}

/** Charges `units` phantom admissions dated `at` into a sliding log, keeping it ordered (header feedback). */
export function chargeSlidingAt(state: SlidingState, units: number, at: number): void {
  if (state.size + units > state.buffer.length) grow(state, state.size + units);
  const { buffer } = state;
  const newer: number[] = [];
  while (state.size > 0) {
    const tail = (state.head + state.size - 1) % buffer.length;
    if (buffer[tail]! <= at) break;
    newer.push(buffer[tail]!);
    state.size--;
  }
  for (let i = 0; i < units; i++) buffer[(state.head + state.size++) % buffer.length] = at;
  for (let i = newer.length - 1; i >= 0; i--) buffer[(state.head + state.size++) % buffer.length] = newer[i]!;
}

function grow(state: SlidingState, needed: number): void {
  const next = new Float64Array(Math.max(needed, state.buffer.length * 2));
  for (let i = 0; i < state.size; i++) next[i] = state.buffer[(state.head + i) % state.buffer.length]!;
  state.buffer = next;
  state.head = 0;
}

/** How long state charged at `now` must be kept (after {@link usedNow} brought `state` up to date). */
export function horizonMs(state: WindowState, policy: ResolvedPolicy, now: number, leaseMs: number): number {
  switch (state.kind) {
    case "sliding":
      return policy.windowMs;
    case "rolling":
      return policy.windowMs + policy.bucketMs;
    case "calendar":
      return state.end - now;
    case "concurrency":
      return leaseMs;
  }
}
