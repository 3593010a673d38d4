import { describe, expect, it } from "vitest";
import type { FieldMeta } from "../../src/adapter/index.js";
import { checkEnum, decideField, isEmpty, sameValue } from "../../src/planner/fields.js";

const order = ["lead", "customer"];
const rank = (value: unknown) => {
  const index = order.indexOf(String(value));
  return index === -1 ? undefined : index;
};

describe("decideField", () => {
  it.each([
    ["source overwrites", "Old", "New", "source", undefined, true],
    ["source leaves an equal value", "Same", "Same", "source", undefined, false],
    ["numbers equal their CRM text", "100", 100, "source", undefined, false],
    ["crm fills an empty value", null, "New", "crm", undefined, true],
    ["crm never overwrites", "Old", "New", "crm", undefined, false],
    ["fill_if_empty fills", "", "New", "fill_if_empty", undefined, true],
    ["fill_if_empty keeps", "Old", "New", "fill_if_empty", undefined, false],
    ["ordered moves forward", "lead", "customer", "source", rank, true],
    ["ordered never moves back", "customer", "lead", "source", rank, false],
    ["ordered leaves unknown current values", "partner", "lead", "source", rank, false],
    ["ordered fills empty values", undefined, "lead", "source", rank, true],
  ] as const)("%s", (_, current, desired, ownership, ranker, write) => {
    expect(decideField("f", current, desired, ownership, ranker).write).toBe(write);
  });
});

describe("checkEnum", () => {
  const meta: FieldMeta = {
    key: "priority",
    apiName: "p",
    label: "Priority",
    type: "multi_enum",
    options: [
      { value: "LOW", label: "Low" },
      { value: "HIGH", label: "High" },
    ],
  };

  it.each([
    ["an option value", "LOW", { ok: true, value: "LOW", mapped: false }],
    ["a label", "high", { ok: true, value: "HIGH", mapped: true }],
    ["a list of labels", ["low", "HIGH"], { ok: true, value: ["LOW", "HIGH"], mapped: true }],
  ] as const)("accepts %s", (_, value, expected) => {
    expect(checkEnum(meta, value)).toEqual(expected);
  });

  it("rejects a value that is no option, naming the options", () => {
    expect(checkEnum(meta, "urgent")).toEqual({
      ok: false,
      message: '"urgent" is not an option of Priority (LOW, HIGH)',
    });
  });

  it("passes values of fields without options or metadata", () => {
    expect(checkEnum(undefined, "x")).toEqual({ ok: true, value: "x", mapped: false });
    expect(checkEnum({ ...meta, type: "string" }, "x")).toEqual({ ok: true, value: "x", mapped: false });
  });
});

describe("isEmpty and sameValue", () => {
  it("treat null, undefined, empty strings and lists as empty", () => {
    expect([null, undefined, "", []].every((value) => isEmpty(value))).toBe(true);
    expect(isEmpty(0)).toBe(false);
    expect(sameValue(["a", "b"], ["a", "b"])).toBe(true);
    expect(sameValue(true, "true")).toBe(true);
  });
});
