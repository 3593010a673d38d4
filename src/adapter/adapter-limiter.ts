import type { Clock } from "../internal/clock.js";
import { createRateLimiter, type RateLimiter, type RateLimiterOptions } from "../ratelimit/index.js";

// Every vendor adapter takes either the caller's limiter (shared across adapters or processes), `false` for none,
// or the vendor preset's own limiter, built from its `limits` option. Only the preset differs per vendor.

/** What {@link resolveAdapterLimiter} decided: the limiter to use and whether the adapter owns (closes) it. */
export interface ResolvedLimiter {
  readonly limiter: RateLimiter | undefined;
  readonly owned: boolean;
}

/** Options of {@link resolveAdapterLimiter}. */
export interface ResolveAdapterLimiterOptions {
  /** The public factory, e.g. `"createHubSpotAdapter"`; it prefixes every error. */
  readonly factory: string;
  /** The adapter's `limiter` option. */
  readonly limiter?: RateLimiter | false | undefined;
  /** Whether the adapter's `limits` option was given (it conflicts with `limiter`). */
  readonly limitsGiven: boolean;
  /** What `limits` describes in the conflict message, e.g. `"tier"` or `"plan"`. */
  readonly limitsDescribe: string;
  /** The vendor preset for the given `limits`; called only when the adapter builds its own limiter. */
  readonly preset: () => Omit<RateLimiterOptions, "clock">;
  /** The clock of the adapter's own limiter. @default systemClock */
  readonly clock?: Clock | undefined;
}

/**
 * Wires an adapter's rate limiter: the caller's `limiter`, none with `limiter: false`, else a new in-memory
 * limiter with the vendor preset. Throws at construction, naming the factory, when both `limiter` and `limits` are
 * given or `limiter` is not a limiter.
 *
 * @example
 * const { limiter, owned } = resolveAdapterLimiter({
 *   factory: "createAcmeAdapter",
 *   limiter: options.limiter,
 *   limitsGiven: options.limits !== undefined,
 *   limitsDescribe: "plan",
 *   preset: () => acmeLimits(options.limits),
 * });
 */
export function resolveAdapterLimiter(options: ResolveAdapterLimiterOptions): ResolvedLimiter {
  const { factory, limiter } = options;
  if (limiter !== undefined && options.limitsGiven) {
    throw new TypeError(
      `${factory}: give either option \`limiter\` (your own) or option \`limits\` (the preset's ${options.limitsDescribe}), not both`,
    );
  }
  if (limiter === false) return { limiter: undefined, owned: false };
  if (limiter !== undefined) {
    if (typeof limiter?.acquire !== "function")
      throw new TypeError(
        `${factory}: option \`limiter\` must be a RateLimiter (createRateLimiter) or false`,
      );
    return { limiter, owned: false };
  }
  return {
    limiter: createRateLimiter({
      ...options.preset(),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    }),
    owned: true,
  };
}
