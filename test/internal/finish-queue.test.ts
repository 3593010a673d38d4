import { describe, expect, it } from "vitest";
import { createFinishQueue } from "../../src/internal/finish-queue.js";

describe("createFinishQueue", () => {
  it("hands out items first in, first out", () => {
    const queue = createFinishQueue<number>();
    for (const n of [1, 2, 3]) queue.push(n);
    expect(queue.take(() => true)).toBe(1);
    expect(queue.take(() => true)).toBe(2);
    expect(queue.length).toBe(1);
  });

  it("drops the stale items in front of the first current one", () => {
    const queue = createFinishQueue<number>();
    for (let n = 0; n < 5000; n++) queue.push(n);
    expect(queue.take((n) => n === 4000)).toBe(4000);
    expect(queue.length).toBe(999);
    expect(queue.take(() => true)).toBe(4001);
  });

  it("returns undefined and is empty when no item is current", () => {
    const queue = createFinishQueue<number>();
    queue.push(1);
    expect(queue.take(() => false)).toBeUndefined();
    expect(queue.length).toBe(0);
  });
});

describe("FinishQueue.prune", () => {
  it("drops what keep rejects and keeps the order of the rest", () => {
    const queue = createFinishQueue<number>();
    for (let n = 0; n < 10; n++) queue.push(n);
    queue.take(() => true);
    queue.prune((n) => n % 3 === 0);
    expect(queue.length).toBe(3);
    expect([queue.take(() => true), queue.take(() => true), queue.take(() => true)]).toEqual([3, 6, 9]);
  });
});
