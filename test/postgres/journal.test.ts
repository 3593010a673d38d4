import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isJournalError } from "../../src/journal/index.js";
import { createPostgresJournal } from "../../src/postgres/journal.js";
import { journalSql } from "../../src/postgres/journal-sql.js";
import type { PgQueryable } from "../../src/postgres/pg-like.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";
import { runJournalConformance } from "../../src/testing/journal-conformance.js";
import { type PostgresServer, postgresAvailable, startPostgres } from "../helpers/postgres-server.js";

const available = postgresAvailable();

describe("journalSql", () => {
  it("quotes the default table unqualified and qualifies it with a schema", () => {
    expect(journalSql().table).toBe('"crmkit_journal"');
    expect(journalSql({ schema: "crm", table: "audit" }).table).toBe('"crm"."audit"');
    expect(journalSql({ schema: "crm" }).migration[0]).toBe('CREATE SCHEMA IF NOT EXISTS "crm"');
  });

  it("throws naming the option for names that are not plain identifiers", () => {
    expect(() => journalSql({ table: 'x"; DROP TABLE y; --' })).toThrow(/option `table`/);
    expect(() => journalSql({ schema: "bad schema" })).toThrow(/option `schema`/);
    expect(() => journalSql({ table: "t".repeat(64) })).toThrow(/option `table`/);
  });

  it("indexes (status, updated_at, event_id) for dead-letter queries", () => {
    const { migration } = journalSql({ table: "audit" });
    expect(migration).toContain(
      'CREATE INDEX IF NOT EXISTS "audit_status_updated_at" ON "audit" (status, updated_at, event_id)',
    );
  });

  it("filters with one parameter per status and never interpolates values", () => {
    const { text, params } = journalSql().list({
      statuses: ["dead_letter", "review"],
      eventType: "x'; DROP TABLE t; --",
      limit: 10,
      order: "asc",
    });
    expect(text).toContain("status IN ($1, $2)");
    expect(text).not.toContain("DROP");
    expect(params).toEqual(["dead_letter", "review", "x'; DROP TABLE t; --", 11]);
  });
});

describe("createPostgresJournal", () => {
  it("throws at construction naming client when it has no query method", () => {
    expect(() => createPostgresJournal({ client: {} as PgQueryable })).toThrow(/option `client`/);
  });

  it("maps a failing client to journal_unavailable (action retry) without leaking the connection secret", async () => {
    const client: PgQueryable = {
      query: () =>
        Promise.reject(
          new Error("connect ECONNREFUSED postgres://app:hunter2-password@db?password=hunter2-password"),
        ),
    };
    const result = await createPostgresJournal({ client }).get("evt");
    expect(result.isErr()).toBe(true);
    const error = result._unsafeUnwrapErr();
    expect(isJournalError(error, "journal_unavailable")).toBe(true);
    expect(error.action).toBe("retry");
    expect(JSON.stringify(error)).not.toContain("hunter2-password");
  });
});

describe("createPostgresJournal on PGlite", () => {
  const db = new PGlite();
  const clock = createFakeClock({ start: "2026-01-01T00:00:00.000Z" });
  beforeAll(async () => {
    (await createPostgresJournal({ client: db }).migrate())._unsafeUnwrap();
  });
  afterAll(async () => {
    await db.close();
  });
  runJournalConformance(
    { describe, it },
    { name: "postgres journal (PGlite)", create: () => createPostgresJournal({ client: db, clock }), clock },
  );

  it("reports journal_not_migrated (action alert) until the table exists", async () => {
    const journal = createPostgresJournal({ client: db, table: "not_there_yet" });
    const before = await journal.count();
    expect(isJournalError(before._unsafeUnwrapErr(), "journal_not_migrated")).toBe(true);
    expect(before._unsafeUnwrapErr().action).toBe("alert");
    (await journal.migrate())._unsafeUnwrap();
    expect((await journal.count())._unsafeUnwrap()).toBe(0);
  });

  it("runs migrate repeatedly and in a custom schema", async () => {
    const journal = createPostgresJournal({ client: db, schema: "crm_audit", table: "journal", clock });
    (await journal.migrate())._unsafeUnwrap();
    (await journal.migrate())._unsafeUnwrap();
    (await journal.begin({ eventId: "in-schema", raw: { ok: true } }))._unsafeUnwrap();
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "crm_audit"."journal"');
    expect(rows.rows[0]?.n).toBe(1);
  });

  it("stores NUL characters and unpaired surrogates as U+FFFD instead of failing", async () => {
    const journal = createPostgresJournal({ client: db, clock });
    const nul = String.fromCharCode(0);
    const { record } = (
      await journal.begin({
        eventId: `bytes-${Date.now()}`,
        raw: { text: `a${nul}b\uD800c`, [`k${nul}`]: 1 },
      })
    )._unsafeUnwrap();
    expect(record.raw).toEqual({ text: "a\uFFFDb\uFFFDc", "k\uFFFD": 1 });
  });
});

describe.skipIf(!available)("createPostgresJournal on a real PostgreSQL 15", () => {
  let server: PostgresServer;
  const pools: pg.Pool[] = [];
  const clock = createFakeClock({ start: "2026-01-01T00:00:00.000Z" });
  const newPool = (max: number): pg.Pool => {
    const created = new pg.Pool({ connectionString: server.url, max, connectionTimeoutMillis: 5_000 });
    created.on("error", () => {});
    pools.push(created);
    return created;
  };
  let primary: pg.Pool;
  let secondary: pg.Pool;

  beforeAll(async () => {
    server = await startPostgres();
    primary = newPool(8);
    secondary = newPool(8);
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end().catch(() => {})));
    await server?.close();
  });

  it("migrates safely when five workers run migrate() at the same time", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        createPostgresJournal({ client: i % 2 ? secondary : primary }).migrate(),
      ),
    );
    for (const result of results) expect(result.isOk()).toBe(true);
    const rows = await primary.query("SELECT count(*)::int AS n FROM crmkit_journal");
    expect(rows.rows[0]?.n).toBe(0);
  });

  describe("conformance (two pg.Pools of 8 connections)", () => {
    runJournalConformance(
      { describe, it },
      {
        name: "postgres journal (pg.Pool)",
        create: () => createPostgresJournal({ client: primary, clock }),
        createSecondConnection: () => createPostgresJournal({ client: secondary, clock }),
        clock,
      },
    );
  });

  it("serves the dead-letter query from the (status, updated_at, event_id) index", async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await client.query("SET enable_seqscan = off");
      const { text, params } = journalSql().list({ statuses: ["dead_letter"], limit: 50, order: "asc" });
      const plan = await client.query(`EXPLAIN ${text}`, params);
      expect(JSON.stringify(plan.rows)).toContain("crmkit_journal_status_updated_at");
    } finally {
      await client.end();
    }
  });

  it("works over a single pg.Client as well as a Pool", async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const journal = createPostgresJournal({ client, clock });
      const eventId = `client-${Date.now()}`;
      (await journal.begin({ eventId, raw: { via: "client" }, status: "dead_letter" }))._unsafeUnwrap();
      const claimed = (
        await journal.update(eventId, { status: "in_progress", replay: true }, { ifStatus: "dead_letter" })
      )._unsafeUnwrap();
      expect([claimed.status, claimed.replays, claimed.version]).toEqual(["in_progress", 1, 2]);
    } finally {
      await client.end();
    }
  });
});
