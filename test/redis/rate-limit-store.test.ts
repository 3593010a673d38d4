import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  calendarPeriod,
  createRateLimiter,
  type RateLimitPolicy,
  resolveRateLimitPolicies,
  type StoreAcquireRequest,
} from "../../src/ratelimit/index.js";
import { createRedisRateLimitStore } from "../../src/redis/rate-limit-store.js";
import { sendRedisCommand } from "../../src/redis/redis-like.js";
import { runRateLimitStoreConformance } from "../../src/testing/rate-limit-store-conformance.js";
import { type RedisServer, redisAvailable, startRedis } from "../helpers/redis-server.js";

/** Redis Cluster's key slot: CRC16-CCITT (XMODEM) of the hash tag (or the whole key) mod 16384. */
function keySlot(key: string): number {
  const open = key.indexOf("{");
  let hashed = key;
  if (open !== -1) {
    const close = key.indexOf("}", open + 1);
    if (close > open + 1) hashed = key.slice(open + 1, close);
  }
  let crc = 0;
  for (const byte of Buffer.from(hashed)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

describe("keySlot (test helper)", () => {
  it("matches the slots Redis documents", () => {
    expect(keySlot("123456789")).toBe(12739);
    expect(keySlot("{user1000}.following")).toBe(keySlot("{user1000}.followers"));
  });
});

const available = redisAvailable();
let server: RedisServer;
let ioredis: Redis;
let nodeRedis: ReturnType<typeof createClient>;

beforeAll(async () => {
  if (!available) return;
  server = await startRedis();
  ioredis = new Redis(server.port, "127.0.0.1");
  nodeRedis = createClient({ url: server.url });
  nodeRedis.on("error", () => undefined);
  await nodeRedis.connect();
});

afterAll(async () => {
  ioredis?.disconnect();
  await nodeRedis?.quit().catch(() => undefined);
  await server?.close();
});

describe.skipIf(!available)("createRedisRateLimitStore", () => {
  runRateLimitStoreConformance(
    { describe, it },
    {
      name: "Redis store (ioredis)",
      create: () => createRedisRateLimitStore({ client: ioredis, prefix: "io:" }),
    },
  );
  runRateLimitStoreConformance(
    { describe, it },
    {
      name: "Redis store (node-redis)",
      create: () => createRedisRateLimitStore({ client: nodeRedis, prefix: "nr:" }),
    },
  );

  const allKinds: RateLimitPolicy[] = [
    { id: "burst", kind: "sliding", limit: 50, windowMs: 10_000 },
    { id: "rolling", kind: "rolling", limit: 500, windowMs: 60_000, bucketMs: 1_000 },
    { id: "daily", kind: "calendar", limit: 1_000, timeZone: "America/New_York" },
    { id: "inflight", kind: "concurrency", limit: 10 },
  ];

  it("puts a TTL on every key it writes (no key lives forever)", async () => {
    const store = createRedisRateLimitStore({ client: ioredis, prefix: "ttl:" });
    const limiter = createRateLimiter({ store, policies: allKinds });
    for (let i = 0; i < 5; i++) (await limiter.acquire("tenant-ttl"))._unsafeUnwrap();
    await limiter.cooldown("tenant-ttl", 1_000);
    await limiter.observe("tenant-ttl", { status: 200, headers: {} });
    const keys = await ioredis.keys("ttl:*");
    expect(keys.length).toBe(5);
    for (const key of keys) expect(await ioredis.pttl(key), key).toBeGreaterThan(0);
    await limiter.close();
  });

  it("keeps every key of one scope in one Redis Cluster hash slot", async () => {
    const store = createRedisRateLimitStore({ client: ioredis, prefix: "slot:" });
    const limiter = createRateLimiter({ store, policies: allKinds });
    for (const scope of ["hubspot:123", "weird}scope{", "x"]) {
      (await limiter.acquire(scope))._unsafeUnwrap();
      await limiter.cooldown(scope, 1_000);
    }
    const keys = await ioredis.keys("slot:*");
    const slotsByScope = new Map<string, Set<number>>();
    for (const key of keys) {
      const scope = key.slice("slot:{".length).split("}")[0] ?? "";
      const set = slotsByScope.get(scope) ?? new Set();
      set.add(keySlot(key));
      slotsByScope.set(scope, set);
    }
    expect(slotsByScope.size).toBe(3);
    for (const slots of slotsByScope.values()) expect(slots.size).toBe(1);
    await limiter.close();
  });

  it("reloads its script transparently after SCRIPT FLUSH", async () => {
    for (const client of [ioredis, nodeRedis]) {
      const store = createRedisRateLimitStore({ client, prefix: "flush:" });
      const [policy] = resolveRateLimitPolicies(
        [{ id: "b", kind: "sliding", limit: 10, windowMs: 1_000 }],
        1,
      );
      const request = { permitId: "x", entries: [{ policy: policy!, units: 1 }], leaseMs: 1_000 };
      expect((await store.tryAcquire("flushed", request)).kind).toBe("admitted");
      await sendRedisCommand(client, "SCRIPT", ["FLUSH"]);
      expect((await store.tryAcquire("flushed", { ...request, permitId: "y" })).kind).toBe("admitted");
    }
  });

  it("shares a cooldown between limiters on different connections (separate processes)", async () => {
    const a = createRateLimiter({
      store: createRedisRateLimitStore({ client: ioredis, prefix: "shared:" }),
      policies: allKinds,
    });
    const b = createRateLimiter({
      store: createRedisRateLimitStore({ client: nodeRedis, prefix: "shared:" }),
      policies: allKinds,
    });
    await a.observe("tenant", { status: 429, headers: { "Retry-After": "7" } });
    await b.cooldown("tenant", 1_000);
    const result = await b.acquire("tenant", { maxWaitMs: 100 });
    expect(result._unsafeUnwrapErr().reason).toBe("rate_limited");
    expect(result._unsafeUnwrapErr().retryAfterMs).toBeGreaterThan(6_000);
    const stats = (await b.stats("tenant"))._unsafeUnwrap();
    expect(stats.cooldownUntil! - Date.now()).toBeGreaterThan(6_000);
    expect(stats.policies.map((p) => p.used)).toEqual([0, 0, 0, 0]);
    await a.close();
    await b.close();
  });

  it("fails closed with network_error while Redis is down, and recovers when it is back", async () => {
    // A server of its own, so stopping it cannot disturb the shared clients.
    const own = await startRedis();
    const client = new Redis(own.port, "127.0.0.1", { maxRetriesPerRequest: 0, enableOfflineQueue: false });
    client.on("error", () => undefined);
    await new Promise<void>((resolve) => client.once("ready", () => resolve()));
    const limiter = createRateLimiter({
      store: createRedisRateLimitStore({ client, prefix: "down:" }),
      policies: allKinds,
    });
    try {
      expect((await limiter.acquire("t")).isOk()).toBe(true);
      await own.stop();
      const failed = await limiter.acquire("t");
      expect(failed._unsafeUnwrapErr().reason).toBe("network_error");
      expect(failed._unsafeUnwrapErr().action).toBe("retry");
      await own.start();
      await new Promise<void>((resolve) => client.once("ready", () => resolve()));
      expect((await limiter.acquire("t")).isOk()).toBe(true);
    } finally {
      await limiter.close();
      client.disconnect();
      await own.close();
    }
  });

  it("rejects a prefix with braces and a missing client at construction, naming the option", () => {
    expect(() => createRedisRateLimitStore({ client: ioredis, prefix: "a{b" })).toThrow(/prefix/);
    expect(() => createRedisRateLimitStore({ client: undefined as never })).toThrow(/client/);
    expect(() => createRedisRateLimitStore({ client: ioredis, concurrencyPollMs: 0 })).toThrow(
      /concurrencyPollMs/,
    );
  });

  describe("hot path", () => {
    const resolve = (policies: RateLimitPolicy[]) => resolveRateLimitPolicies(policies, 1);
    const request = (
      policies: ReturnType<typeof resolve>,
      permitId: string,
      units = 1,
    ): StoreAcquireRequest => ({
      permitId,
      entries: policies.map((policy) => ({ policy, units })),
      leaseMs: 60_000,
    });
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const commandCalls = async (command: string): Promise<number> => {
      const info = await ioredis.info("commandstats");
      return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
    };

    it("admits with exactly one EVALSHA per acquire and never sends EVAL once the script is cached", async () => {
      const store = createRedisRateLimitStore({ client: ioredis, prefix: "trips:" });
      const limiter = createRateLimiter({ store, policies: allKinds });
      (await limiter.acquire("warm"))._unsafeUnwrap().release();
      await ioredis.config("RESETSTAT");
      for (let i = 0; i < 20; i++) (await limiter.acquire(`tenant-${i}`))._unsafeUnwrap();
      expect(await commandCalls("evalsha")).toBe(20);
      expect(await commandCalls("eval")).toBe(0);
      await limiter.close();
    });

    it("keeps a sliding log at most its limit long, pruning stale entries only when they would refuse", async () => {
      const store = createRedisRateLimitStore({ client: ioredis, prefix: "prune:" });
      const policies = resolve([{ id: "burst", kind: "sliding", limit: 5, windowMs: 100 }]);
      let admitted = 0;
      for (let cycle = 0; cycle < 3; cycle++) {
        for (let i = 0; i < 7; i++) {
          const result = await store.tryAcquire("s", request(policies, `c${cycle}.${i}`));
          if (result.kind === "admitted") admitted++;
          expect(await ioredis.zcard("prune:{s}:burst")).toBeLessThanOrEqual(5);
        }
        await pause(150);
      }
      expect(admitted).toBeGreaterThanOrEqual(15);
    });

    it("counts only live entries: stale ones left in the log never refuse a request", async () => {
      const store = createRedisRateLimitStore({ client: ioredis, prefix: "stale:" });
      const policies = resolve([{ id: "burst", kind: "sliding", limit: 5, windowMs: 2_000 }]);
      for (let i = 0; i < 3; i++) await store.tryAcquire("s", request(policies, `old${i}`));
      await pause(1_100);
      // A later entry keeps the log alive after the first three leave the window.
      await store.tryAcquire("s", request(policies, "live"));
      await pause(1_100);
      expect(await ioredis.zcard("stale:{s}:burst")).toBe(4);
      const kinds: string[] = [];
      for (let i = 0; i < 4; i++)
        kinds.push((await store.tryAcquire("s", request(policies, `new${i}`))).kind);
      expect(kinds).toEqual(["admitted", "admitted", "admitted", "admitted"]);
      expect(await ioredis.zcard("stale:{s}:burst")).toBeLessThanOrEqual(5);
    });

    it("expires the log one window after its last entry, a calendar counter 60 s after its period, a bucket hash when its newest bucket leaves the window", async () => {
      const store = createRedisRateLimitStore({ client: ioredis, prefix: "expiry:" });
      const policies = resolve([
        { id: "burst", kind: "sliding", limit: 50, windowMs: 10_000 },
        { id: "rolling", kind: "rolling", limit: 500, windowMs: 60_000, bucketMs: 1_000 },
        { id: "daily", kind: "calendar", limit: 1_000, timeZone: "America/New_York" },
      ]);
      const first = request(policies, "p1");
      const admitted = await store.tryAcquire("s", first);
      expect(admitted.kind).toBe("admitted");
      const at = admitted.kind === "admitted" ? admitted.now : 0;
      const period = calendarPeriod("America/New_York", at);
      // Server time + PTTL (PEXPIRETIME needs Redis 7); the two readings may straddle a millisecond.
      const expiresAt = async (key: string) => {
        const [[seconds, micros], pttl] = (await ioredis.eval(
          "return {redis.call('TIME'), redis.call('PTTL', KEYS[1])}",
          1,
          key,
        )) as [[string, string], number];
        return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) + pttl;
      };
      expect(await expiresAt("expiry:{s}:burst")).toBeGreaterThanOrEqual(at + 10_000 - 2);
      expect(await expiresAt("expiry:{s}:burst")).toBeLessThanOrEqual(at + 10_000 + 1_000);
      expect(
        Math.abs((await expiresAt(`expiry:{s}:daily:${period.start}`)) - (period.end + 60_000)),
      ).toBeLessThanOrEqual(2);
      expect(
        Math.abs((await expiresAt("expiry:{s}:rolling")) - ((Math.floor(at / 1_000) + 1) * 1_000 + 60_000)),
      ).toBeLessThanOrEqual(2);
      // A counter refunded to zero and charged again keeps an expiry.
      await store.refund("s", first, at);
      expect((await store.tryAcquire("s", request(policies, "p2"))).kind).toBe("admitted");
      for (const key of await ioredis.keys("expiry:*"))
        expect(await ioredis.pttl(key), key).toBeGreaterThan(0);
    });

    it("keeps a rolling hash's total equal to the sum of its buckets", async () => {
      const store = createRedisRateLimitStore({ client: ioredis, prefix: "total:" });
      const policies = resolve([
        { id: "rolling", kind: "rolling", limit: 1_000, windowMs: 60_000, bucketMs: 1_000, weighted: true },
      ]);
      for (let i = 0; i < 12; i++) await store.tryAcquire("s", request(policies, `p${i}`, 1 + (i % 3)));
      const hash = await ioredis.hgetall("total:{s}:rolling");
      const buckets = Object.entries(hash).filter(([field]) => /^\d+$/.test(field));
      const sum = buckets.reduce((total, [, value]) => total + Number(value), 0);
      expect(sum).toBe(24);
      expect(Number(hash.t)).toBe(24);
      expect((await store.stats("s", policies)).policies[0]?.used).toBe(24);
    });
  });
});
