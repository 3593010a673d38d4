import { describe, expect, it } from "vitest";
import { CONTRACT_LIMITS, parseEvent } from "../../src/contract/index.js";
import { toSafeInput } from "../../src/contract/safe-input.js";
import { lead } from "./fixtures.js";

function nest(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = { next: value };
  return value;
}

describe("toSafeInput", () => {
  it("drops __proto__, constructor and prototype keys at every depth", () => {
    const input = JSON.parse(
      '{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"polluted":2}},"prototype":3,"b":[{"__proto__":4}]}}',
    );
    const { value, issues } = toSafeInput(input);
    expect(value).toStrictEqual({ a: { b: [{}] } });
    expect(issues).toEqual([]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("copies instead of sharing, so later mutation of the input cannot change a parsed event", () => {
    const input = { a: { b: 1 } };
    const { value } = toSafeInput(input);
    input.a.b = 2;
    expect(value).toStrictEqual({ a: { b: 1 } });
  });

  it("reports nesting deeper than the depth limit with the path where it happens", () => {
    const { issues } = toSafeInput(nest(CONTRACT_LIMITS.depth + 1));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe("too_deep");
    expect(issues[0]?.path).toHaveLength(CONTRACT_LIMITS.depth);
    expect(toSafeInput(nest(CONTRACT_LIMITS.depth)).issues).toEqual([]);
  });

  it("reports a circular reference instead of recursing", () => {
    const input: Record<string, unknown> = { a: 1 };
    input["self"] = input;
    expect(toSafeInput(input).issues).toEqual([expect.objectContaining({ field: "self", code: "circular" })]);
  });

  it("stops at the node limit and reports it once, even for a huge sparse array", () => {
    const sparse: unknown[] = [];
    sparse[1_000_000_000] = 1;
    const { issues } = toSafeInput({ a: sparse, b: Array.from({ length: 20 }, () => 1) });
    expect(issues).toEqual([expect.objectContaining({ field: "(root)", code: "too_big" })]);
  });

  it("reads only own enumerable keys, never inherited ones", () => {
    const input = Object.create({ inherited: true }) as Record<string, unknown>;
    input["own"] = 1;
    expect(toSafeInput(input).value).toStrictEqual({ own: 1 });
  });
});

describe("parseEvent prototype safety", () => {
  it("parses an event carrying __proto__ payloads without polluting Object.prototype", () => {
    const text = JSON.stringify(lead()).replace(
      '"contact":{',
      '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"contact":{"__proto__":{"isAdmin":true},',
    );
    const event = parseEvent(JSON.parse(text))._unsafeUnwrap();
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["isAdmin"]).toBeUndefined();
    expect(Object.getPrototypeOf(event.contact)).toBe(Object.prototype);
    expect((event.contact as Record<string, unknown>)["isAdmin"]).toBeUndefined();
  });

  it("reports an event deeper than the depth limit", () => {
    const input = lead();
    input["raw"] = nest(CONTRACT_LIMITS.depth);
    const issues = parseEvent(input)._unsafeUnwrapErr().issues;
    expect(issues).toEqual([expect.objectContaining({ code: "too_deep" })]);
    expect(issues[0]?.field.startsWith("raw.next")).toBe(true);
  });
});
