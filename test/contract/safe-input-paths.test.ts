import { describe, expect, it } from "vitest";
import { CONTRACT_LIMITS } from "../../src/contract/index.js";
import { toSafeInput } from "../../src/contract/safe-input.js";

// Paths are assembled only when an issue is reported, from keys recorded per depth; these cases make sure no key
// of an earlier, deeper sibling leaks into a later path.
describe("toSafeInput issue paths", () => {
  it("names array indices and object keys on the way to a circular reference", () => {
    const input: Record<string, unknown> = { a: [{ b: 1 }, { c: null }] };
    ((input["a"] as unknown[])[1] as Record<string, unknown>)["c"] = input;
    expect(toSafeInput(input).issues).toEqual([
      expect.objectContaining({ path: ["a", 1, "c"], field: "a.1.c", code: "circular" }),
    ]);
  });

  it("reports a shallow path after a deeper sibling was copied", () => {
    const input: Record<string, unknown> = { x: { y: { z: { deep: [1, [2]] } } } };
    input["w"] = input;
    expect(toSafeInput(input).issues).toEqual([expect.objectContaining({ path: ["w"], code: "circular" })]);
  });

  it("reports every issue with its own path", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < CONTRACT_LIMITS.depth; i++) deep = [deep];
    const input: Record<string, unknown> = { first: { deep }, second: {} };
    (input["second"] as Record<string, unknown>)["back"] = input["second"];
    const issues = toSafeInput(input).issues;
    expect(issues.map((issue) => issue.code)).toEqual(["too_deep", "circular"]);
    expect(issues[0]?.path).toEqual(["first", "deep", ...Array.from({ length: 30 }, () => 0)]);
    expect(issues[1]?.path).toEqual(["second", "back"]);
  });

  it("copies dates inside arrays as ISO strings and keeps an invalid date as it is", () => {
    const invalid = new Date(Number.NaN);
    const { value } = toSafeInput({ when: [new Date(Date.UTC(2024, 4, 1)), invalid] });
    expect(value).toStrictEqual({ when: ["2024-05-01T00:00:00.000Z", invalid] });
  });

  it("drops undefined object values but keeps undefined array entries", () => {
    expect(toSafeInput({ a: undefined, b: [undefined, 1] }).value).toStrictEqual({ b: [undefined, 1] });
  });
});
