import { describe, expect, it } from "vitest";
import { createMemoryTable } from "../../src/idempotency/memory-table.js";

describe("createMemoryTable eviction queues", () => {
  it("stay bounded when the same keys finish again and again below capacity, and keep eviction order", () => {
    const table = createMemoryTable();
    const entries = ["a", "b", "c"].map((key) => table.insert("s", key, "fp", "owner", 10, 0, 1_000));
    for (let round = 0; round < 20_000; round++) {
      for (const entry of entries) {
        entry.state = round % 2 === 0 ? "released" : "completed";
        table.queue(entry);
      }
    }
    expect(table.queued).toBeLessThanOrEqual(2 * table.size + 1024 + 2);
    // The last round completed a, b, c in that order: they are evicted oldest first, then nothing is left.
    expect(table.evictOne(0)).toBe(true);
    expect(table.find("s", "a", 0)).toBeUndefined();
    expect(table.find("s", "b", 0)).toBe(entries[1]);
    expect(table.evictOne(0)).toBe(true);
    expect(table.evictOne(0)).toBe(true);
    expect(table.evictOne(0)).toBe(false);
    expect(table.size).toBe(0);
  });

  it("after pruning still evicts a released entry that finished earlier only as released", () => {
    const table = createMemoryTable();
    const released = table.insert("s", "released", "fp", "owner", 10, 0, 1_000);
    released.state = "released";
    table.queue(released);
    const busy = table.insert("s", "busy", "fp", "owner", 10, 0, 1_000);
    for (let i = 0; i < 5_000; i++) {
      busy.state = "completed";
      table.queue(busy);
    }
    busy.state = "in_progress";
    // The finished queue holds only stale items for `busy` (in progress again); the released entry is next.
    expect(table.evictOne(0)).toBe(true);
    expect(table.find("s", "released", 0)).toBeUndefined();
    expect(table.evictOne(0)).toBe(false);
  });
});
