import { assertTimeZone } from "./calendar.js";
import type { ResolvedPolicy, StoreAcquireEntry } from "./store.js";
import type { RateLimitPolicy } from "./types.js";

const DEFAULT_BUCKETS_PER_WINDOW = 288;

function fail(option: string, message: string): never {
  throw new TypeError(`createRateLimiter: option \`${option}\` ${message}`);
}

function positiveNumber(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    fail(option, `must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

/** Checks `headroom` is a fraction in (0, 1]. */
export function validHeadroom(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0 || value > 1) fail(option, `must be in (0, 1], got ${value}`);
  return value;
}

/**
 * Validates policies and fills their defaults. Concurrency caps ignore the limiter-wide `headroom` (unless the
 * policy sets its own): in-flight requests are counted exactly, with no window alignment to guard against.
 */
export function resolvePolicies(policies: readonly RateLimitPolicy[], headroom: number): ResolvedPolicy[] {
  if (!Array.isArray(policies) || policies.length === 0) fail("policies", "must list at least one policy");
  const seen = new Set<string>();
  return policies.map((policy, index) => {
    const at = `policies[${index}]`;
    if (typeof policy.id !== "string" || policy.id === "" || /[{}\s]/.test(policy.id)) {
      fail(`${at}.id`, "must be a non-empty string without braces or whitespace");
    }
    if (seen.has(policy.id)) fail(`${at}.id`, `repeats the id "${policy.id}"`);
    if (policy.id === "cooldown") fail(`${at}.id`, 'must not be "cooldown" (reserved for scope pauses)');
    seen.add(policy.id);
    const limit = positiveNumber(`${at}.limit`, policy.limit);
    const ownHeadroom =
      policy.headroom === undefined
        ? policy.kind === "concurrency"
          ? 1
          : headroom
        : validHeadroom(`${at}.headroom`, policy.headroom);
    const base = {
      id: policy.id,
      kind: policy.kind,
      limit,
      effectiveLimit: Math.max(1, Math.floor(limit * ownHeadroom + 1e-9)),
      weighted: policy.weighted === true,
      tags: [...(policy.tags ?? [])],
      windowMs: 0,
      bucketMs: 0,
      timeZone: "UTC",
    };
    switch (policy.kind) {
      case "sliding":
        return { ...base, windowMs: positiveNumber(`${at}.windowMs`, policy.windowMs) };
      case "rolling": {
        const windowMs = positiveNumber(`${at}.windowMs`, policy.windowMs);
        const bucketMs =
          policy.bucketMs === undefined
            ? Math.max(1, Math.ceil(windowMs / DEFAULT_BUCKETS_PER_WINDOW))
            : positiveNumber(`${at}.bucketMs`, policy.bucketMs);
        if (bucketMs > windowMs) fail(`${at}.bucketMs`, "must not exceed windowMs");
        return { ...base, windowMs, bucketMs };
      }
      case "calendar": {
        const timeZone = policy.timeZone ?? "UTC";
        try {
          assertTimeZone(timeZone);
        } catch {
          fail(`${at}.timeZone`, `is not an IANA time zone: ${timeZone}`);
        }
        return { ...base, timeZone };
      }
      case "concurrency":
        return base;
      default:
        return fail(
          `${at}.kind`,
          `must be sliding, rolling, calendar or concurrency, got ${String((policy as { kind: unknown }).kind)}`,
        );
    }
  });
}

/** Picks the policies that apply to a request with `tags` and prices it per policy. */
export function entriesFor(
  policies: readonly ResolvedPolicy[],
  tags: readonly string[],
  cost: number,
): StoreAcquireEntry[] {
  const entries: StoreAcquireEntry[] = [];
  for (const policy of policies) {
    if (policy.tags.length > 0 && !policy.tags.some((tag) => tags.includes(tag))) continue;
    entries.push({ policy, units: policy.weighted ? cost : 1 });
  }
  return entries;
}
