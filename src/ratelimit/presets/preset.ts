import type { HeaderObserver, RateLimitPolicy } from "../types.js";

/**
 * A vendor's limits as limiter options: spread it into `createRateLimiter({ ...hubspotLimits(…), store })`.
 * `policies` carry the published numbers (headroom is applied by the limiter); `observe` reads that vendor's
 * rate-limit headers and over-limit bodies.
 */
export interface RateLimitPreset {
  readonly policies: RateLimitPolicy[];
  readonly observe: HeaderObserver;
}

/** Throws the factory's configuration error for an option outside its allowed values. */
export function presetOptionError(factory: string, option: string, value: unknown, allowed: string): never {
  throw new TypeError(`${factory}: option \`${option}\` must be ${allowed}, got ${String(value)}`);
}

/** Checks a positive integer option (seats, users, allocations). */
export function positiveInteger(factory: string, option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    presetOptionError(factory, option, value, "a positive integer");
  }
  return value;
}
