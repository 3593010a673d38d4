import { randomUUID } from "node:crypto";
import { Cluster } from "ioredis";
import { createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter, type RateLimitPolicy } from "../../src/ratelimit/index.js";
import { ACQUIRE } from "../../src/redis/idempotency-scripts.js";
import { createRedisIdempotencyStore } from "../../src/redis/idempotency-store.js";
import { RATE_LIMIT_ACQUIRE_SCRIPT } from "../../src/redis/rate-limit-script.js";
import { createRedisRateLimitStore } from "../../src/redis/rate-limit-store.js";
import { type RedisLike, sendRedisCommand } from "../../src/redis/redis-like.js";
import { runIdempotencyStoreConformance } from "../../src/testing/idempotency-store-conformance.js";
import { runRateLimitStoreConformance } from "../../src/testing/rate-limit-store-conformance.js";
import { type RedisCluster, redisClusterAvailable, startRedisCluster } from "../helpers/redis-cluster.js";

// One real 3-master Redis Cluster for the whole file: both stores, through an ioredis `Cluster` and a node-redis
// `createCluster` client, each routing every command to the master owning its key's hash slot.

const allKinds: RateLimitPolicy[] = [
  { id: "burst", kind: "sliding", limit: 50, windowMs: 10_000 },
  { id: "rolling", kind: "rolling", limit: 500, windowMs: 60_000, bucketMs: 1_000 },
  { id: "daily", kind: "calendar", limit: 1_000, timeZone: "America/New_York" },
  { id: "inflight", kind: "concurrency", limit: 10 },
];

const available = redisClusterAvailable();

