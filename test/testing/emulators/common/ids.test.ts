import { describe, expect, it } from "vitest";
import {
  createNumericIdGenerator,
  createUuidGenerator,
} from "../../../../src/testing/emulators/common/ids.js";

describe("id generators", () => {
  it("hands out sequential numeric strings, skipping reserved ids, and restarts on reset", () => {
    const ids = createNumericIdGenerator({ start: 51 });
    expect(ids.next()).toBe("51");
    ids.reserve("60");
    expect(ids.next()).toBe("61");
    ids.reset();
    expect(ids.next()).toBe("51");
  });

  it("produces reproducible, distinct v4-shaped UUIDs per seed", () => {
    const a = createUuidGenerator({ seed: 7 });
    const b = createUuidGenerator({ seed: 7 });
    const first = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(first);
    expect(new Set(first).size).toBe(3);
    for (const id of first)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(createUuidGenerator({ seed: 8 }).next()).not.toBe(first[0]);
  });
});
