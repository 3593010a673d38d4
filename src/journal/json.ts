import { type RedactOptions, redact } from "../errors/index.js";
import type { AuditJson } from "./types.js";

const MAX_DEPTH = 64;
// PostgreSQL's jsonb refuses NUL characters and unpaired surrogates; replacing them here keeps every journal
// backend storing exactly the same value.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NUL = String.fromCharCode(0);

function text(value: string): string {
  return value.replaceAll(NUL, "\uFFFD").replace(LONE_SURROGATE, "\uFFFD");
}

function plain(input: unknown, depth: number, stack: Set<object>): AuditJson | undefined {
  let value = input;
  if (value instanceof Uint8Array) return text(new TextDecoder().decode(value));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  ) {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (value instanceof Error) value = { name: value.name, message: value.message };
  switch (typeof value) {
    case "string":
      return text(value);
    case "number":
      // -0 would not survive every backend (and equals 0 in JSON anyway).
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (stack.has(object)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Truncated]";
  stack.add(object);
  try {
    if (Array.isArray(object)) return object.map((item) => plain(item, depth + 1, stack) ?? null);
    if (object instanceof Map) return plain(Object.fromEntries(object), depth + 1, stack);
    if (object instanceof Set) return plain([...object], depth + 1, stack);
    const out: { [key: string]: AuditJson } = {};
    for (const [key, item] of Object.entries(object)) {
      const converted = plain(item, depth + 1, stack);
      if (converted === undefined) continue;
      // defineProperty keeps a "__proto__" key an own property instead of a prototype change.
      Object.defineProperty(out, text(key), {
        value: converted,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  } finally {
    stack.delete(object);
  }
}

/**
 * Turns any value into the secret-free JSON a journal stores: `toJSON()` is honoured (so a `CrmError` keeps its
 * reason), dates become ISO strings, bytes become UTF-8 text, bigints strings, non-finite numbers `null`, cycles
 * `"[Circular]"`; then everything goes through `redact()`. Returns `null` for `undefined`.
 *
 * @example
 * toAuditJson({ headers: { authorization: "Bearer abc" }, at: new Date(0) })
 * // { headers: { authorization: "[REDACTED]" }, at: "1970-01-01T00:00:00.000Z" }
 */
export function toAuditJson(value: unknown, options: RedactOptions = {}): AuditJson {
  const converted = plain(value, 0, new Set()) ?? null;
  return redact(converted, { ...options, maxDepth: MAX_DEPTH + 2 });
}
