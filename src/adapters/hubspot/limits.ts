import type { Clock } from "../../internal/clock.js";
import {
  createRateLimiter,
  type HubSpotLimitsOptions,
  hubspotLimits,
  type RateLimiter,
} from "../../ratelimit/index.js";

/** The `limits` option: the account's tier and app type, as {@link hubspotLimits} takes them. */
export type HubSpotAdapterLimits = Omit<HubSpotLimitsOptions, "timeZone">;

/** What {@link resolveHubSpotLimiter} decided: the limiter to use and whether the adapter owns (closes) it. */
export interface ResolvedLimiter {
  readonly limiter: RateLimiter | undefined;
  readonly owned: boolean;
}

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
  if (options.limiter !== undefined && options.limits !== undefined) {
    throw new TypeError(
      "createHubSpotAdapter: give either option `limiter` (your own) or option `limits` (the preset's tier), not both",
    );
  }
  if (options.limiter === false) return { limiter: undefined, owned: false };
  if (options.limiter !== undefined) {
    if (typeof options.limiter?.acquire !== "function")
      throw new TypeError(
        "createHubSpotAdapter: option `limiter` must be a RateLimiter (createRateLimiter) or false",
      );
    return { limiter: options.limiter, owned: false };
  }
  const preset = hubspotLimits({
    appType: options.defaultAppType,
    ...options.limits,
    timeZone: options.timeZone,
  });
  return {
    limiter: createRateLimiter({
      ...preset,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    }),
    owned: true,
  };
}
