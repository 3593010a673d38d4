import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CrmError } from "../../src/errors/index.js";
import { toAuditJson } from "../../src/journal/index.js";

describe("toAuditJson", () => {
  it("keeps a CrmError's reason and action by serializing it with toJSON", () => {
    const json = toAuditJson(new CrmError({ reason: "rate_limited", provider: "hubspot", status: 429 }));
    expect(json).toMatchObject({ name: "CrmError", reason: "rate_limited", action: "retry", status: 429 });
  });

  it("converts dates, bytes, bigints, maps, sets and non-finite numbers to JSON", () => {
    expect(
      toAuditJson({
        at: new Date(0),
        bytes: new TextEncoder().encode("héllo"),
        big: 12n,
        map: new Map([["a", 1]]),
        set: new Set([1, 2]),
        nan: Number.NaN,
        gone: undefined,
        fn: () => 1,
        list: [undefined, 1],
      }),
    ).toEqual({
      at: "1970-01-01T00:00:00.000Z",
      bytes: "héllo",
      big: "12",
      map: { a: 1 },
      set: [1, 2],
      nan: null,
      list: [null, 1],
    });
  });

  it("turns cycles into [Circular] and never changes an object's prototype through __proto__", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic["self"] = cyclic;
    expect(toAuditJson(cyclic)).toEqual({ name: "loop", self: "[Circular]" });
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const stored = toAuditJson(hostile) as Record<string, unknown>;
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.hasOwn(stored, "__proto__")).toBe(true);
  });

  it("redacts credential keys and bearer tokens", () => {
    expect(toAuditJson({ Authorization: "Bearer abc.def", note: "Bearer xyz123", api_key: 42 })).toEqual({
      Authorization: "[REDACTED]",
      note: "Bearer [REDACTED]",
      api_key: "[REDACTED]",
    });
  });

  it("is idempotent and its output survives a JSON round trip unchanged, for any JSON input", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = toAuditJson(value);
        expect(toAuditJson(once)).toEqual(once);
        expect(JSON.parse(JSON.stringify(once))).toEqual(once);
      }),
    );
  });
});
