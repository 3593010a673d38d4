import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, fingerprintOf } from "../../src/idempotency/index.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined properties", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null, u: undefined } })).toBe(
      '{"a":{"c":null,"d":[1,2]},"b":1}',
    );
  });

  it("honours toJSON, so dates become ISO strings", () => {
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });

  it("throws a TypeError on cycles and bigints", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  it("gives the same text for any key order (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shuffled = JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
          v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse())
            : v,
        ) as unknown;
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("is the obvious key-sorted serialisation (property)", () => {
    // Written out instead of JSON.stringify of a sorted copy: objects enumerate integer-like keys first whatever
    // order they were added in.
    const reference = (value: unknown): string =>
      Array.isArray(value)
        ? `[${value.map(reference).join(",")}]`
        : value !== null && typeof value === "object"
          ? `{${Object.keys(value)
              .sort()
              .map((key) => `${JSON.stringify(key)}:${reference((value as Record<string, unknown>)[key])}`)
              .join(",")}}`
          : JSON.stringify(value);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
    );
  });

  it("drops excluded paths and keys at the exact place, arrays included", () => {
    const value = { b: [{ x: 1, y: 2 }, undefined, () => 0], a: { retry: 1, keep: true } };
    expect(canonicalJson(value, { exclude: ["b.*.y"], excludeKeys: ["retry"] })).toBe(
      '{"a":{"keep":true},"b":[{"x":1},null,null]}',
    );
    expect(canonicalJson(value, { exclude: ["b.0"] })).toBe('{"a":{"keep":true,"retry":1},"b":[null,null]}');
  });
});

describe("fingerprintOf", () => {
  const event = { email: "a@example.com", amount: 4200, meta: { deliveredAt: "2026-01-01T00:00:00Z" } };

  it("is a hex SHA-256 of the canonical payload", () => {
    expect(fingerprintOf(event)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ignores delivery metadata that changes on redelivery (HubSpot attemptNumber, received_at, signatures)", () => {
    const first = [{ eventId: 1, attemptNumber: 0, propertyValue: "x" }];
    const redelivery = [{ eventId: 1, attemptNumber: 3, propertyValue: "x" }];
    expect(fingerprintOf(redelivery)).toBe(fingerprintOf(first));
    expect(fingerprintOf({ ...event, received_at: "later", signature: "abc" })).toBe(fingerprintOf(event));
  });

  it("changes when a field that changes the CRM mutation changes", () => {
    expect(fingerprintOf({ ...event, amount: 4300 })).not.toBe(fingerprintOf(event));
  });

  it("drops configured paths, with * matching any key or index", () => {
    const other = { ...event, meta: { deliveredAt: "2026-02-02T00:00:00Z" } };
    expect(fingerprintOf(other)).not.toBe(fingerprintOf(event));
    expect(fingerprintOf(other, { exclude: ["meta.deliveredAt"] })).toBe(
      fingerprintOf(event, { exclude: ["meta.deliveredAt"] }),
    );
    const list = (at: string) => ({
      events: [
        { id: 1, at },
        { id: 2, at },
      ],
    });
    expect(fingerprintOf(list("a"), { exclude: ["events.*.at"] })).toBe(
      fingerprintOf(list("b"), { exclude: ["events.*.at"] }),
    );
  });

  it("keeps a default-excluded key when excludeKeys is replaced", () => {
    expect(fingerprintOf({ retry: 1 }, { excludeKeys: [] })).not.toBe(
      fingerprintOf({ retry: 2 }, { excludeKeys: [] }),
    );
  });
});
