import { bodyField, readHeader } from "../headers.js";
import type { ObserveAdvice, RateLimitPolicy } from "../types.js";
import { positiveInteger, type RateLimitPreset } from "./preset.js";

/** Concurrent long-running (≥ 20 s) requests per org: 25 in production and sandboxes, 5 on Developer/Trial orgs. */
export const SALESFORCE_LONG_RUNNING_CONCURRENCY = { production: 25, developer: 5 } as const;

/** Salesforce's daily allocation is a rolling 24 h window. */
export const SALESFORCE_WINDOW_MS = 86_400_000;

/** Options for {@link salesforceLimits}. */
export interface SalesforceLimitsOptions {
  /**
   * The org's rolling-24 h API request allocation (Setup → Company Information, or `GET /limits`
   * `DailyApiRequests.Max`); e.g. Enterprise 100,000 + 1,000 per licence, Developer Edition 15,000.
   */
  dailyAllocation: number;
  /** Cap on concurrent requests tagged `"long-running"`. @default 25 */
  longRunningConcurrency?: number | undefined;
  /**
   * Pause after a 403 `REQUEST_LIMIT_EXCEEDED` for the daily total: Salesforce sends no reset hint, and a rolling
   * window frees up only as old calls age out.
   * @default 3_600_000
   */
  limitExceededCooldownMs?: number | undefined;
}

const USAGE = /api-usage=(\d+)\/(\d+)/;

/**
 * Salesforce's limits: the rolling 24 h allocation as a conservative rolling counter (`daily`, 5-minute buckets)
 * and the long-running concurrency cap (`long-running`, for requests tagged `"long-running"`), with an observer
 * for `Sforce-Limit-Info: api-usage=used/max` and 403 `REQUEST_LIMIT_EXCEEDED`.
 *
 * @example
 * const limiter = createRateLimiter({ ...salesforceLimits({ dailyAllocation: 100_000 + 1_000 * licences }) });
 */
export function salesforceLimits(options: SalesforceLimitsOptions): RateLimitPreset {
  const dailyAllocation = positiveInteger("salesforceLimits", "dailyAllocation", options?.dailyAllocation);
  const longRunning = positiveInteger(
    "salesforceLimits",
    "longRunningConcurrency",
    options.longRunningConcurrency ?? SALESFORCE_LONG_RUNNING_CONCURRENCY.production,
  );
  const exceededCooldown = positiveInteger(
    "salesforceLimits",
    "limitExceededCooldownMs",
    options.limitExceededCooldownMs ?? 3_600_000,
  );
  const policies: RateLimitPolicy[] = [
    { id: "daily", kind: "rolling", limit: dailyAllocation, windowMs: SALESFORCE_WINDOW_MS },
    { id: "long-running", kind: "concurrency", limit: longRunning, tags: ["long-running"] },
  ];
  return {
    policies,
    observe(response): ObserveAdvice | undefined {
      const info = readHeader(response.headers, "sforce-limit-info");
      const match = info === undefined ? null : USAGE.exec(info);
      const remaining =
        match === null
          ? undefined
          : [{ policyId: "daily", remaining: Number(match[2]) - Number(match[1]), limit: Number(match[2]) }];
      let cooldownMs: number | undefined;
      if (response.status === 403 && bodyField(response.body, "errorCode") === "REQUEST_LIMIT_EXCEEDED") {
        const message = String(bodyField(response.body, "message") ?? "");
        // Too many concurrent long-running calls clears as soon as one finishes; the daily total does not.
        cooldownMs = /ConcurrentRequests/i.test(message) ? 20_000 : exceededCooldown;
      }
      if (cooldownMs === undefined && remaining === undefined) return undefined;
      return {
        ...(cooldownMs === undefined ? {} : { cooldownMs }),
        ...(remaining === undefined ? {} : { remaining }),
      };
    },
  };
}
