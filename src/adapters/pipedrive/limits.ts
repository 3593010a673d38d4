import { type ResolvedLimiter, resolveAdapterLimiter } from "../../adapter/index.js";
import type { Clock } from "../../internal/clock.js";
import { type PipedriveLimitsOptions, pipedriveLimits, type RateLimiter } from "../../ratelimit/index.js";

/** The `limits` option: the company's plan, paid seats and how the adapter authenticates. */
export type PipedriveAdapterLimits = PipedriveLimitsOptions;

/**
 * Wires the rate limiter: the caller's `limiter` (shared across adapters or processes), none with
 * `limiter: false`, else a new in-memory limiter with Pipedrive's preset for `limits` (the rolling 2-second burst
 * per token, search 10 per 2 s, the weighted daily token budget, `x-ratelimit-*` and `retry-after` feedback).
 */
export function resolvePipedriveLimiter(options: {
  readonly limiter?: RateLimiter | false | undefined;
  readonly limits?: PipedriveAdapterLimits | undefined;
  readonly defaultAuth: "api_token" | "oauth";
  readonly clock?: Clock | undefined;
}): ResolvedLimiter {
  return resolveAdapterLimiter({
    factory: "createPipedriveAdapter",
    limiter: options.limiter,
    limitsGiven: options.limits !== undefined,
    limitsDescribe: "plan",
    preset: () => pipedriveLimits({ auth: options.defaultAuth, ...options.limits }),
    clock: options.clock,
  });
}
