import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createScopedKeyIndex, type Indexed } from "../../src/idempotency/memory-index.js";

const item = (scope: string, key: string): Indexed => ({ scope, key, hash: 0 });

describe("createScopedKeyIndex", () => {
  it("behaves like a Map keyed by (scope, key) under any sequence of adds and deletes", () => {
    const op = fc.record({
      add: fc.boolean(),
      scope: fc.constantFrom("s", "t", "s:x", ""),
      key: fc.string({ maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const index = createScopedKeyIndex<Indexed>();
        const model = new Map<string, Indexed>();
        for (const { add, scope, key } of ops) {
          const id = JSON.stringify([scope, key]);
          const stored = model.get(id);
          if (add && stored === undefined) {
            const created = item(scope, key);
            index.add(created);
            model.set(id, created);
          } else if (!add && stored !== undefined) {
            index.delete(stored);
            model.delete(id);
          }
          expect(index.size).toBe(model.size);
        }
        for (const [id, stored] of model) {
          const [scope, key] = JSON.parse(id) as [string, string];
          expect(index.get(scope, key)).toBe(stored);
        }
        let walked = 0;
        for (let slot = 0; slot < index.capacity; slot++) if (index.at(slot) !== undefined) walked++;
        expect(walked).toBe(model.size);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps ('ab', 'c') and ('a', 'bc') apart", () => {
    const index = createScopedKeyIndex<Indexed>();
    const first = item("ab", "c");
    index.add(first);
    expect(index.get("a", "bc")).toBeUndefined();
    expect(index.get("ab", "c")).toBe(first);
  });

  it("reports every item a delete moves, with the slot it now holds", () => {
    let moves: Array<[Indexed, number, number]> = [];
    const index = createScopedKeyIndex<Indexed>((moved, to, from) => moves.push([moved, to, from]));
    const items = Array.from({ length: 300 }, (_, i) => item("s", `k${i}`));
    for (const added of items) index.add(added);
    let moved = 0;
    for (const removed of items.slice(0, 150)) {
      moves = [];
      index.delete(removed);
      for (const [entry, to, from] of moves) {
        expect(to).not.toBe(from);
        expect(index.at(from)).not.toBe(entry);
        // Either still there, or moved on again later in the same shift.
        expect(
          index.at(to) === entry || moves.some(([again, , next]) => again === entry && next === to),
        ).toBe(true);
      }
      moved += moves.length;
    }
    expect(moved).toBeGreaterThan(0);
    for (const kept of items.slice(150)) expect(index.get("s", kept.key)).toBe(kept);
  });

  it("ignores a delete of an item it does not hold and empties on clear", () => {
    const index = createScopedKeyIndex<Indexed>();
    const kept = item("s", "a");
    index.add(kept);
    index.delete(item("s", "b"));
    expect(index.size).toBe(1);
    for (let i = 0; i < 100; i++) index.add(item("s", `k${i}`));
    index.clear();
    expect(index.size).toBe(0);
    expect(index.get("s", "a")).toBeUndefined();
    expect(index.capacity).toBeLessThan(100);
  });
});
