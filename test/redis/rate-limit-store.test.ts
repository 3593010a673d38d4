import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRateLimiter,
  type RateLimitPolicy,
  resolveRateLimitPolicies,
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
});
