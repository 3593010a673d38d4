import type { Clock } from "../../../internal/clock.js";
import { createDailyCounter } from "../common/daily-counter.js";
import { createEmulatorOptionChecks } from "../common/emulator-option-checks.js";
import type { Admission } from "../common/pipeline.js";
import { BURST_LIMIT_BODY, cloudflareBlockPage, DAILY_LIMIT_BODY } from "./errors.js";
import type { PipedriveEmulatorOptions, PipedrivePlan } from "./types.js";

/** The rolling window of Pipedrive's burst limits. */
export const WINDOW_MS = 2_000;

/** Effective limits of an emulated company. */
export interface PipedriveLimitsConfig {
  plan: PipedrivePlan;
  /** Requests per rolling 2 s per API token. */
  burst: number;
  /** Requests per rolling 2 s per OAuth token (burst × 4). */
  oauthBurst: number;
  /** Search requests per rolling 2 s per token. */
  search: number;
  /** Tokens per company-local day. */
  dailyTokens: number;
  /** IANA zone of the daily reset. */
  timeZone: string;
  /** Whether the undocumented daily token headers are sent. */
  dailyHeaders: boolean;
  /** 429s in a row before refusals turn into Cloudflare 403 pages; `undefined` when off. */
  abuseAfter: number | undefined;
}

const BURST: Record<PipedrivePlan, number> = { lite: 20, growth: 40, premium: 100, ultimate: 120 };
const MULTIPLIER: Record<PipedrivePlan, number> = { lite: 1, growth: 2, premium: 5, ultimate: 7 };

const check = createEmulatorOptionChecks({ factory: "createPipedriveEmulator" });

/** Computes the limits from plan, seats and overrides (vendor-facts §3.2); throws on bad options. */
export function resolveLimits(options: PipedriveEmulatorOptions): PipedriveLimitsConfig {
  const plan = options.plan ?? "growth";
  if (!(plan in BURST))
    throw new TypeError(`createPipedriveEmulator: option \`plan\` is not a Pipedrive plan: ${plan}`);
  const seats = check.positiveInteger("seats", options.seats ?? 1);
  const timeZone = check.timeZone(options.timeZone ?? "UTC");
  const burst = check.positiveInteger("limits.burst", options.limits?.burst ?? BURST[plan]);
  const abuseAfter = options.abuseAfter;
  if (abuseAfter !== undefined) check.positiveInteger("abuseAfter", abuseAfter);
  return {
    plan,
    burst,
    oauthBurst: burst * 4,
    search: check.positiveInteger("limits.search", options.limits?.search ?? 10),
    dailyTokens: check.positiveInteger(
      "limits.dailyTokens",
      options.limits?.dailyTokens ?? 30_000 * MULTIPLIER[plan] * seats,
    ),
    timeZone,
    dailyHeaders: options.dailyHeaders ?? true,
    abuseAfter,
  };
}

/** An exact rolling window that can also say when its oldest admission leaves (for `x-ratelimit-reset`). */
interface Window {
  remaining(now: number): number;
  add(now: number): void;
  /** Epoch ms at which the oldest admission in the window leaves it; `undefined` when empty. */
  oldestExpiry(now: number): number | undefined;
}

const createWindow = (limit: number): Window => {
  const times: number[] = [];
  const prune = (now: number): void => {
    while (times.length > 0 && (times[0] as number) <= now - WINDOW_MS) times.shift();
  };
  return {
    remaining(now) {
      prune(now);
      return Math.max(0, limit - times.length);
    },
    add(now) {
      times.push(now);
    },
    oldestExpiry(now) {
      prune(now);
      const oldest = times[0];
      return oldest === undefined ? undefined : oldest + WINDOW_MS;
    },
  };
};

/** What a request is counted as. */
export interface AdmissionRequest {
  /** `"search"` requests count against the search window as well as the general one. */
  kind: "standard" | "search";
  /** Key of the per-token windows (the user and app, so a refreshed OAuth token keeps its window). */
  key: string;
  oauth: boolean;
  /** Daily-budget tokens the request costs. */
  cost: number;
}

