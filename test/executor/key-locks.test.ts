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

  it("lets every waiter for a shared key proceed at once, and keeps the holder's other keys exclusive", async () => {
    const locks = createKeyLocks();
    const first = await locks.acquire(["company:x", "contact:a"]);
    const entered: string[] = [];
    const waiters = ["b", "c", "d"].map((name) =>
      locks.acquire(["company:x", `contact:${name}`]).then((hold) => {
        entered.push(name);
        return hold;
      }),
    );
    const sameContact = locks.acquire(["contact:a"]).then((hold) => {
      entered.push("a-again");
      return hold;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered).toEqual([]);
    first.share("company:x");
    const holds = await Promise.all(waiters);
    expect(entered).toEqual(["b", "c", "d"]);
    // A newcomer while the key is shared passes straight through too.
    const late = await locks.acquire(["company:x"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered).not.toContain("a-again");
    first();
    (await sameContact)();
    expect(entered).toContain("a-again");
    for (const hold of [...holds, late]) hold();
    // Once every sharer has released, the key is exclusive again.
    const again = await locks.acquire(["company:x"]);
    let next = false;
    const after = locks.acquire(["company:x"]).then((hold) => {
      next = true;
      return hold;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(next).toBe(false);
    again();
    (await after)();
    expect(next).toBe(true);
  });

  it("hands an exclusive key to one waiter at a time when it is never shared", async () => {
    const locks = createKeyLocks();
    let held = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const hold = await locks.acquire(["company:x"]);
        held++;
        most = Math.max(most, held);
        await new Promise((resolve) => setImmediate(resolve));
        held--;
        hold();
      }),
    );
    expect(most).toBe(1);
  });
});
