import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  calendarPeriod,
  createMemoryRateLimitStore,
  createRateLimiter,
  type RateLimitPolicy,
  resolveRateLimitPolicies,
} from "../../src/ratelimit/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";

// Independent oracles: replay the admitted (time, units) and check every window of the policy's length.

interface Admission {
  at: number;
  units: number;
}

const sumIn = (admitted: readonly Admission[], from: number, to: number): number =>
  admitted.reduce((sum, a) => (a.at >= from && a.at < to ? sum + a.units : sum), 0);

/** Adversarial gaps: bursts (0), exact window edges (W − 1, W, W + 1) and random spacing. */
const gap = (windowMs: number) =>
  fc.oneof(
    fc.constant(0),
    fc.constant(1),
    fc.constant(windowMs - 1),
    fc.constant(windowMs),
    fc.constant(windowMs + 1),
    fc.integer({ min: 0, max: windowMs * 2 }),
  );

const arrivals = (windowMs: number, maxUnits: number) =>
  fc.array(fc.record({ gap: gap(windowMs), units: fc.integer({ min: 1, max: maxUnits }) }), {
    minLength: 1,
    maxLength: 300,
  });

describe("window property: no window ever admits more than the effective limit", () => {
  it("sliding log: ≤ limit in every window of W, and a rejection only when the exact window is full", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 10, max: 2_000 })
          .chain((windowMs) =>
            fc.tuple(
              fc.constant(windowMs),
              fc.integer({ min: 1, max: 20 }),
              fc.boolean(),
              arrivals(windowMs, 20),
            ),
          ),
        async ([windowMs, limit, weighted, pattern]) => {
          const [policy] = resolveRateLimitPolicies(
            [{ id: "p", kind: "sliding", limit, windowMs, weighted }],
            1,
          );
          const clock = createFakeClock();
          const store = createMemoryRateLimitStore({ clock });
          const admitted: Admission[] = [];
          for (const [i, arrival] of pattern.entries()) {
            await clock.advance(arrival.gap);
            const units = weighted ? Math.min(arrival.units, limit) : 1;
            const now = clock.now();
            const result = store.tryAcquire("s", {
              permitId: `${i}`,
              entries: [{ policy: policy!, units }],
              leaseMs: 1,
            });
            if (result.kind === "admitted") admitted.push({ at: now, units });
            else expect(sumIn(admitted, now - windowMs + 1, now + 1) + units).toBeGreaterThan(limit);
          }
          for (const a of admitted) expect(sumIn(admitted, a.at, a.at + windowMs)).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("rolling counter: never over-admits, and under-admits by at most the oldest bucket", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 5, max: 200 }),
        arrivals(1_000, 10),
        async (limit, buckets, bucketMs, pattern) => {
          const windowMs = buckets * bucketMs;
          const [policy] = resolveRateLimitPolicies(
            [{ id: "p", kind: "rolling", limit, windowMs, bucketMs, weighted: true }],
            1,
          );
          const clock = createFakeClock();
          const store = createMemoryRateLimitStore({ clock });
          const admitted: Admission[] = [];
          for (const [i, arrival] of pattern.entries()) {
            await clock.advance(arrival.gap % (windowMs * 2));
            const units = Math.min(arrival.units, limit);
            const now = clock.now();
            const result = store.tryAcquire("r", {
              permitId: `${i}`,
              entries: [{ policy: policy!, units }],
              leaseMs: 1,
            });
            if (result.kind === "admitted") {
              admitted.push({ at: now, units });
            } else {
              const first = Math.floor((now - windowMs) / bucketMs);
              const oldestBucket = sumIn(admitted, first * bucketMs, (first + 1) * bucketMs);
              expect(sumIn(admitted, now - windowMs + 1, now + 1) + units + oldestBucket).toBeGreaterThan(
                limit,
              );
            }
          }
          for (const a of admitted) expect(sumIn(admitted, a.at, a.at + windowMs)).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("calendar: ≤ limit per local day (across DST) and a rejection only when the day is full", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom("UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"),
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 4 * 3_600_000 }),
            units: fc.integer({ min: 1, max: 5 }),
          }),
          {
            maxLength: 120,
          },
        ),
        async (limit, timeZone, pattern) => {
          const [policy] = resolveRateLimitPolicies(
            [{ id: "p", kind: "calendar", limit, timeZone, weighted: true }],
            1,
          );
          const clock = createFakeClock({ start: "2026-03-07T00:00:00Z" });
          const store = createMemoryRateLimitStore({ clock });
          const admitted: Admission[] = [];
          for (const [i, arrival] of pattern.entries()) {
            await clock.advance(arrival.gap);
            const units = Math.min(arrival.units, limit);
            const now = clock.now();
            const period = calendarPeriod(timeZone, now);
            const result = store.tryAcquire("c", {
              permitId: `${i}`,
              entries: [{ policy: policy!, units }],
              leaseMs: 1,
            });
            if (result.kind === "admitted") admitted.push({ at: now, units });
            else expect(sumIn(admitted, period.start, period.end) + units).toBeGreaterThan(limit);
          }
          for (const a of admitted) {
            const period = calendarPeriod(timeZone, a.at);
            expect(sumIn(admitted, period.start, period.end)).toBeLessThanOrEqual(limit);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("concurrency: never more than the limit in flight at any instant", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.record({ gap: fc.integer({ min: 0, max: 50 }), hold: fc.integer({ min: 1, max: 200 }) }),
          {
            maxLength: 200,
          },
        ),
        async (limit, pattern) => {
          const [policy] = resolveRateLimitPolicies([{ id: "p", kind: "concurrency", limit }], 1);
          const clock = createFakeClock();
          const store = createMemoryRateLimitStore({ clock });
          const held: Array<{ from: number; to: number }> = [];
          for (const [i, arrival] of pattern.entries()) {
            await clock.advance(arrival.gap);
            const now = clock.now();
            const id = `${i}`;
            const result = store.tryAcquire("k", {
              permitId: id,
              entries: [{ policy: policy!, units: 1 }],
              leaseMs: 10_000,
            });
            if (result.kind !== "admitted") continue;
            held.push({ from: now, to: now + arrival.hold });
            clock.setTimeout(() => store.release("k", id, [policy!]), arrival.hold);
          }
          for (const h of held) {
            const overlapping = held.filter((other) => other.from <= h.from && other.to > h.from).length;
            expect(overlapping).toBeLessThanOrEqual(limit);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("through the limiter's waiting path, greedy callers still never exceed any policy", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 700 }), cost: fc.integer({ min: 1, max: 4 }) }), {
          minLength: 1,
          maxLength: 60,
        }),
        async (pattern) => {
          const clock = createFakeClock();
          const policies: RateLimitPolicy[] = [
            { id: "short", kind: "sliding", limit: 5, windowMs: 1_000 },
            { id: "tokens", kind: "sliding", limit: 12, windowMs: 3_000, weighted: true },
          ];
          const limiter = createRateLimiter({ policies, clock, headroom: 1 });
          const admitted: Array<Admission & { cost: number }> = [];
          const pending: Array<PromiseLike<unknown>> = [];
          for (const arrival of pattern) {
            await clock.advance(arrival.gap);
            pending.push(
              limiter
                .acquire("t", { cost: arrival.cost })
                .map((permit) => admitted.push({ at: permit.acquiredAt, units: 1, cost: arrival.cost }))
                .then((result) => result),
            );
          }
          await clock.runAll();
          await Promise.all(pending);
          expect(admitted.length).toBe(pattern.length);
          for (const a of admitted) {
            expect(sumIn(admitted, a.at, a.at + 1_000)).toBeLessThanOrEqual(5);
            const tokens = admitted
              .filter((b) => b.at >= a.at && b.at < a.at + 3_000)
              .reduce((s, b) => s + b.cost, 0);
            expect(tokens).toBeLessThanOrEqual(12);
          }
          await limiter.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
