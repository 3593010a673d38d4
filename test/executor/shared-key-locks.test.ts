import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createSync } from "../../src/executor/index.js";
import { createSharedKeyLocks } from "../../src/executor/shared-key-locks.js";
import { createMemoryIdempotencyStore, type IdempotencyStore } from "../../src/idempotency/index.js";
import { systemClock } from "../../src/internal/clock.js";
import { createPostgresIdempotencyStore } from "../../src/postgres/index.js";
import { createRedisIdempotencyStore } from "../../src/redis/index.js";
import { leadSubmitted } from "../../src/testing/event-fixtures.js";
import { createFakeCrm } from "../../src/testing/fake-crm/index.js";
import { type PostgresServer, postgresAvailable, startPostgres } from "../helpers/postgres-server.js";
import { type RedisServer, redisAvailable, startRedis } from "../helpers/redis-server.js";

const locksOn = (store = createMemoryIdempotencyStore(), waitMs = 5_000, holdAfterCreateMs = 0) =>
  createSharedKeyLocks({
    store,
    scope: "t:keys",
    leaseMs: 10_000,
    holdAfterCreateMs,
    waitMs,
    clock: systemClock,
  });

describe("createSharedKeyLocks", () => {
  it("makes a second holder of an overlapping key wait until the first lets go", async () => {
    const store = createMemoryIdempotencyStore();
    const first = locksOn(store);
    const second = locksOn(store);
    const held = (await first.acquire(["company:domain:a.test", "contact:email:x@a.test"]))._unsafeUnwrap();
    let got = false;
    const waiting = second.acquire(["company:domain:a.test"]).then((result) => {
      got = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(got).toBe(false);
    await held.release(new Set());
    (await waiting)._unsafeUnwrap();
    expect(got).toBe(true);
  });

  it("holds a key whose record was created for the search lag, and lets the others go at once", async () => {
    const store = createMemoryIdempotencyStore();
    const locks = locksOn(store, 5_000, 300);
    const held = (await locks.acquire(["company:domain:a.test", "contact:email:x@a.test"]))._unsafeUnwrap();
    await held.release(new Set(["company:domain:a.test"]));
    const started = Date.now();
    (await locks.acquire(["contact:email:x@a.test"]))._unsafeUnwrap();
    expect(Date.now() - started).toBeLessThan(200);
    (await locks.acquire(["company:domain:a.test"]))._unsafeUnwrap();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("renews the keys while they are held, so a run longer than leaseMs keeps them until it lets go", async () => {
    const store = createMemoryIdempotencyStore();
    const short = createSharedKeyLocks({
      store,
      scope: "t:keys",
      leaseMs: 60,
      holdAfterCreateMs: 0,
      waitMs: 5_000,
      clock: systemClock,
    });
    const held = (await short.acquire(["a"]))._unsafeUnwrap();
    // Four leases' worth later another holder still cannot take the key.
    expect((await locksOn(store, 240).acquire(["a"]))._unsafeUnwrapErr()).toEqual({
      type: "KeyLockTimeout",
      key: "a",
    });
    await held.release(new Set());
    (await locksOn(store, 0).acquire(["a"]))._unsafeUnwrap();
  });

  it("gives up after waitMs with KeyLockTimeout, holding none of the keys it had taken", async () => {
    const store = createMemoryIdempotencyStore();
    (await locksOn(store).acquire(["b"]))._unsafeUnwrap();
    const result = await locksOn(store, 100).acquire(["a", "b"]);
    expect(result._unsafeUnwrapErr()).toEqual({ type: "KeyLockTimeout", key: "b" });
    (await locksOn(store, 0).acquire(["a"]))._unsafeUnwrap();
  });
});

describe("createSync sharedKeyLocks across processes", () => {
  // Two syncs stand for two worker processes: each has its own in-process locks; they share the CRM (with search
  // lag) and the idempotency store, given per worker (a Redis connection each, or one in-process store).
  async function twoWorkers(sharedKeyLocks: boolean, stores: readonly IdempotencyStore[], trial = 0) {
    const { adapter, probe } = createFakeCrm({ searchLagMs: 100 });
    const workers = stores.map((idempotency) => createSync({ adapter, idempotency, sharedKeyLocks }));
    const leads = ["ana", "ben"].map((name) =>
      leadSubmitted({
        contact: { email: `${name}@newco${trial}.test` },
        company: { name: "NewCo", domain: `newco${trial}.test` },
      }),
    );
    const results = await Promise.all(leads.map((lead, i) => workers[i]!.run(lead)));
    return { probe, statuses: results.map((result) => result._unsafeUnwrap().status) };
  }

  it("without them, two workers both create a new company their searches cannot see yet", async () => {
    const store = createMemoryIdempotencyStore();
    const { probe } = await twoWorkers(false, [store, store]);
    expect(probe.list("company")).toHaveLength(2);
  });

  it("with them, the second worker waits out the first one's create and the search lag (25 trials)", async () => {
    const store = createMemoryIdempotencyStore();
    for (let trial = 0; trial < 25; trial++) {
      const { probe, statuses } = await twoWorkers(true, [store, store], trial);
      expect(statuses).toEqual(["applied", "applied"]);
      expect(probe.list("company")).toHaveLength(1);
      expect(probe.list("contact")).toHaveLength(2);
    }
  });

  // Each server is started inside its test (not in hooks): two skippable blocks would otherwise share hook scope.
  it.skipIf(!redisAvailable())(
    "on a real redis-server, one connection per worker: one company (25 trials)",
    async () => {
      const server: RedisServer = await startRedis();
      const clients: Redis[] = [];
      try {
        const prefix = `locks:${randomUUID()}:`;
        const stores = [0, 1].map(() => {
          const client = new Redis(server.url);
          clients.push(client);
          return createRedisIdempotencyStore({ client, prefix });
        });
        for (let trial = 0; trial < 25; trial++) {
          const { probe } = await twoWorkers(true, stores, trial);
          expect(probe.list("company")).toHaveLength(1);
        }
      } finally {
        for (const client of clients) client.disconnect();
        await server.close();
      }
    },
  );

  it.skipIf(!postgresAvailable())(
    "on a real PostgreSQL server, one pool per worker: one company (25 trials)",
    async () => {
      const server: PostgresServer = await startPostgres();
      const pools: pg.Pool[] = [];
      try {
        const stores = [0, 1].map(() => {
          const pool = new pg.Pool({ connectionString: server.url, max: 4 });
          pool.on("error", () => {});
          pools.push(pool);
          return createPostgresIdempotencyStore({ client: pool });
        });
        (await stores[0]!.migrate())._unsafeUnwrap();
        for (let trial = 0; trial < 25; trial++) {
          const { probe } = await twoWorkers(true, stores, trial);
          expect(probe.list("company")).toHaveLength(1);
        }
      } finally {
        await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
        await server.close();
      }
    },
    60_000,
  );

  it("works with runMany's batching: ten leads at one new company, one company, no wait on a blocked wave", async () => {
    const { adapter, probe } = createFakeCrm({
      batch: true,
      searchLagMs: 100,
      upsertKeys: { contact: ["email"] },
    });
    const sync = createSync({
      adapter,
      idempotency: createMemoryIdempotencyStore(),
      sharedKeyLocks: { waitMs: 5_000 },
    });
    const leads = Array.from({ length: 10 }, (_, i) =>
      leadSubmitted({
        contact: { email: `p${i}@same.test` },
        company: { name: "Same", domain: "same.test" },
      }),
    );
    const results = (await sync.runMany(leads))._unsafeUnwrap();
    expect(results.map((result) => result._unsafeUnwrap().status)).toEqual(Array(10).fill("applied"));
    expect(probe.list("company")).toHaveLength(1);
    expect(probe.list("contact")).toHaveLength(10);
  });

  it("throws at construction naming the option for a malformed value", () => {
    const { adapter } = createFakeCrm();
    expect(() =>
      createSync({ adapter, idempotency: createMemoryIdempotencyStore(), sharedKeyLocks: { waitMs: -1 } }),
    ).toThrow(/option `sharedKeyLocks`/);
  });
});
