import { isPlainObject } from "../internal/plain-object.js";
import { firstNonJson } from "./codec.js";
import { type IdempotencyError, idempotencyError } from "./errors.js";

/** What {@link snapshotJson} returns instead of a snapshot when the value cannot be stored. */
export class SnapshotRefused {
  /** @param error the `Serialization` or `PayloadTooLarge` error `encodeStoredJson` would give */
  constructor(readonly error: IdempotencyError) {}
}

/**
 * A private deep copy of `value` (never `undefined`), equal to what a `JSON.stringify` + `JSON.parse` round trip
 * would give, if it is plain JSON whose UTF-8 JSON text is at most `maxBytes` long; otherwise a
 * {@link SnapshotRefused}. The memory store keeps results this way instead of as JSON text: copying a small
 * result costs a fraction of serialising it, and a replay copies it back out ({@link readSnapshot}) instead of
 * parsing. The copy is returned bare: a wrapper would be one more long-lived object per record for the garbage
 * collector to carry.
 */
export function snapshotJson(value: unknown, maxBytes: number): unknown {
  const meter = { left: maxBytes };
  const copy = copyJson(value, [], meter);
  if (copy === NOT_JSON) {
    return new SnapshotRefused(idempotencyError("Serialization", { path: firstNonJson(value) ?? "$" }));
  }
  // The meter counts an upper bound; only when that passes the cap is the exact size worth a serialisation.
  if (meter.left < 0) {
    const bytes = Buffer.byteLength(JSON.stringify(copy), "utf8");
    if (bytes > maxBytes)
      return new SnapshotRefused(idempotencyError("PayloadTooLarge", { bytes, max: maxBytes }));
  }
  return copy;
}

/** A fresh copy of a value made by {@link snapshotJson}, which the caller may change freely. */
export function readSnapshot(snapshot: unknown): unknown {
  return copyJson(snapshot, undefined, undefined);
}

const NOT_JSON: unique symbol = Symbol("not JSON");

// Upper bounds of the UTF-8 bytes each value adds to the JSON text: a UTF-16 unit is at most 6 bytes (a \uXXXX
// escape), a number at most 24 characters, `false` 5; plus quotes, colons, commas and brackets.
const STRING_UNIT_BYTES = 6;
const NUMBER_BYTES = 25;

// Copies plain JSON; NOT_JSON for anything a JSON round trip would not return unchanged. The same rules as the
// codec's check (functions, bigint, symbols, NaN/Infinity, class instances, array holes and cycles are refused;
// undefined object members are dropped, -0 becomes 0). `ancestors` and `meter` are left out when copying a
// snapshot back out, whose contents were checked on the way in.
function copyJson(
  value: unknown,
  ancestors: object[] | undefined,
  meter: { left: number } | undefined,
): unknown {
  switch (typeof value) {
    case "string":
      if (meter !== undefined) meter.left -= value.length * STRING_UNIT_BYTES + 2;
      return value;
    case "boolean":
      if (meter !== undefined) meter.left -= 5;
      return value;
    case "number":
      if (meter !== undefined) meter.left -= NUMBER_BYTES;
      if (!Number.isFinite(value)) return NOT_JSON;
      return value === 0 ? 0 : value;
    case "object":
      if (value === null) {
        if (meter !== undefined) meter.left -= 5;
        return null;
      }
      if (ancestors?.includes(value)) return NOT_JSON;
      return Array.isArray(value)
        ? copyArray(value, ancestors, meter)
        : isPlainObject(value)
          ? copyObject(value as Record<string, unknown>, ancestors, meter)
          : NOT_JSON;
    default:
      return NOT_JSON;
  }
}

function copyArray(
  value: readonly unknown[],
  ancestors: object[] | undefined,
  meter: { left: number } | undefined,
): unknown {
  if (meter !== undefined) meter.left -= 2 + value.length;
  ancestors?.push(value);
  const copy: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    const copied = item === undefined ? NOT_JSON : copyJson(item, ancestors, meter);
    if (copied === NOT_JSON) return NOT_JSON;
    copy.push(copied);
  }
  ancestors?.pop();
  return copy;
}

function copyObject(
  value: Record<string, unknown>,
  ancestors: object[] | undefined,
  meter: { left: number } | undefined,
): unknown {
  if (meter !== undefined) meter.left -= 2;
  ancestors?.push(value);
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    // JSON.stringify takes own enumerable string keys only; for…in would add enumerable inherited ones.
    if (!Object.hasOwn(value, key)) continue;
    const item = value[key];
    // Optional properties set to undefined are dropped, as JSON does; that is what callers mean by them.
    if (item === undefined) continue;
    const copied = copyJson(item, ancestors, meter);
    if (copied === NOT_JSON) return NOT_JSON;
    if (meter !== undefined) meter.left -= key.length * STRING_UNIT_BYTES + 4;
    // An own "__proto__" key (JSON.parse makes them) must stay a property instead of setting the prototype.
    if (key === "__proto__") {
      Object.defineProperty(copy, key, {
        value: copied,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      copy[key] = copied;
    }
  }
  ancestors?.pop();
  return copy;
}
