import { createHash } from "node:crypto";
import { toAuditJson } from "./json.js";
import type { AuditJson } from "./types.js";

/** The prefix of every id made by {@link deriveEventId}, so derived ids never collide with producers' ids. */
export const DERIVED_EVENT_ID_PREFIX = "raw-sha256:";

function canonical(value: AuditJson): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key] as AuditJson)}`).join(",")}}`;
}

/**
 * A stable event id for input that has no usable `event_id` (unparseable or contract-invalid): the SHA-256 of
 * the raw payload, so every redelivery of the same bytes lands on the same audit record. Strings and bytes are
 * hashed as text; anything else as JSON with sorted keys, after the same conversion and redaction the journal
 * applies, so the id can be recomputed from a stored record's `raw`.
 *
 * @example
 * deriveEventId('{"oops":') // "raw-sha256:5f0b…"
 * deriveEventId({ b: 1, a: 2 }) === deriveEventId({ a: 2, b: 1 }) // true
 */
export function deriveEventId(raw: unknown): string {
  const stored = toAuditJson(raw);
  const input = typeof stored === "string" ? stored : canonical(stored);
  return `${DERIVED_EVENT_ID_PREFIX}${createHash("sha256").update(input, "utf8").digest("hex")}`;
}
