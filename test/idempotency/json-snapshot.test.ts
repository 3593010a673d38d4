import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeStoredJson } from "../../src/idempotency/codec.js";
import { readSnapshot, SnapshotRefused, snapshotJson } from "../../src/idempotency/json-snapshot.js";

const MAX = 256 * 1024;

// What the Redis and Postgres stores replay for the same value: the JSON text parsed back, or the codec's error.
function roundTrip(value: unknown, maxBytes = MAX): unknown {
  const encoded = encodeStoredJson(value, maxBytes);
  return encoded.isErr() ? encoded.error : JSON.parse(encoded.value ?? "null");
}

function snapshotted(value: unknown, maxBytes = MAX): unknown {
  const snapshot = snapshotJson(value, maxBytes);
  return snapshot instanceof SnapshotRefused ? snapshot.error : readSnapshot(snapshot);
}

describe("snapshotJson", () => {
  it("replays exactly what a JSON round trip through the codec gives, for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(snapshotted(value)).toStrictEqual(roundTrip(value));
      }),
      { numRuns: 500 },
    );
  });

  it("refuses what the codec refuses, with the same error and path", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic["self"] = cyclic;
    class Point {
      x = 1;
    }
    const refused: unknown[] = [
      { n: 10n },
      { f: () => 1 },
      cyclic,
      { at: new Date(0) },
      [Number.NaN],
      { deep: [1, { inf: Number.POSITIVE_INFINITY }] },
      // biome-ignore lint/suspicious/noSparseArray: a hole is what is being refused
      [1, , 3],
      [undefined],
      new Point(),
      Symbol("s"),
      { toJSON: () => "x" },
      new Map(),
    ];
    for (const value of refused) {
      const error = snapshotted(value);
      expect(error).toMatchObject({ type: "Serialization" });
      expect(error).toStrictEqual(roundTrip(value));
    }
  });

  it("drops undefined members, turns -0 into 0 and keeps an own __proto__ key as data", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    expect(snapshotted({ a: undefined, b: -0, c: [0, -0] })).toStrictEqual({ b: 0, c: [0, 0] });
    const copy = snapshotted(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, "__proto__")).toBe(true);
    expect(copy).toStrictEqual(roundTrip(parsed));
  });

  it("rejects values over the cap with the exact byte count, and accepts values just under it", () => {
    const text = "é".repeat(1000);
    const bytes = Buffer.byteLength(JSON.stringify({ text }), "utf8");
    expect(snapshotted({ text }, bytes)).toStrictEqual({ text });
    expect(snapshotted({ text }, bytes - 1)).toStrictEqual({
      name: "IdempotencyError",
      type: "PayloadTooLarge",
      message: expect.any(String),
      bytes,
      max: bytes - 1,
    });
    expect(snapshotted({ text }, bytes - 1)).toStrictEqual(roundTrip({ text }, bytes - 1));
  });

  it("is isolated from the caller: changing the original or a replay leaves the stored value as it was", () => {
    const original = { list: [1, { id: "a" }] };
    const snapshot = snapshotJson(original, MAX);
    original.list.push(2);
    const replay = readSnapshot(snapshot) as { list: unknown[] };
    replay.list.length = 0;
    expect(readSnapshot(snapshot)).toStrictEqual({ list: [1, { id: "a" }] });
  });
});
