import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createKeyedSlidingLog,
  createSlidingLog,
} from "../../../../src/testing/emulators/common/sliding-log.js";

describe("createSlidingLog", () => {
  it("admits up to the limit in a window and refuses the next", () => {
    const log = createSlidingLog({ limit: 3, windowMs: 1000 });
    expect([log.tryAdd(0), log.tryAdd(1), log.tryAdd(2), log.tryAdd(3)]).toEqual([true, true, true, false]);
    expect(log.remaining(3)).toBe(0);
  });

  it("frees a slot exactly windowMs after the oldest admission", () => {
    const log = createSlidingLog({ limit: 1, windowMs: 1000 });
    expect(log.tryAdd(100)).toBe(true);
    expect(log.msUntilRoom(600)).toBe(500);
    expect(log.tryAdd(1099)).toBe(false);
    expect(log.tryAdd(1100)).toBe(true);
  });

  it("throws at construction naming a bad option", () => {
    expect(() => createSlidingLog({ limit: 0, windowMs: 10 })).toThrow(/`limit`/);
    expect(() => createSlidingLog({ limit: 1, windowMs: 0 })).toThrow(/`windowMs`/);
  });

  it("never admits more than limit in any window and refuses only when a window is full (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 120 }),
        (limit, windowMs, gaps) => {
          const log = createSlidingLog({ limit, windowMs });
          const admitted: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            const inWindow = admitted.filter((t) => t > now - windowMs).length;
            const ok = log.tryAdd(now);
            expect(ok).toBe(inWindow < limit);
            if (ok) admitted.push(now);
          }
        },
      ),
    );
  });
});

describe("createKeyedSlidingLog", () => {
  it("keeps a separate window per key", () => {
    const logs = createKeyedSlidingLog({ limit: 1, windowMs: 1000 });
    expect(logs.get("a").tryAdd(0)).toBe(true);
    expect(logs.get("b").tryAdd(0)).toBe(true);
    expect(logs.get("a").tryAdd(1)).toBe(false);
    logs.reset();
    expect(logs.get("a").tryAdd(2)).toBe(true);
  });
});
