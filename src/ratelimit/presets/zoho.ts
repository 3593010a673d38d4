import { bodyField, numericHeader } from "../headers.js";
import type { ObserveAdvice, RateLimitPolicy } from "../types.js";
import { positiveInteger, presetOptionError, type RateLimitPreset } from "./preset.js";

/**
 * Zoho CRM editions: API credits per rolling 24 h (`base + perUser × users`, capped at `max`; Free is a flat
 * 5,000) and concurrent calls per org per app.
 */
export const ZOHO_EDITIONS = {
  free: { base: 5_000, perUser: 0, max: 5_000, concurrency: 5 },
  standard: { base: 50_000, perUser: 250, max: 100_000, concurrency: 10 },
  professional: { base: 50_000, perUser: 500, max: 3_000_000, concurrency: 15 },
  enterprise: { base: 50_000, perUser: 1_000, max: 5_000_000, concurrency: 20 },
  ultimate: { base: 50_000, perUser: 2_000, max: Number.POSITIVE_INFINITY, concurrency: 25 },
} as const;

/** Sub-concurrency for heavy APIs (search, COQL, convert, writes of more than 10 records, …). */
export const ZOHO_HEAVY_CONCURRENCY = 10;

/** A Zoho CRM edition (`enterprise` also covers Zoho One, `ultimate` CRM Plus). */
export type ZohoEdition = keyof typeof ZOHO_EDITIONS;

/** Options for {@link zohoLimits}. */
export interface ZohoLimitsOptions {
  /** The org's edition. @default "free" */
  edition?: ZohoEdition | undefined;
  /** Licensed users; credits grow with them up to the edition's cap. @default 1 */
  users?: number | undefined;
}

/**
 * Zoho CRM's limits: API credits per rolling 24 h as a weighted rolling counter (`credits`: pass each call's
 * credit cost as `cost`), the edition's concurrency (`concurrency`) and the heavy-API sub-concurrency (`heavy`,
 * requests tagged `"heavy"`), with an observer for `X-API-CREDITS-REMAINING` and 429 `TOO_MANY_REQUESTS`.
 *
 * @example
 * const limiter = createRateLimiter({ ...zohoLimits({ edition: "enterprise", users: 40 }) });
 * await limiter.schedule(orgId, () => upsert(records), { cost: Math.ceil(records.length / 10) });
 */
export function zohoLimits(options: ZohoLimitsOptions = {}): RateLimitPreset {
  const edition = options.edition ?? "free";
  if (!Object.hasOwn(ZOHO_EDITIONS, edition)) {
    presetOptionError("zohoLimits", "edition", edition, Object.keys(ZOHO_EDITIONS).join(" | "));
  }
  const users = positiveInteger("zohoLimits", "users", options.users ?? 1);
  const numbers = ZOHO_EDITIONS[edition];
  const credits = Math.min(numbers.max, numbers.base + numbers.perUser * users);
  const policies: RateLimitPolicy[] = [
    { id: "credits", kind: "rolling", limit: credits, windowMs: 86_400_000, weighted: true },
    { id: "concurrency", kind: "concurrency", limit: numbers.concurrency },
    {
      id: "heavy",
      kind: "concurrency",
      limit: Math.min(ZOHO_HEAVY_CONCURRENCY, numbers.concurrency),
      tags: ["heavy"],
    },
  ];
  return {
    policies,
    observe(response): ObserveAdvice | undefined {
      const creditsRemaining = numericHeader(response.headers, "x-api-credits-remaining");
      const remaining =
        creditsRemaining === undefined ? undefined : [{ policyId: "credits", remaining: creditsRemaining }];
      let cooldownMs: number | undefined;
      if (response.status === 429 && bodyField(response.body, "code") === "TOO_MANY_REQUESTS") {
        const message = String(bodyField(response.body, "message") ?? "");
        // The same code covers a momentary concurrency overflow and a spent daily budget; only the message differs.
        cooldownMs = /concurrency/i.test(message) && !/24 hour/i.test(message) ? 2_000 : 3_600_000;
      }
      if (cooldownMs === undefined && remaining === undefined) return undefined;
      return {
        ...(cooldownMs === undefined ? {} : { cooldownMs }),
        ...(remaining === undefined ? {} : { remaining }),
      };
    },
  };
}
