import { randomUUID } from "node:crypto";
import { type Clock, systemClock } from "../internal/clock.js";
import {
  calendarPeriod,
  type RateLimitStore,
  type ResolvedPolicy,
  type StoreAcquireEntry,
  type StoreAcquireResult,
  type StoreScopeStats,
} from "../ratelimit/index.js";
import { COOLDOWN_SCRIPT, RATE_LIMIT_ACQUIRE_SCRIPT, RATE_LIMIT_OPS_SCRIPT } from "./rate-limit-script.js";
import { evalScript, type RedisLike, runScript } from "./redis-like.js";

/** Options for {@link createRedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** A connected ioredis or node-redis client (or cluster); crmkit never connects or closes it. */
  client: RedisLike;
  /** Prepended to every key; must not contain `{` or `}` (the scope's hash tag follows it). @default "crmkit:rl:" */
  prefix?: string | undefined;
  /** Local clock, used only to pick calendar-period boundaries (windows use Redis `TIME`). @default systemClock */
  clock?: Clock | undefined;
  /**
   * How soon a caller waiting for a concurrency slot held by another process looks again. Slots released in the
   * same process wake waiters at once.
   * @default 50
   */
  concurrencyPollMs?: number | undefined;
}

const KIND_CODES = { sliding: "L", rolling: "B", calendar: "C", concurrency: "N" } as const;

/** Policy ids (key suffixes) and script arguments of one entries array, valid while its calendar periods last. */
interface Encoding {
  readonly ids: readonly string[];
  readonly args: ReadonlyArray<string | number>;
  readonly validFrom: number;
  readonly validUntil: number;
}

// Calendar boundaries come from the local clock; the script picks among previous/current/next period by Redis
// TIME, so modest clock skew between processes never splits one day across two keys.
function encodePolicies(entries: readonly StoreAcquireEntry[], now: number): Encoding {
  const ids: string[] = [];
  const args: Array<string | number> = [];
  let validFrom = Number.NEGATIVE_INFINITY;
  let validUntil = Number.POSITIVE_INFINITY;
  for (const { policy, units } of entries) {
    ids.push(policy.id);
    args.push(KIND_CODES[policy.kind], units, policy.effectiveLimit);
    if (policy.kind === "sliding") args.push(policy.windowMs);
    else if (policy.kind === "rolling") args.push(policy.windowMs, policy.bucketMs);
    else if (policy.kind === "calendar") {
      const current = calendarPeriod(policy.timeZone, now);
      const previous = calendarPeriod(policy.timeZone, current.start - 1);
      const next = calendarPeriod(policy.timeZone, current.end);
      args.push(previous.start, current.start, next.start, next.end);
      validFrom = Math.max(validFrom, current.start);
      validUntil = Math.min(validUntil, current.end);
    }
  }
  return { ids, args, validFrom, validUntil };
}

