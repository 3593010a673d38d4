import { numericHeader } from "../headers.js";
import type { ObserveAdvice, RateLimitPolicy } from "../types.js";
import { positiveInteger, presetOptionError, type RateLimitPreset } from "./preset.js";

/**
 * Pipedrive plans: requests per rolling 2 s per `api_token` (OAuth apps get 4×) and the daily token-budget
 * multiplier (budget = 30,000 × multiplier × seats). Legacy plan names are kept for accounts not yet migrated.
 */
export const PIPEDRIVE_PLANS = {
  lite: { burst: 20, multiplier: 1 },
  growth: { burst: 40, multiplier: 2 },
  premium: { burst: 100, multiplier: 5 },
  ultimate: { burst: 120, multiplier: 7 },
  essential: { burst: 20, multiplier: 1 },
  advanced: { burst: 40, multiplier: 2 },
  professional: { burst: 80, multiplier: 3 },
  power: { burst: 100, multiplier: 5 },
  enterprise: { burst: 120, multiplier: 7 },
} as const;

/** Daily token budget per seat before the plan multiplier. */
export const PIPEDRIVE_BASE_DAILY_TOKENS = 30_000;
/** OAuth apps get this multiple of the `api_token` burst. */
export const PIPEDRIVE_OAUTH_BURST_MULTIPLIER = 4;
/** Search endpoints: 10 requests per 2 s on every plan. */
export const PIPEDRIVE_SEARCH_PER_TWO_SECONDS = 10;

/** A Pipedrive plan (current or legacy name). */
export type PipedrivePlan = keyof typeof PIPEDRIVE_PLANS;

/** Options for {@link pipedriveLimits}. */
export interface PipedriveLimitsOptions {
  /** The company's plan. @default "lite" */
  plan?: PipedrivePlan | undefined;
  /** Paid seats; the daily token budget scales with them. @default 1 */
  seats?: number | undefined;
  /** How requests authenticate: personal `api_token` or an OAuth app (4× burst). @default "api_token" */
  auth?: "api_token" | "oauth" | undefined;
  /** Time zone of the daily budget reset. @default "UTC" */
  timeZone?: string | undefined;
}

/**
 * Pipedrive's limits: the 2 s burst window (`burst`), search (`search`, 10 / 2 s, requests tagged `"search"`)
 * and the daily token budget (`daily-tokens`, weighted: pass each call's token cost as `cost`), with an observer
 * for `x-ratelimit-*`, `x-daily-ratelimit-token-*` and `retry-after`.
 *
 * @example
 * const limiter = createRateLimiter({ ...pipedriveLimits({ plan: "growth", seats: 5, auth: "oauth" }) });
 * await limiter.acquire(companyId, { cost: 20, tags: ["search"] }); // a v2 search costs 20 tokens
 */
export function pipedriveLimits(options: PipedriveLimitsOptions = {}): RateLimitPreset {
  const plan = options.plan ?? "lite";
  if (!Object.hasOwn(PIPEDRIVE_PLANS, plan)) {
    presetOptionError("pipedriveLimits", "plan", plan, Object.keys(PIPEDRIVE_PLANS).join(" | "));
  }
  const auth = options.auth ?? "api_token";
  if (auth !== "api_token" && auth !== "oauth") {
    presetOptionError("pipedriveLimits", "auth", auth, '"api_token" | "oauth"');
  }
  const seats = positiveInteger("pipedriveLimits", "seats", options.seats ?? 1);
  const numbers = PIPEDRIVE_PLANS[plan];
  const burst = numbers.burst * (auth === "oauth" ? PIPEDRIVE_OAUTH_BURST_MULTIPLIER : 1);
  const policies: RateLimitPolicy[] = [
    { id: "burst", kind: "sliding", limit: burst, windowMs: 2_000 },
    {
      id: "search",
      kind: "sliding",
      limit: PIPEDRIVE_SEARCH_PER_TWO_SECONDS,
      windowMs: 2_000,
      tags: ["search"],
    },
    {
      id: "daily-tokens",
      kind: "calendar",
      limit: PIPEDRIVE_BASE_DAILY_TOKENS * numbers.multiplier * seats,
      weighted: true,
      timeZone: options.timeZone ?? "UTC",
    },
  ];
  return {
    policies,
    observe(response): ObserveAdvice | undefined {
      const { headers } = response;
      const remaining: NonNullable<ObserveAdvice["remaining"]>[number][] = [];
      const windowRemaining = numericHeader(headers, "x-ratelimit-remaining");
      const resetSeconds = numericHeader(headers, "x-ratelimit-reset");
      if (windowRemaining !== undefined) {
        remaining.push({
          policyId: response.tags?.includes("search") ? "search" : "burst",
          remaining: windowRemaining,
          limit: numericHeader(headers, "x-ratelimit-limit"),
          resetInMs: resetSeconds === undefined ? undefined : resetSeconds * 1000,
        });
      }
      const tokensRemaining = numericHeader(headers, "x-daily-ratelimit-token-remaining");
      if (tokensRemaining !== undefined) {
        remaining.push({
          policyId: "daily-tokens",
          remaining: tokensRemaining,
          limit: numericHeader(headers, "x-daily-ratelimit-token-limit"),
        });
      }
      let cooldownMs: number | undefined;
      // `retry-after` (seconds, up to hours for the daily budget) is read by the generic observer; without it the
      // window reset is the next best hint.
      if (response.status === 429 && numericHeader(headers, "retry-after") === undefined) {
        cooldownMs = resetSeconds !== undefined && resetSeconds > 0 ? resetSeconds * 1000 : 2_000;
      }
      if (cooldownMs === undefined && remaining.length === 0) return undefined;
      return {
        ...(cooldownMs === undefined ? {} : { cooldownMs }),
        ...(remaining.length === 0 ? {} : { remaining }),
      };
    },
  };
}
