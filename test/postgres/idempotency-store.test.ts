import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresIdempotencyStore } from "../../src/postgres/idempotency-store.js";
import type { PgQueryable } from "../../src/postgres/pg-like.js";
import { runIdempotencyStoreConformance } from "../../src/testing/idempotency-store-conformance.js";
import { type PostgresServer, postgresAvailable, startPostgres } from "../helpers/postgres-server.js";
import { runCrashScenario } from "../idempotency/crash-scenario.js";

const available = postgresAvailable();

describe.skipIf(!available)("createPostgresIdempotencyStore against a real PostgreSQL 15", () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  const pools: pg.Pool[] = [];
  const newPool = (max = 4): pg.Pool => {
    const created = new pg.Pool({ connectionString: server.url, max, connectionTimeoutMillis: 20_000 });
    created.on("error", () => {});
    pools.push(created);
    return created;
  };

  beforeAll(async () => {
    server = await startPostgres();
    pool = newPool(4);
    (await createPostgresIdempotencyStore({ client: pool }).migrate())._unsafeUnwrap();
    await pool.query("CREATE TABLE crm_records (external_id text PRIMARY KEY, writes int NOT NULL)");
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end().catch(() => {})));
    await server?.close();
  });

  describe("conformance (pg.Pool with 4 connections)", () => {
    // After the outage test restarts the server, the old pool's sockets are dead: later tests get a fresh pool.
    let current: pg.Pool | undefined;
    const active = (): pg.Pool => {
      current ??= newPool(4);
      return current;
    };
    runIdempotencyStoreConformance(
      { describe, it },
      {
        name: "postgres (pg.Pool)",
        create: () => createPostgresIdempotencyStore({ client: active() }),
        leaseMs: 400,
        shortTtlMs: 1000,
        outage: {
          stop: () => server.stop(),
          async start() {
            await server.start();
            current = undefined;
          },
        },
      },
    );
  });

  describe("specifics", () => {
    it("migrate is idempotent and creates the table in the given schema", async () => {
      const store = createPostgresIdempotencyStore({ client: pool, schema: "crm", table: "idem" });
      (await store.migrate())._unsafeUnwrap();
      (await store.migrate())._unsafeUnwrap();
      const { rows } = await pool.query(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'crm' AND table_name = 'idem'",
      );
      expect(rows[0].n).toBe(1);
      expect(store.sql.table).toBe('"crm"."idem"');
      const outcome = await store.acquire({
        scope: "s",
        key: "k",
        fingerprint: "f",
        leaseMs: 1000,
        ttlMs: 5000,
      });
      expect(outcome._unsafeUnwrap().kind).toBe("acquired");
    });

    it("throws at construction naming table, schema or client when they are unusable", () => {
      expect(() => createPostgresIdempotencyStore({ client: pool, table: 'x"; DROP TABLE y; --' })).toThrow(
        /`table`/,
      );
      expect(() => createPostgresIdempotencyStore({ client: pool, schema: "a.b" })).toThrow(/`schema`/);
      expect(() => createPostgresIdempotencyStore({ client: {} as PgQueryable })).toThrow(/`client`/);
      expect(() => createPostgresIdempotencyStore({ client: pool, maxResultBytes: 0 })).toThrow(
        /maxResultBytes/,
      );
    });

    it("reports a missing table as StoreUnavailable instead of running anything", async () => {
      const store = createPostgresIdempotencyStore({ client: pool, table: "not_migrated" });
      const outcome = await store.acquire({
        scope: "s",
        key: "k",
        fingerprint: "f",
        leaseMs: 1000,
        ttlMs: 5000,
      });
      expect(outcome._unsafeUnwrapErr()).toMatchObject({ type: "StoreUnavailable", store: "postgres" });
    });

    it("uses the server's now(): the lease ends leaseMs after the database's clock", async () => {
      const store = createPostgresIdempotencyStore({ client: pool });
      const { rows } = await pool.query("SELECT floor(extract(epoch from now()) * 1000)::float8 AS now");
      const outcome = (
        await store.acquire({
          scope: "clock",
          key: randomUUID(),
          fingerprint: "f",
          leaseMs: 1000,
          ttlMs: 5000,
        })
      )._unsafeUnwrap();
      const expiresAt = outcome.kind === "acquired" ? outcome.lease.expiresAt : 0;
      expect(Math.abs(expiresAt - (rows[0].now + 1000))).toBeLessThan(5_000);
    });

    it("accepts pg.Pool, pg.Client and PGlite as PgQueryable", () => {
      const clients: PgQueryable[] = [pool, new pg.Client(), new PGlite()];
      expect(clients).toHaveLength(3);
    });

    for (const phase of ["before", "after"] as const) {
      it(`takes over after a worker is killed ${phase} its CRM write; the CRM ends with one record`, async () => {
        const client = newPool(2);
        const scope = `crash-${phase}-${randomUUID()}`;
        const externalId = "ext-evt-1";
        await client.query("DELETE FROM crm_records WHERE external_id = $1", [externalId]);
        await runCrashScenario({
          phase,
          scope,
          key: "evt-1",
          leaseMs: 800,
          store: createPostgresIdempotencyStore({ client }),
          holderConfig: { backend: "postgres", url: server.url },
          crm: {
            upsert: async (id) => {
              await client.query(
                "INSERT INTO crm_records (external_id, writes) VALUES ($1, 1) ON CONFLICT (external_id) DO UPDATE SET writes = crm_records.writes + 1",
                [id],
              );
            },
            records: async () =>
              (
                await client.query("SELECT count(*)::int AS n FROM crm_records WHERE external_id = $1", [
                  externalId,
                ])
              ).rows[0].n,
            writes: async () =>
              (await client.query("SELECT writes FROM crm_records WHERE external_id = $1", [externalId]))
                .rows[0]?.writes ?? 0,
          },
        });
      }, 60_000);
    }
  });
});

describe("createPostgresIdempotencyStore on PGlite", () => {
  const db = new PGlite();
  beforeAll(async () => {
    (await createPostgresIdempotencyStore({ client: db }).migrate())._unsafeUnwrap();
  });
  afterAll(async () => {
    await db.close();
  });
  runIdempotencyStoreConformance(
    { describe, it },
    {
      name: "postgres (PGlite)",
      create: () => createPostgresIdempotencyStore({ client: db }),
      // PGlite runs in this process and its now() reads Date.now(): callers share the database's clock.
      sharesCallerClock: true,
      leaseMs: 400,
      shortTtlMs: 1000,
      trials: 50,
    },
  );
});
