import { type ResolvedLimiter, resolveAdapterLimiter } from "../../adapter/index.js";
import type { Clock } from "../../internal/clock.js";
import { type HubSpotLimitsOptions, hubspotLimits, type RateLimiter } from "../../ratelimit/index.js";

/** The `limits` option: the account's tier and app type, as {@link hubspotLimits} takes them. */
export type HubSpotAdapterLimits = Omit<HubSpotLimitsOptions, "timeZone">;

/**
 * Wires the rate limiter: the caller's `limiter` (shared across adapters or processes), none with
 * `limiter: false`, else a new in-memory limiter with HubSpot's preset for `limits` (10-second burst, daily
 * calendar window at the account's midnight, the separate 5/s search policy, `X-HubSpot-RateLimit-*` feedback).
 */
export function resolveHubSpotLimiter(options: {
  readonly limiter?: RateLimiter | false | undefined;
  readonly limits?: HubSpotAdapterLimits | undefined;
  readonly timeZone: string;
  readonly defaultAppType: "private" | "public";
  readonly clock?: Clock | undefined;
}): ResolvedLimiter {
  return resolveAdapterLimiter({
    factory: "createHubSpotAdapter",
    limiter: options.limiter,
    limitsGiven: options.limits !== undefined,
    limitsDescribe: "tier",
    preset: () =>
      hubspotLimits({ appType: options.defaultAppType, ...options.limits, timeZone: options.timeZone }),
    clock: options.clock,
  });
}
