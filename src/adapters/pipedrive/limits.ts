import type { Clock } from "../../internal/clock.js";
import {
  createRateLimiter,
  type PipedriveLimitsOptions,
  pipedriveLimits,
  type RateLimiter,
} from "../../ratelimit/index.js";

/** The `limits` option: the company's plan, paid seats and how the adapter authenticates. */
export type PipedriveAdapterLimits = PipedriveLimitsOptions;

/** What {@link resolvePipedriveLimiter} decided: the limiter to use and whether the adapter owns (closes) it. */
export interface ResolvedPipedriveLimiter {
  readonly limiter: RateLimiter | undefined;
  readonly owned: boolean;
}

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
}): ResolvedPipedriveLimiter {
  if (options.limiter !== undefined && options.limits !== undefined)
    throw new TypeError(
      "createPipedriveAdapter: give either option `limiter` (your own) or option `limits` (the preset's plan), not both",
    );
  if (options.limiter === false) return { limiter: undefined, owned: false };
  if (options.limiter !== undefined) {
    if (typeof options.limiter?.acquire !== "function")
      throw new TypeError(
        "createPipedriveAdapter: option `limiter` must be a RateLimiter (createRateLimiter) or false",
      );
    return { limiter: options.limiter, owned: false };
  }
  const preset = pipedriveLimits({ auth: options.defaultAuth, ...options.limits });
  return {
    limiter: createRateLimiter({
      ...preset,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    }),
    owned: true,
  };
}