function toNumber(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

/**
 * Creates a rate-limit store in Redis, shared by every process that uses the same server and prefix. Each acquire
 * is one `EVALSHA` that checks every policy and commits all of them or none, using Redis `TIME` as the clock.
 * Keys are `${prefix}{${scope}}:${policyId}` (calendar keys add `:${periodStart}`), so a scope's keys share one
 * Redis Cluster hash slot, and every key carries a TTL. When Redis is unreachable, acquires fail with
 * `network_error` (fail closed): an outage never lets unmetered traffic through.
 *
 * @example
 * import { Redis } from "ioredis";
 * const store = createRedisRateLimitStore({ client: new Redis(process.env.REDIS_URL), prefix: "myapp:rl:" });
 * const limiter = createRateLimiter({ ...hubspotLimits({ tier: "professional" }), store });
 */
export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RateLimitStore {
  const { client } = options;
  const clock = options.clock ?? systemClock;
  if (client === null || typeof client !== "object") {
    throw new TypeError("createRedisRateLimitStore: option `client` must be an ioredis or node-redis client");
  }
  const prefix = options.prefix ?? "crmkit:rl:";
  if (/[{}]/.test(prefix)) {
    throw new TypeError("createRedisRateLimitStore: option `prefix` must not contain `{` or `}`");
  }
  const pollMs = options.concurrencyPollMs ?? 50;
  if (!Number.isFinite(pollMs) || pollMs <= 0) {
    throw new TypeError("createRedisRateLimitStore: option `concurrencyPollMs` must be a positive number");
  }
  const phantomPrefix = `r${randomUUID().slice(0, 8)}`;
  let phantomSeq = 0;

  const scopeKey = (scope: string): string => `${prefix}{${scope}}:`;

  // Encoded policy arguments per entries array (read-only by contract, so its encoding never goes stale). The
  // limiter hands the same array to every request with the same tags and cost, so the hot path re-encodes only
  // when a calendar period it names has ended.
  const encodings = new WeakMap<readonly StoreAcquireEntry[], Encoding>();
  const encodingOf = (entries: readonly StoreAcquireEntry[], now: number): Encoding => {
    let encoding = encodings.get(entries);
    if (encoding === undefined || now < encoding.validFrom || now >= encoding.validUntil) {
      encoding = encodePolicies(entries, now);
      encodings.set(entries, encoding);
    }
    return encoding;
  };

  // EVALSHA's arguments after the SHA, laid out in one pass: numkeys, cooldown key, policy keys, head, policies.
  const layout = (
    scope: string,
    head: ReadonlyArray<string | number>,
    entries: readonly StoreAcquireEntry[],
  ): Array<string | number> => {
    const encoding = encodingOf(entries, clock.now());
    const base = scopeKey(scope);
    const { ids, args } = encoding;
    const out: Array<string | number> = [ids.length + 1, `${base}!cooldown`];
    for (const id of ids) out.push(base + id);
    for (const value of head) out.push(value);
    for (const value of args) out.push(value);
    return out;
  };

  const runOps = (
    scope: string,
    mode: string,
    id: string,
    arg3: number,
    arg4: number,
    entries: readonly StoreAcquireEntry[],
  ): Promise<unknown> =>
    runScript(client, RATE_LIMIT_OPS_SCRIPT, layout(scope, [mode, id, arg3, arg4], entries));

  const withUnits = (policies: readonly ResolvedPolicy[], units: number): StoreAcquireEntry[] =>
    policies.map((policy) => ({ policy, units }));

  return {
    distributed: true,

    async tryAcquire(scope, request): Promise<StoreAcquireResult> {
      const reply = (await runScript(
        client,
        RATE_LIMIT_ACQUIRE_SCRIPT,
        layout(scope, [request.permitId, request.leaseMs, pollMs], request.entries),
      )) as unknown[];
      const status = toNumber(reply[0]);
      const value = toNumber(reply[1]);
      const index = toNumber(reply[2]);
      if (status === 1) return { kind: "admitted", now: value };
      const policy = index === 0 ? undefined : request.entries[index - 1]?.policy;
      if (status === -1)
        return { kind: "cost_exceeds_limit", policyId: policy?.id ?? "unknown", limit: value };
      return { kind: "wait", retryAfterMs: value, policyId: policy?.id ?? "cooldown" };
    },

    async release(scope, permitId, policies) {
      const concurrency = policies.filter((policy) => policy.kind === "concurrency");
      if (concurrency.length === 0) return;
      await runOps(scope, "D", permitId, 0, pollMs, withUnits(concurrency, 0));
    },

    async refund(scope, request, acquiredAt) {
      await runOps(scope, "F", request.permitId, acquiredAt, pollMs, request.entries);
    },

    async cooldown(scope, ms) {
      const reply = (await evalScript(
        client,
        COOLDOWN_SCRIPT,
        [`${scopeKey(scope)}!cooldown`],
        [Math.max(1, Math.ceil(ms))],
      )) as unknown[];
      return toNumber(reply[0]) + toNumber(reply[1]);
    },

    async reconcile(scope, policy, vendorUsed, forMs) {
      if (policy.kind === "concurrency") return;
      const id = `${phantomPrefix}.${(phantomSeq++).toString(36)}`;
      await runOps(scope, "R", id, Math.floor(vendorUsed), Math.ceil(forMs), [{ policy, units: 0 }]);
    },

    async stats(scope, policies): Promise<StoreScopeStats> {
      const reply = ((await runOps(scope, "S", "", 0, pollMs, withUnits(policies, 1))) as unknown[]).map(
        toNumber,
      );
      const now = reply[0] ?? 0;
      const cooldown = reply[1] ?? -2;
      return {
        now,
        ...(cooldown > 0 ? { cooldownUntil: now + cooldown } : {}),
        policies: policies.map((policy, index) => {
          const used = reply[2 + index * 2] ?? 0;
          const wait = reply[3 + index * 2] ?? 0;
          return { id: policy.id, used, ...(wait > 0 ? { resetInMs: wait } : {}) };
        }),
      };
    },
  };
}
