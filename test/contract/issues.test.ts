import { describe, expect, it } from "vitest";
import { describeValue, valueAt } from "../../src/contract/issues.js";

describe("issue helpers", () => {
  it.each([
    [null, "null"],
    ["x", 'the string "x"'],
    [1.5, "the number 1.5"],
    [true, "true"],
    [[1, 2, 3], "an array of 3"],
    [{ a: 1 }, "an object"],
    [undefined, "a undefined"],
  ])("describe %j as %j", (value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  it("cut a long quoted string to 64 characters", () => {
    expect(describeValue("y".repeat(1000)).length).toBeLessThan(90);
  });

  it("find the value at a path and never read inherited properties", () => {
    const root = { a: [{ b: "found" }] };
    expect(valueAt(root, ["a", 0, "b"])).toBe("found");
    expect(valueAt(root, ["a", 5, "b"])).toBeUndefined();
    expect(valueAt(root, ["toString"])).toBeUndefined();
  });
});
