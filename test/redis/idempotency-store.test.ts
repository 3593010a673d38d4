import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisIdempotencyStore } from "../../src/redis/idempotency-store.js";
import type { RedisLike } from "../../src/redis/redis-like.js";
import { runIdempotencyStoreConformance } from "../../src/testing/idempotency-store-conformance.js";
import { type RedisServer, redisAvailable, startRedis } from "../helpers/redis-server.js";
import { runCrashScenario } from "../idempotency/crash-scenario.js";

const available = redisAvailable();

describe.skipIf(!available)("createRedisIdempotencyStore against a real redis-server", () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  // Fail fast instead of queueing while the server is down, so an outage surfaces as StoreUnavailable.
  const connect = (): Redis => {
    const client = new Redis(server.url, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: false,
    });
    client.on("error", () => {});
    clients.push(client);
    return client;
  };
  const ready = async (client: Redis): Promise<Redis> => {
    if (client.status !== "ready") await new Promise((resolve) => client.once("ready", resolve));
    return client;
  };

  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server?.close();
  });

  describe("with ioredis", () => {
    let first: Redis;
    let second: Redis;
    beforeAll(async () => {
      first = await ready(connect());
      second = await ready(connect());
    });
    runIdempotencyStoreConformance(
      { describe, it },
      {
        name: "redis (ioredis, two clients)",
        create: () => createRedisIdempotencyStore({ client: first }),
        createSecondConnection: () => createRedisIdempotencyStore({ client: second }),
        leaseMs: 300,
        shortTtlMs: 800,
        expiresNatively: true,
        outage: {
          stop: () => server.stop(),
          async start() {
            await server.start();
            // ioredis reconnects by itself; wait until both clients are usable again.
            await Promise.all([ready(first), ready(second)]);
          },
        },
      },
    );
  });

  describe("with node-redis", () => {
    const nodeClients: RedisLike[] = [];
    const destroy: Array<() => void> = [];
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) {
        const client = createClient({ url: server.url });
        client.on("error", () => {});
        await client.connect();
        nodeClients.push(client);
        destroy.push(() => client.destroy());
      }
    });
    afterAll(async () => {
      for (const close of destroy) close();
    });
    runIdempotencyStoreConformance(
      { describe, it },
      {
        name: "redis (node-redis, two clients)",
        create: () => createRedisIdempotencyStore({ client: nodeClients[0]!, prefix: "node:" }),
        createSecondConnection: () =>
          createRedisIdempotencyStore({ client: nodeClients[1]!, prefix: "node:" }),
        leaseMs: 300,
        shortTtlMs: 800,
        trials: 50,
        expiresNatively: true,
      },
    );
  });

  describe("specifics", () => {
    it("throws at construction naming client or maxResultBytes when they are unusable", () => {
      expect(() => createRedisIdempotencyStore({ client: {} as never })).toThrow(/`client`/);
      expect(() => createRedisIdempotencyStore({ client: connect(), maxResultBytes: 0 })).toThrow(
        /maxResultBytes/,
      );
    });

    it("gives every record a key TTL ending at its expiry, under the prefix", async () => {
      const client = await ready(connect());
      const store = createRedisIdempotencyStore({ client, prefix: "ttl:" });
      const outcome = (
        await store.acquire({ scope: "a:b", key: "k", fingerprint: "f", leaseMs: 1000, ttlMs: 50_000 })
      )._unsafeUnwrap();
      expect(outcome.kind).toBe("acquired");
      const pttl = await client.pttl("ttl:3:a:b:k");
      expect(pttl).toBeGreaterThan(40_000);
      expect(pttl).toBeLessThanOrEqual(50_000);
    });

    it("reloads its scripts transparently after SCRIPT FLUSH", async () => {
      const client = await ready(connect());
      const store = createRedisIdempotencyStore({ client, prefix: "flush:" });
      await client.script("FLUSH");
      const outcome = await store.acquire({
        scope: "s",
        key: "k",
        fingerprint: "f",
        leaseMs: 1000,
        ttlMs: 5000,
      });
      expect(outcome._unsafeUnwrap().kind).toBe("acquired");
    });

    it("uses the server's clock: lease expiry is near Redis TIME, not the caller's Date.now", async () => {
      const client = await ready(connect());
      const store = createRedisIdempotencyStore({ client, prefix: "clock:" });
      const [seconds] = (await client.time()) as [string | number, string | number];
      const outcome = (
        await store.acquire({ scope: "s", key: "k", fingerprint: "f", leaseMs: 1000, ttlMs: 5000 })
      )._unsafeUnwrap();
      const expiresAt = outcome.kind === "acquired" ? outcome.lease.expiresAt : 0;
      expect(Math.abs(expiresAt - (Number(seconds) * 1000 + 1000))).toBeLessThan(5_000);
    });

    for (const phase of ["before", "after"] as const) {
      it(`takes over after a worker is killed ${phase} its CRM write; the CRM ends with one record`, async () => {
        const client = await ready(connect());
        const scope = `crash-${phase}-${randomUUID()}`;
        await runCrashScenario({
          phase,
          scope,
          key: "evt-1",
          leaseMs: 600,
          store: createRedisIdempotencyStore({ client, prefix: "crash:" }),
          holderConfig: { backend: "redis", url: server.url },
          crm: {
            upsert: async (id) => {
              await client.hset(`crm:${scope}`, id, "contact");
              await client.incr(`crm:${scope}:writes`);
            },
            records: () => client.hlen(`crm:${scope}`),
            writes: async () => Number((await client.get(`crm:${scope}:writes`)) ?? 0),
          },
        });
      }, 60_000);
    }
  });
});
