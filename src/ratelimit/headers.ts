import type { HeaderObserver, ObserveAdvice, ObservedResponse } from "./types.js";

/** Reads a header case-insensitively from a `Headers` or a plain record. */
export function readHeader(headers: ObservedResponse["headers"], name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string>>;
  const direct = record[name];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

/** A header parsed as a finite number, or undefined. */
export function numericHeader(headers: ObservedResponse["headers"], name: string): number | undefined {
  const raw = readHeader(headers, name);
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or
 * unparseable.
 */
export function retryAfterMs(headers: ObservedResponse["headers"], now: number): number | undefined {
  const raw = readHeader(headers, "retry-after");
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Reads a field of a JSON object body (or of the first element of an array body, Salesforce's shape). */
export function bodyField(body: unknown, field: string): unknown {
  const target = Array.isArray(body) ? body[0] : body;
  if (typeof target !== "object" || target === null) return undefined;
  return (target as Record<string, unknown>)[field];
}

/** Pause applied after a 429 that says nothing about when to come back. */
export const DEFAULT_COOLDOWN_MS = 1_000;

/**
 * The observer every limiter runs after the vendor's own: a 429 or 503 with `Retry-After` pauses the scope that
 * long, and a bare 429 pauses it for {@link DEFAULT_COOLDOWN_MS}.
 *
 * @example
 * genericObserver({ status: 429, headers: { "retry-after": "7" } }, Date.now()) // { cooldownMs: 7000 }
 */
export const genericObserver: HeaderObserver = (response, now): ObserveAdvice | undefined => {
  if (response.status !== 429 && response.status !== 503) return undefined;
  const retryAfter = retryAfterMs(response.headers, now);
  if (retryAfter !== undefined) return { cooldownMs: retryAfter };
  return response.status === 429 ? { cooldownMs: DEFAULT_COOLDOWN_MS } : undefined;
};
