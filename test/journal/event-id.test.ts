import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DERIVED_EVENT_ID_PREFIX, deriveEventId } from "../../src/journal/index.js";

describe("deriveEventId", () => {
  it("is a prefixed SHA-256 that ignores key order", () => {
    const id = deriveEventId({ b: 1, a: { d: [1, 2], c: null } });
    expect(id).toMatch(/^raw-sha256:[0-9a-f]{64}$/);
    expect(id.startsWith(DERIVED_EVENT_ID_PREFIX)).toBe(true);
    expect(deriveEventId({ a: { c: null, d: [1, 2] }, b: 1 })).toBe(id);
  });

  it("hashes strings and their UTF-8 bytes alike", () => {
    expect(deriveEventId('{"oops":')).toBe(deriveEventId(new TextEncoder().encode('{"oops":')));
  });

  it("can be recomputed from the stored (redacted) raw payload", () => {
    const raw = { headers: { authorization: "Bearer abc" }, body: "x" };
    const stored = JSON.parse(
      JSON.stringify({ headers: { authorization: "[REDACTED]" }, body: "x" }),
    ) as unknown;
    expect(deriveEventId(stored)).toBe(deriveEventId(raw));
  });

  it("gives different ids to different JSON payloads", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        const same = deriveEventId(a) === deriveEventId(b);
        // Only payloads equal up to key order (or -0 vs 0) may share an id.
        if (same) expect(JSON.stringify(sortKeys(a))).toBe(JSON.stringify(sortKeys(b)));
      }),
    );
  });
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return Object.is(value, -0) ? 0 : value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