describe.skipIf(!available)("Redis stores on a real 3-master Redis Cluster", () => {
  let cluster: RedisCluster;
  const ioClients: Cluster[] = [];
  const destroyNodeClients: Array<() => void> = [];
  // Fail fast instead of queueing while the nodes are down, so an outage surfaces as StoreUnavailable.
  const connectIo = async (): Promise<Cluster> => {
    const client = new Cluster([...cluster.nodes], {
      enableOfflineQueue: false,
      redisOptions: { maxRetriesPerRequest: 0 },
    });
    client.on("error", () => {});
    ioClients.push(client);
    if (client.status !== "ready") await new Promise((resolve) => client.once("ready", resolve));
    return client;
  };
  const connectNode = async (): Promise<RedisLike> => {
    const client = createCluster({
      rootNodes: cluster.nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    });
    client.on("error", () => {});
    destroyNodeClients.push(() => client.destroy());
    await client.connect();
    return client;
  };
  let io: Cluster;
  let ioSecond: Cluster;
  let node: RedisLike;
  let nodeSecond: RedisLike;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    [io, ioSecond] = [await connectIo(), await connectIo()];
    [node, nodeSecond] = [await connectNode(), await connectNode()];
  });
  afterAll(async () => {
    for (const client of ioClients) client.disconnect();
    for (const destroy of destroyNodeClients) destroy();
    await cluster?.close();
  });

  // After a restart of every node, waits until each client routes commands again (ioredis refreshes its slot map,
  // node-redis reconnects), so later tests do not see the outage.
  const untilServing = async (): Promise<void> => {
    const deadline = Date.now() + 20_000;
    for (const client of [io, ioSecond, node, nodeSecond]) {
      for (;;) {
        const served = await sendRedisCommand(client, "EXISTS", ["probe"]).then(
          () => true,
          () => false,
        );
        if (served) break;
        if (Date.now() > deadline) throw new Error("a cluster client did not recover within 20 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };

  const flavours = [
    { name: "ioredis", first: (): RedisLike => io, second: (): RedisLike => ioSecond },
    { name: "node-redis", first: (): RedisLike => node, second: (): RedisLike => nodeSecond },
  ];
  // No single server to stop: the outage is every master at once, brought back with its saved slot map.
  const outage = {
    stop: () => cluster.stop(),
    async start() {
      await cluster.start();
      await untilServing();
    },
  };

  /** How many `MOVED` redirects the master on `port` has answered (all masters' total without `port`). */
  const movedReplies = async (port?: number): Promise<number> => {
    let total = 0;
    for (const master of io.nodes("master")) {
      if (port !== undefined && master.options.port !== port) continue;
      const info = await master.info("errorstats");
      total += Number(/errorstat_MOVED:count=(\d+)/.exec(info)?.[1] ?? 0);
    }
    return total;
  };

  /** Every master's keys under `prefix`, by the master's port, read from the nodes themselves. */
  const keysByMaster = async (prefix: string): Promise<Map<number, string[]>> => {
    const result = new Map<number, string[]>();
    for (const master of io.nodes("master")) {
      result.set(master.options.port ?? 0, await master.keys(`${prefix}*`));
    }
    return result;
  };

  describe("rate-limit store", () => {
    for (const { name, first } of flavours) {
      runRateLimitStoreConformance(
        { describe, it },
        {
          name: `Redis Cluster (${name})`,
          create: () => createRedisRateLimitStore({ client: first(), prefix: `${name}:` }),
        },
      );
    }

    it("shares a cooldown between an ioredis and a node-redis limiter on the same cluster", async () => {
      const limiterOn = (client: RedisLike) =>
        createRateLimiter({
          store: createRedisRateLimitStore({ client, prefix: "shared:" }),
          policies: allKinds,
        });
      const [a, b] = [limiterOn(io), limiterOn(node)];
      await a.observe("tenant", { status: 429, headers: { "Retry-After": "7" } });
      const result = await b.acquire("tenant", { maxWaitMs: 100 });
      expect(result._unsafeUnwrapErr().reason).toBe("rate_limited");
      expect(result._unsafeUnwrapErr().retryAfterMs).toBeGreaterThan(6_000);
      await Promise.all([a.close(), b.close()]);
    });

    it("spreads 200 scopes over all three masters, each scope's keys in one slot, routed without MOVED", async () => {
      const redirectsBefore = await movedReplies();
      for (const [client, parity] of [
        [io, 0],
        [node, 1],
      ] as const) {
        const limiter = createRateLimiter({
          store: createRedisRateLimitStore({ client, prefix: "spread:" }),
          policies: allKinds,
        });
        for (let i = parity; i < 200; i += 2) {
          (await limiter.acquire(`tenant-${i}`))._unsafeUnwrap();
          await limiter.cooldown(`tenant-${i}`, 60_000);
        }
        await limiter.close();
      }
      // Both clients sent every script straight to the slot's owner: the first key routes it.
      expect(await movedReplies()).toBe(redirectsBefore);
      const scopes = new Map<string, { masters: Set<number>; slots: Set<number>; keys: number }>();
      for (const [port, keys] of await keysByMaster("spread:")) {
        const master = io.nodes("master").find((n) => n.options.port === port)!;
        for (const key of keys) {
          const scope = key.slice("spread:{".length, key.indexOf("}"));
          const seen = scopes.get(scope) ?? { masters: new Set(), slots: new Set(), keys: 0 };
          seen.masters.add(port);
          seen.slots.add(Number(await master.call("CLUSTER", "KEYSLOT", key)));
          seen.keys++;
          scopes.set(scope, seen);
        }
      }
      expect(scopes.size).toBe(200);
      const masters = new Set<number>();
      for (const [scope, seen] of scopes) {
        // burst, rolling, daily period, inflight lease set and the cooldown.
        expect(seen.keys, scope).toBe(5);
        expect(seen.slots.size, scope).toBe(1);
        expect(seen.masters.size, scope).toBe(1);
        for (const port of seen.masters) masters.add(port);
      }
      expect([...masters].sort()).toEqual([...cluster.ports].sort());
    });
  });

  describe("idempotency store", () => {
    // The outage test runs with ioredis only: one stop of every master proves failing closed; each costs a rejoin.
    for (const { name, first, second } of flavours) {
      runIdempotencyStoreConformance(
        { describe, it },
        {
          name: `Redis Cluster (${name}, two clients)`,
          create: () => createRedisIdempotencyStore({ client: first(), prefix: `${name}:` }),
          createSecondConnection: () => createRedisIdempotencyStore({ client: second(), prefix: `${name}:` }),
          leaseMs: 300,
          shortTtlMs: 800,
          expiresNatively: true,
          ...(name === "ioredis" ? { outage } : {}),
        },
      );
    }

    it("spreads records over all three masters and deletes each through its owner", async () => {
      for (const client of [io, node]) {
        const store = createRedisIdempotencyStore({ client, prefix: "idem-spread:" });
        for (let i = 0; i < 60; i++) {
          const request = { scope: "s", key: `k${i}`, fingerprint: "f", leaseMs: 1_000, ttlMs: 60_000 };
          expect((await store.acquire(request))._unsafeUnwrap().kind).toBe("acquired");
        }
        const byMaster = await keysByMaster("idem-spread:");
        expect([...byMaster.values()].every((keys) => keys.length > 0)).toBe(true);
        expect([...byMaster.values()].flat().length).toBe(60);
        for (let i = 0; i < 60; i++) expect((await store.delete("s", `k${i}`))._unsafeUnwrap()).toBe(true);
        expect([...(await keysByMaster("idem-spread:")).values()].flat()).toEqual([]);
      }
    });
  });

  describe("routing", () => {
    const idemRequest = (scope: string, key: string) => ({
      scope,
      key,
      fingerprint: "f",
      leaseMs: 1_000,
      ttlMs: 60_000,
    });

    it("reloads the scripts on every master after SCRIPT FLUSH on all of them (NOSCRIPT per node)", async () => {
      for (const [n, client] of [io, node].entries()) {
        for (const master of io.nodes("master")) await master.script("FLUSH");
        const limiter = createRateLimiter({
          store: createRedisRateLimitStore({ client, prefix: `flush${n}:` }),
          policies: allKinds,
        });
        const idempotency = createRedisIdempotencyStore({ client, prefix: `flush${n}:` });
        for (let i = 0; i < 30; i++) {
          (await limiter.acquire(`tenant-${i}`))._unsafeUnwrap();
          expect((await idempotency.acquire(idemRequest("s", `k${i}`)))._unsafeUnwrap().kind).toBe(
            "acquired",
          );
        }
        await limiter.close();
        for (const master of io.nodes("master")) {
          expect(await master.script("EXISTS", RATE_LIMIT_ACQUIRE_SCRIPT.sha, ACQUIRE.sha)).toEqual([1, 1]);
        }
      }
    });

    it("follows MOVED to the new master after a scope's hash slot is resharded, with either client", async () => {
      for (const client of [io, node]) {
        // A hash tag whose slot holds no keys yet, so it can move without migrating data.
        let tag: string;
        let slot: number;
        let keys: number;
        do {
          tag = randomUUID();
          slot = Number(await io.call("CLUSTER", "KEYSLOT", tag));
          keys = 0;
          for (const master of io.nodes("master"))
            keys += Number(await master.call("CLUSTER", "COUNTKEYSINSLOT", slot));
        } while (keys > 0);
        const { from, to } = await cluster.moveEmptySlot(slot);
        const redirectsBefore = await movedReplies(from);

        const limiter = createRateLimiter({
          store: createRedisRateLimitStore({ client, prefix: "moved:" }),
          policies: allKinds,
        });
        (await limiter.acquire(tag))._unsafeUnwrap();
        await limiter.close();
        const idempotency = createRedisIdempotencyStore({ client, prefix: "moved:" });
        expect((await idempotency.acquire(idemRequest(`{${tag}}`, "k")))._unsafeUnwrap().kind).toBe(
          "acquired",
        );

        expect(await movedReplies(from)).toBeGreaterThan(redirectsBefore);
        const byMaster = await keysByMaster(`moved:*${tag}`);
        expect(byMaster.get(from)).toEqual([]);
        // burst, rolling, daily, the lease set and the idempotency record, all on the new owner.
        expect(byMaster.get(to)?.length).toBe(5);
      }
    });
  });
});
