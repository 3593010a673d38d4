import type { Clock } from "../../../internal/clock.js";
import { createDailyCounter } from "../common/daily-counter.js";
import { createEmulatorOptionChecks } from "../common/emulator-option-checks.js";
import type { Admission } from "../common/pipeline.js";
import { createKeyedSlidingLog, createSlidingLog } from "../common/sliding-log.js";
import { dailyBody, searchLimitBody, tenSecondlyBody } from "./errors.js";
import type { HubSpotEmulatorOptions, HubSpotTier } from "./types.js";

/** The 10-second window HubSpot's burst limit rolls over. */
export const TEN_SECONDS_MS = 10_000;

/** Effective limits of an emulated account. */
export interface HubSpotLimitsConfig {
  /** Requests per rolling 10 s per app. */
  tenSecondly: number;
  /** Requests per account-local day. */
  daily: number;
  /** Search requests per rolling second per account. */
  searchPerSecond: number;
  /** Public (OAuth) apps get no daily headers. */
  appType: "private" | "public";
  /** IANA zone of the daily reset. */
  timeZone: string;
}

const BURST: Record<HubSpotTier, number> = { free: 100, starter: 100, professional: 190, enterprise: 190 };
const DAILY: Record<HubSpotTier, number> = {
  free: 250_000,
  starter: 250_000,
  professional: 625_000,
  enterprise: 1_000_000,
};

const check = createEmulatorOptionChecks({ factory: "createHubSpotEmulator" });

/** Computes the limits from tier, packs, app type and overrides (vendor-facts §1.2); throws on bad options. */
export function resolveLimits(options: HubSpotEmulatorOptions): HubSpotLimitsConfig {
  const tier = options.tier ?? "professional";
  if (!(tier in BURST))
    throw new TypeError(`createHubSpotEmulator: option \`tier\` is not a HubSpot tier: ${tier}`);
  const packs = options.limitIncreasePacks ?? 0;
  if (![0, 1, 2].includes(packs))
    throw new RangeError(
      `createHubSpotEmulator: option \`limitIncreasePacks\` must be 0, 1 or 2, got ${packs}`,
    );
  const appType = options.appType ?? "private";
  const timeZone = check.timeZone(options.timeZone ?? "UTC");
  // Public apps get 110 per installing account and the add-on does not apply to them.
  const burst = appType === "public" ? 110 : packs > 0 ? 250 : BURST[tier];
  return {
    tenSecondly: check.positiveInteger("limits.tenSecondly", options.limits?.tenSecondly ?? burst),
    daily: check.positiveInteger("limits.daily", options.limits?.daily ?? DAILY[tier] + packs * 1_000_000),
    searchPerSecond: check.positiveInteger("limits.searchPerSecond", options.limits?.searchPerSecond ?? 5),
    appType,
    timeZone,
  };
}

/** The account's rate limits. */
export interface HubSpotLimits {
  readonly config: HubSpotLimitsConfig;
  /** Admits one request of `kind` for `appId`, counting it, or answers 429. */
  admit(kind: "standard" | "search", appId: string): Admission;
  /** Requests counted against the daily limit today (account-local). */
  dailyUsed(): number;
  /** Forgets all usage. */
  reset(): void;
}

/**
 * Creates exact limit bookkeeping: sliding logs for the 10-second and search windows, a calendar counter for the
 * day in the account's time zone. Refused requests are not counted, as HubSpot does not count them either.
 */
export function createHubSpotLimits(
  config: HubSpotLimitsConfig,
  clock: Clock,
  ids: { correlationId(): string; requestId(): string },
): HubSpotLimits {
  const perApp = createKeyedSlidingLog({ limit: config.tenSecondly, windowMs: TEN_SECONDS_MS });
  const search = createSlidingLog({ limit: config.searchPerSecond, windowMs: 1000 });
  const daily = createDailyCounter({ timeZone: config.timeZone });
  // groupName carries a number per app, never the app key itself: that key may be the bearer token.
  const appNumbers = new Map<string, number>();
  const appNumber = (appId: string): number => {
    let n = appNumbers.get(appId);
    if (n === undefined) {
      n = 6_748_263 + appNumbers.size;
      appNumbers.set(appId, n);
    }
    return n;
  };

  const headers = (appId: string, now: number): Record<string, string> => {
    const out: Record<string, string> = {
      "X-HubSpot-RateLimit-Interval-Milliseconds": String(TEN_SECONDS_MS),
      "X-HubSpot-RateLimit-Max": String(config.tenSecondly),
      "X-HubSpot-RateLimit-Remaining": String(perApp.get(appId).remaining(now)),
    };
    if (config.appType === "private") {
      out["X-HubSpot-RateLimit-Daily"] = String(config.daily);
      out["X-HubSpot-RateLimit-Daily-Remaining"] = String(Math.max(0, config.daily - daily.used(now)));
    }
    return out;
  };

  return {
    config,
    admit(kind, appId) {
      const now = clock.now();
      const withHeaders = kind === "standard";
      if (daily.used(now) >= config.daily)
        return {
          ok: false,
          response: {
            status: 429,
            body: dailyBody(ids.correlationId(), ids.requestId()),
            headers: withHeaders ? headers(appId, now) : {},
          },
        };
      if (kind === "search") {
        if (!search.tryAdd(now))
          return { ok: false, response: { status: 429, body: searchLimitBody(ids.correlationId()) } };
        daily.add(now, 1);
        return { ok: true, headers: {} };
      }
      if (!perApp.get(appId).tryAdd(now)) {
        const groupName = `publicapi:${config.appType === "public" ? "oauth" : "private-app"}-api-calls-ten-secondly:${appNumber(appId)}`;
        return {
          ok: false,
          response: {
            status: 429,
            body: tenSecondlyBody(ids.correlationId(), groupName),
            headers: headers(appId, now),
          },
        };
      }
      daily.add(now, 1);
      return { ok: true, headers: headers(appId, now) };
    },
    dailyUsed: () => daily.used(clock.now()),
    reset() {
      perApp.reset();
      search.reset();
      appNumbers.clear();
      daily.reset();
    },
  };
}