/** The company's rate limits. */
export interface PipedriveLimits {
  readonly config: PipedriveLimitsConfig;
  /** Admits one request, charging its cost, or answers 429 (or 403 in abuse mode). */
  admit(request: AdmissionRequest): Admission;
  /** Daily-budget tokens spent today (company-local). */
  tokensUsed(): number;
  /** Forgets all usage. */
  reset(): void;
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * Creates exact limit bookkeeping: a 2-second window per token (and a search window), and a daily token budget per
 * company that resets at midnight in `timeZone`. Refused requests cost nothing (emulator choice; undocumented).
 * A request is refused by the daily budget when its cost exceeds what is left.
 */
export function createPipedriveLimits(config: PipedriveLimitsConfig, clock: Clock): PipedriveLimits {
  const general = new Map<string, Window>();
  const search = new Map<string, Window>();
  const streaks = new Map<string, number>();
  const daily = createDailyCounter({ timeZone: config.timeZone });
  let rays = 0;

  const windowOf = (map: Map<string, Window>, key: string, limit: number): Window => {
    let window = map.get(key);
    if (window === undefined) {
      window = createWindow(limit);
      map.set(key, window);
    }
    return window;
  };

  const headers = (window: Window, limit: number, now: number): Record<string, string> => {
    const expiry = window.oldestExpiry(now);
    const out: Record<string, string> = {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(window.remaining(now)),
      "x-ratelimit-reset": String(expiry === undefined ? 0 : seconds(expiry - now)),
    };
    if (config.dailyHeaders) {
      out["x-daily-ratelimit-token-limit"] = String(config.dailyTokens);
      out["x-daily-ratelimit-token-remaining"] = String(Math.max(0, config.dailyTokens - daily.used(now)));
    }
    return out;
  };

  const refuse = (
    key: string,
    body: unknown,
    retryAfter: number,
    headerSet: Record<string, string>,
  ): Admission => {
    const streak = (streaks.get(key) ?? 0) + 1;
    streaks.set(key, streak);
    if (config.abuseAfter !== undefined && streak > config.abuseAfter) {
      rays += 1;
      return { ok: false, response: cloudflareBlockPage(`8f${rays.toString(16).padStart(14, "0")}`) };
    }
    return {
      ok: false,
      response: { status: 429, body, headers: { ...headerSet, "retry-after": String(retryAfter) } },
    };
  };

  return {
    config,
    admit(request) {
      const now = clock.now();
      const limit = request.oauth ? config.oauthBurst : config.burst;
      const main = windowOf(general, request.key, limit);
      const searchWindow =
        request.kind === "search" ? windowOf(search, request.key, config.search) : undefined;
      // Search routes report the search window: it is the one that binds (emulator choice; undocumented).
      const shown = searchWindow ?? main;
      const shownLimit = searchWindow === undefined ? limit : config.search;
      if (request.cost > config.dailyTokens - daily.used(now))
        return refuse(
          request.key,
          DAILY_LIMIT_BODY,
          seconds(daily.nextReset(now) - now),
          headers(shown, shownLimit, now),
        );
      const blocked = [main, searchWindow].filter(
        (w): w is Window => w !== undefined && w.remaining(now) === 0,
      );
      if (blocked.length > 0) {
        const wait = Math.max(...blocked.map((w) => (w.oldestExpiry(now) ?? now) - now));
        return refuse(request.key, BURST_LIMIT_BODY, seconds(wait), headers(shown, shownLimit, now));
      }
      main.add(now);
      searchWindow?.add(now);
      daily.add(now, request.cost);
      streaks.delete(request.key);
      return { ok: true, headers: headers(shown, shownLimit, now) };
    },
    tokensUsed: () => daily.used(clock.now()),
    reset() {
      general.clear();
      search.clear();
      streaks.clear();
      daily.reset();
      rays = 0;
    },
  };
}
