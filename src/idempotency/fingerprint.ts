import { createHash } from "node:crypto";

/**
 * Keys dropped at any depth before fingerprinting: delivery metadata that changes when the same event is
 * delivered again (HubSpot `attemptNumber`, Pipedrive `retry`, our own `received_at`, signatures).
 */
export const DEFAULT_FINGERPRINT_EXCLUDED_KEYS: readonly string[] = [
  "attemptNumber",
  "attempt_number",
  "retry",
  "received_at",
  "receivedAt",
  "signature",
  "x-hubspot-signature",
  "x-hubspot-signature-v3",
  "x-hubspot-request-timestamp",
];

/** Options of {@link fingerprintOf} and {@link canonicalJson}. */
export interface FingerprintOptions {
  /**
   * Dotted paths to drop before hashing, e.g. `"meta.timestamp"`; `*` matches any key or array index at that
   * level (`"events.*.occurredAt"`).
   * @default []
   */
  exclude?: readonly string[] | undefined;
  /**
   * Key names dropped at any depth. Replace the default to keep one of them in the fingerprint.
   * @default DEFAULT_FINGERPRINT_EXCLUDED_KEYS
   */
  excludeKeys?: readonly string[] | undefined;
}

type PathTrie = Map<string, PathTrie | true>;

function buildTrie(paths: readonly string[]): PathTrie {
  const root: PathTrie = new Map();
  for (const path of paths) {
    const parts = path.split(".").filter((p) => p.length > 0);
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node.set(part, true);
        return;
      }
      const next = node.get(part);
      if (next === true) return;
      const child: PathTrie = next ?? new Map();
      node.set(part, child);
      node = child;
    });
  }
  return root;
}

// What `childTries` answers for a member excluded by a path.
const DROP = true;
const NO_TRIES: readonly PathTrie[] = [];

// The tries that apply below `key`, or DROP when a path ends at it. Without any `exclude` path (the usual case)
// every level shares the empty list, so a walk allocates nothing for paths.
function childTries(tries: readonly PathTrie[], key: string): readonly PathTrie[] | typeof DROP {
  if (tries.length === 0) return NO_TRIES;
  const next: PathTrie[] = [];
  for (const trie of tries) {
    for (const entry of [trie.get(key), trie.get("*")]) {
      if (entry === true) return DROP;
      if (entry !== undefined) next.push(entry);
    }
  }
  return next.length === 0 ? NO_TRIES : next;
}

/**
 * Canonical JSON: object keys sorted at every depth (by UTF-16 code unit, JavaScript's default sort order),
 * `undefined` properties dropped, `toJSON` honoured (dates become ISO strings), so equal payloads give equal text
 * whatever their key order. Throws a `TypeError` on cycles and bigints, like `JSON.stringify`.
 *
 * @example
 * canonicalJson({ b: 1, a: { d: [1, 2], c: null } }) // '{"a":{"c":null,"d":[1,2]},"b":1}'
 */
export function canonicalJson(value: unknown, options: FingerprintOptions = {}): string {
  const excludedKeys = new Set(options.excludeKeys ?? []);
  const root = buildTrie(options.exclude ?? []);
  const stack = new Set<object>();
  const write = (input: unknown, tries: readonly PathTrie[]): string | undefined => {
    let current = input;
    if (
      typeof current === "object" &&
      current !== null &&
      typeof (current as { toJSON?: unknown }).toJSON === "function"
    ) {
      current = (current as { toJSON(): unknown }).toJSON();
    }
    switch (typeof current) {
      case "undefined":
      case "function":
      case "symbol":
        return undefined;
      case "bigint":
        throw new TypeError("canonicalJson: cannot serialize a bigint");
      case "object":
        break;
      default:
        return JSON.stringify(current);
    }
    if (current === null) return "null";
    if (stack.has(current)) throw new TypeError("canonicalJson: cannot serialize a cyclic structure");
    stack.add(current);
    let out: string;
    if (Array.isArray(current)) {
      const items: string[] = [];
      for (let index = 0; index < current.length; index++) {
        const next = tries.length === 0 ? NO_TRIES : childTries(tries, String(index));
        if (next !== DROP) items.push(write(current[index], next) ?? "null");
      }
      out = `[${items.join(",")}]`;
    } else {
      const parts: string[] = [];
      for (const key of Object.keys(current).sort()) {
        if (excludedKeys.has(key)) continue;
        const next = childTries(tries, key);
        if (next === DROP) continue;
        const encoded = write((current as Record<string, unknown>)[key], next);
        if (encoded !== undefined) parts.push(`${JSON.stringify(key)}:${encoded}`);
      }
      out = `{${parts.join(",")}}`;
    }
    stack.delete(current);
    return out;
  };
  return write(value, root.size === 0 ? NO_TRIES : [root]) ?? "null";
}

/**
 * The fingerprint of a payload: hex SHA-256 of its {@link canonicalJson} after dropping delivery metadata, so a
 * redelivery matches the original and the same key with a different payload is detected.
 *
 * @example
 * fingerprintOf({ email: "a@example.com", attemptNumber: 2 }) === fingerprintOf({ email: "a@example.com" }) // true
 * fingerprintOf(event, { exclude: ["meta.deliveredAt"] })
 */
export function fingerprintOf(payload: unknown, options: FingerprintOptions = {}): string {
  const json = canonicalJson(payload, {
    exclude: options.exclude,
    excludeKeys: options.excludeKeys ?? DEFAULT_FINGERPRINT_EXCLUDED_KEYS,
  });
  return createHash("sha256").update(json).digest("hex");
}
