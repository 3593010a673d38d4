import { describe, expect, it } from "vitest";
import { createBoundedMemo } from "../../src/contract/bounded-memo.js";

describe("createBoundedMemo", () => {
  it("returns what was cached and undefined for unknown keys", () => {
    const memo = createBoundedMemo<number>(4);
    memo.set("a", 1);
    expect(memo.get("a")).toBe(1);
    expect(memo.get("b")).toBeUndefined();
  });

  it("never holds more than its capacity", () => {
    const memo = createBoundedMemo<number>(10);
    for (let i = 0; i < 1000; i++) {
      memo.set(`k${i}`, i);
      expect(memo.size).toBeLessThanOrEqual(10);
    }
    expect(memo.get("k999")).toBe(999);
    expect(memo.get("k0")).toBeUndefined();
  });

  it("keeps an entry that is read while newer ones arrive (least recently used goes first)", () => {
    const memo = createBoundedMemo<number>(4);
    memo.set("hot", 0);
    for (let i = 0; i < 100; i++) {
      memo.set(`cold${i}`, i);
      expect(memo.get("hot")).toBe(0);
    }
    expect(memo.get("cold0")).toBeUndefined();
  });

  it("throws naming the capacity when it is below 2", () => {
    expect(() => createBoundedMemo(1)).toThrow(/capacity/);
  });
});
