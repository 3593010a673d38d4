import { isSecretKey, REDACTED, type RedactOptions, redactString } from "../errors/index.js";
import type { AuditJson } from "./types.js";

const MAX_DEPTH = 64;
// PostgreSQL's jsonb refuses NUL characters and unpaired surrogates; replacing them here keeps every journal
// backend storing exactly the same value.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NUL = String.fromCharCode(0);
// A string that matches none of these is left unchanged by `text` and by every pattern of `redactString` (an
// auth scheme is a "Bearer", "Basic" or "…token" and a space; every secret query or form parameter it scrubs ends
// in "token", "key", "secret", "code" or "password" and is followed by "="), so one test spares the five scans
// that would each find nothing. Whatever it matches takes the full path.
const MAY_CHANGE = /[\0\uD800-\uDFFF]|(?:bearer|basic|token)\s|(?:token|key|secret|code|password)=/i;

// Keys repeat across events ("email", "steps", "properties"), and normalising one costs a lowercase and a regex:
// whether the value under a key is a credential is worked out once per key. Bounded, because keys come from the
// input; only keys that are stored as they are (no text to clean) are kept.
const SECRET_KEY_CACHE_LIMIT = 2_048;
const secretKeys = new Map<string, boolean>();

function text(value: string): string {
  return value.replaceAll(NUL, "\uFFFD").replace(LONE_SURROGATE, "\uFFFD");
}

const NO_SECRETS: readonly string[] = [];

interface Walk {
  readonly redaction: RedactOptions;
  readonly secrets: readonly string[];
  /** The objects being converted, outermost first: a value found here again is a cycle. */
  readonly ancestors: object[];
  /** The deepest object converted so far. */
  deepest: number;
  /** An object to look out for, and whether it was met. */
  readonly watch?: object | undefined;
  met: boolean;
  /** A direct property of the root whose conversion is already known. */
  readonly known?: { readonly source: object; readonly json: AuditJson } | undefined;
}

function walkOf(options: RedactOptions, watch?: object | undefined, known?: Walk["known"] | undefined): Walk {
  // redactString ignores secrets shorter than 6 characters; so does the shortcut that looks for them.
  const secrets =
    options.secrets === undefined || options.secrets.length === 0
      ? NO_SECRETS
      : options.secrets.filter((secret) => secret.length >= 6);
  return { redaction: options, secrets, ancestors: [], deepest: 0, watch, met: false, known };
}

function hasSecret(value: string, secrets: readonly string[]): boolean {
  for (const secret of secrets) if (value.includes(secret)) return true;
  return false;
}

function stored(value: string, walk: Walk): string {
  if (!MAY_CHANGE.test(value) && !hasSecret(value, walk.secrets)) return value;
  return redactString(text(value), walk.redaction);
}

function convertObject(object: object, depth: number, walk: Walk): AuditJson {
  // The markers are text like any other, so an exact secret that happens to be part of one is scrubbed too.
  if (walk.ancestors.includes(object)) return stored("[Circular]", walk);
  if (depth >= MAX_DEPTH) return stored("[Truncated]", walk);
  if (depth > walk.deepest) walk.deepest = depth;
  if (object === walk.watch) walk.met = true;
  walk.ancestors.push(object);
  try {
    if (Array.isArray(object)) {
      // map, not a loop, so holes stay holes as they always have.
      return object.map((item: unknown) => convert(item, depth + 1, walk) ?? null);
    }
    if (object instanceof Map) return convert(Object.fromEntries(object), depth + 1, walk) ?? null;
    if (object instanceof Set) return convert([...object], depth + 1, walk) ?? null;
    const out: { [key: string]: AuditJson } = {};
    const source = object as Record<string, unknown>;
    for (const rawKey of Object.keys(source)) {
      const item = source[rawKey];
      const converted =
        depth === 0 && walk.known !== undefined && item === walk.known.source
          ? walk.known.json
          : convert(item, depth + 1, walk);
      if (converted === undefined) continue;
      // A key is cleaned like any text but never redacted itself: only the value under a secret key is.
      let key = rawKey;
      let secret = secretKeys.get(rawKey);
      if (secret === undefined) {
        if (MAY_CHANGE.test(rawKey)) key = text(rawKey);
        secret = isSecretKey(key);
        if (key === rawKey && secretKeys.size < SECRET_KEY_CACHE_LIMIT) secretKeys.set(rawKey, secret);
      }
      const value = converted !== null && secret ? REDACTED : converted;
      // defineProperty keeps a "__proto__" key an own property instead of a prototype change.
      if (key === "__proto__") {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = value;
      }
    }
    return out;
  } finally {
    walk.ancestors.pop();
  }
}

// One walk that converts to JSON and redacts at once: the stored value is exactly what redacting the converted
// copy would give, without building that copy first.
function convert(input: unknown, depth: number, walk: Walk): AuditJson | undefined {
  let value = input;
  switch (typeof value) {
    case "string":
      return stored(value, walk);
    case "number":
      // -0 would not survive every backend (and equals 0 in JSON anyway).
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
    case "boolean":
      return value;
    case "bigint":
      return stored(value.toString(), walk);
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  if (value instanceof Uint8Array) return stored(new TextDecoder().decode(value), walk);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : stored(value.toISOString(), walk);
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(): unknown }).toJSON();
    if (value === null || typeof value !== "object") return convert(value, depth, walk);
  }
  if (value instanceof Error) value = { name: value.name, message: value.message };
  return convertObject(value as object, depth, walk);
}

/**
 * Turns any value into the secret-free JSON a journal stores: `toJSON()` is honoured (so a `CrmError` keeps its
 * reason), dates become ISO strings, bytes become UTF-8 text, bigints strings, non-finite numbers `null`, cycles
 * `"[Circular]"`; and everything is redacted as `redact()` would. Returns `null` for `undefined`.
 *
 * @example
 * toAuditJson({ headers: { authorization: "Bearer abc" }, at: new Date(0) })
 * // { headers: { authorization: "[REDACTED]" }, at: "1970-01-01T00:00:00.000Z" }
 */
export function toAuditJson(value: unknown, options: RedactOptions = {}): AuditJson {
  return convert(value, 0, walkOf(options)) ?? null;
}

/**
 * Converts `outer` and `inner` as {@link toAuditJson} would each, for an `inner` that is usually also a property
 * of `outer` (a plan and its trace): the inner value is then converted once and the outer result holds that very
 * conversion, which is exactly what converting it again would give unless it nests deep enough for the extra level
 * to truncate it or refers back to `outer` (then it is converted again). For stores that never change what they
 * hold: the two results share objects.
 */
export function toAuditJsonSharing(
  outer: unknown,
  inner: unknown,
  options: RedactOptions = {},
): [outer: AuditJson, inner: AuditJson] {
  if (
    typeof inner !== "object" ||
    inner === null ||
    typeof outer !== "object" ||
    outer === null ||
    Object.getPrototypeOf(outer) !== Object.prototype ||
    typeof (outer as { toJSON?: unknown }).toJSON === "function"
  ) {
    // Only a plain object is converted as itself, with its own properties at the first level.
    return [toAuditJson(outer, options), toAuditJson(inner, options)];
  }
  const innerWalk = walkOf(options, outer);
  const innerJson = convert(inner, 0, innerWalk) ?? null;
  const safe = !innerWalk.met && innerWalk.deepest < MAX_DEPTH - 1;
  const outerWalk = walkOf(options, undefined, safe ? { source: inner, json: innerJson } : undefined);
  return [convert(outer, 0, outerWalk) ?? null, innerJson];
}
