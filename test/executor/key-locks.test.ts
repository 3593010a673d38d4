import { describe, expect, it } from "vitest";
import { createKeyLocks } from "../../src/executor/key-locks.js";

describe("createKeyLocks", () => {
  it("makes a holder of an overlapping key wait until the first releases, and lets disjoint keys run at once", async () => {
    const locks = createKeyLocks();
    const order: string[] = [];
    const releaseA = await locks.acquire(["contact:a", "company:x"]);
    const b = locks.acquire(["company:x"]).then((release) => {
      order.push("b");
      return release;
    });
    const releaseC = await locks.acquire(["contact:c"]);
    order.push("c");
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(["c"]);
    releaseA();
    (await b)();
    releaseC();
    expect(order).toEqual(["c", "b"]);
  });

  it("never deadlocks two holders that ask for the same keys in opposite order", async () => {
    const locks = createKeyLocks();
    let held = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const release = await locks.acquire(i % 2 === 0 ? ["a", "b"] : ["b", "a"]);
        held++;
        expect(held).toBe(1);
        await new Promise((resolve) => setImmediate(resolve));
        held--;
        release();
      }),
    );
    expect(held).toBe(0);
  });
});
