import { calendarPeriod } from "../calendar.js";
import { bodyField, numericHeader } from "../headers.js";
import type { ObserveAdvice, RateLimitPolicy } from "../types.js";
import { presetOptionError, type RateLimitPreset } from "./preset.js";

/** HubSpot private-app limits per subscription tier: burst per 10 s (per app), daily calls (per account). */
export const HUBSPOT_TIERS = {
  free: { tenSecondly: 100, daily: 250_000 },
  starter: { tenSecondly: 100, daily: 250_000 },
  professional: { tenSecondly: 190, daily: 625_000 },
  enterprise: { tenSecondly: 190, daily: 1_000_000 },
} as const;

/** HubSpot's "API limit increase" add-on: burst 250 / 10 s (does not stack), +1,000,000 daily per purchase (max 2). */
export const HUBSPOT_LIMIT_INCREASE = {
  tenSecondly: 250,
  dailyPerPurchase: 1_000_000,
  maxPurchases: 2,
} as const;

/** Public (OAuth, marketplace) apps: 110 requests / 10 s per installing account; no daily figure or header. */
export const HUBSPOT_PUBLIC_APP_TEN_SECONDLY = 110;

/** The CRM search API: 5 requests per second per account, across all apps; search responses carry no headers. */
export const HUBSPOT_SEARCH_PER_SECOND = 5;

/** A HubSpot subscription tier. */
export type HubSpotTier = keyof typeof HUBSPOT_TIERS;

/** Options for {@link hubspotLimits}. */
export interface HubSpotLimitsOptions {
  /** The account's subscription tier (private apps). @default "free" */
  tier?: HubSpotTier | undefined;
  /** `private` (private app / static token) or `public` (OAuth marketplace app). @default "private" */
  appType?: "private" | "public" | undefined;
  /** Purchases of the API limit increase add-on (0–2; private apps only). @default 0 */
  limitIncreases?: 0 | 1 | 2 | undefined;
  /** The account's time zone: the daily limit resets at its midnight. @default "UTC" */
  timeZone?: string | undefined;
}

/**
 * HubSpot's limits: a 10-second sliding policy (`ten-secondly`), the daily calendar policy (`daily`, private apps,
 * resets at midnight in `timeZone`) and the search policy (`search`, 5 / s, for requests tagged `"search"`), with
 * an observer for `X-HubSpot-RateLimit-*` headers and 429 `policyName` bodies.
 *
 * @example
 * const limiter = createRateLimiter({ ...hubspotLimits({ tier: "professional", timeZone: "America/New_York" }) });
 * await limiter.acquire(portalId, { tags: ["search"] });
 */
export function hubspotLimits(options: HubSpotLimitsOptions = {}): RateLimitPreset {
  const tier = options.tier ?? "free";
  if (!Object.hasOwn(HUBSPOT_TIERS, tier)) {
    presetOptionError("hubspotLimits", "tier", tier, Object.keys(HUBSPOT_TIERS).join(" | "));
  }
  const appType = options.appType ?? "private";
  if (appType !== "private" && appType !== "public") {
    presetOptionError("hubspotLimits", "appType", appType, '"private" | "public"');
  }
  const increases = options.limitIncreases ?? 0;
  if (![0, 1, 2].includes(increases))
    presetOptionError("hubspotLimits", "limitIncreases", increases, "0, 1 or 2");
  const timeZone = options.timeZone ?? "UTC";
  const numbers = HUBSPOT_TIERS[tier];
  const isPrivate = appType === "private";
  const tenSecondly = !isPrivate
    ? HUBSPOT_PUBLIC_APP_TEN_SECONDLY
    : increases > 0
      ? HUBSPOT_LIMIT_INCREASE.tenSecondly
      : numbers.tenSecondly;
  const policies: RateLimitPolicy[] = [
    { id: "ten-secondly", kind: "sliding", limit: tenSecondly, windowMs: 10_000 },
  ];
  if (isPrivate) {
    const daily = numbers.daily + increases * HUBSPOT_LIMIT_INCREASE.dailyPerPurchase;
    policies.push({ id: "daily", kind: "calendar", limit: daily, timeZone });
  }
  policies.push({
    id: "search",
    kind: "sliding",
    limit: HUBSPOT_SEARCH_PER_SECOND,
    windowMs: 1_000,
    tags: ["search"],
  });

  return {
    policies,
    observe(response, now): ObserveAdvice | undefined {
      const { headers } = response;
      const interval = numericHeader(headers, "x-hubspot-ratelimit-interval-milliseconds") ?? 10_000;
      const remaining: NonNullable<ObserveAdvice["remaining"]>[number][] = [];
      const burstRemaining = numericHeader(headers, "x-hubspot-ratelimit-remaining");
      if (burstRemaining !== undefined) {
        const max = numericHeader(headers, "x-hubspot-ratelimit-max");
        remaining.push({
          policyId: "ten-secondly",
          remaining: burstRemaining,
          resetInMs: interval,
          limit: max,
        });
      }
      const dailyRemaining = numericHeader(headers, "x-hubspot-ratelimit-daily-remaining");
      if (dailyRemaining !== undefined && isPrivate) {
        const daily = numericHeader(headers, "x-hubspot-ratelimit-daily");
        remaining.push({ policyId: "daily", remaining: dailyRemaining, limit: daily });
      }
      let cooldownMs: number | undefined;
      if (response.status === 429) {
        const policyName = bodyField(response.body, "policyName");
        const message = bodyField(response.body, "message");
        if (policyName === "DAILY") cooldownMs = calendarPeriod(timeZone, now).end - now;
        else if (policyName === "TEN_SECONDLY_ROLLING") cooldownMs = interval;
        else if (typeof message === "string" && /secondly limit/i.test(message)) cooldownMs = 1_000;
        else if (response.tags?.includes("search")) cooldownMs = 1_000;
      }
      if (cooldownMs === undefined && remaining.length === 0) return undefined;
      return {
        ...(cooldownMs === undefined ? {} : { cooldownMs }),
        ...(remaining.length === 0 ? {} : { remaining }),
      };
    },
  };
}
