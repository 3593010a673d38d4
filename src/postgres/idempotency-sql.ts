import { epochMs, quoteIdentifier } from "./sql-names.js";

/** Where the idempotency table lives. */
export interface IdempotencySqlOptions {
  /** Schema of the table; unqualified (the `search_path`) when absent. */
  schema?: string | undefined;
  /** Table name. @default "crmkit_idempotency" */
  table?: string | undefined;
}

/** Every statement the Postgres idempotency store runs, for review and for migrations you manage yourself. */
export interface IdempotencySql {
  /** The quoted, qualified table name. */
  readonly table: string;
  /** DDL run by `migrate()`, in order; each is idempotent (`IF NOT EXISTS`). */
  readonly migration: readonly string[];
  /** $1 scope, $2 key, $3 fingerprint, $4 token, $5 leaseMs, $6 ttlMs → a row iff the caller now holds the lease. */
  readonly acquire: string;
  /** $1 scope, $2 key → the record with the server's `now` and liveness flags. */
  readonly get: string;
  /** $1 scope, $2 key, $3 token, $4 leaseMs. */
  readonly renew: string;
  /** $1 scope, $2 key, $3 token, $4 checkpoint JSON text. */
  readonly checkpoint: string;
  /** $1 scope, $2 key, $3 token, $4 result JSON text or NULL. */
  readonly complete: string;
  /** $1 scope, $2 key, $3 token, $4 `'released'` or `'failed'`, $5 error JSON text. */
  readonly fail: string;
  /** $1 scope, $2 key, $3 token. */
  readonly release: string;
  /** $1 scope, $2 key → one row per deleted record. */
  readonly delete: string;
  /** $1 batch size → `{ n }` records deleted in this batch. */
  readonly purgeBatch: string;
}

/**
 * Builds the idempotency store's SQL for a schema and table, validating and quoting both names. Use
 * `migration` in your own migration tool instead of calling `migrate()`.
 *
 * @example
 * const { migration } = idempotencySql({ schema: "crm", table: "idempotency" });
 * for (const statement of migration) await db.query(statement);
 */
export function idempotencySql(options: IdempotencySqlOptions = {}): IdempotencySql {
  const tableName = quoteIdentifier("table", options.table ?? "crmkit_idempotency");
  const schema = options.schema === undefined ? undefined : quoteIdentifier("schema", options.schema);
  const t = schema === undefined ? tableName : `${schema}.${tableName}`;
  const indexName = quoteIdentifier(
    "table",
    `${(options.table ?? "crmkit_idempotency").slice(0, 52)}_expires_at`,
  );
  const owned = (set: string, returning = "1 AS ok"): string => `WITH u AS (
  UPDATE ${t} SET ${set}, updated_at = now()
   WHERE scope = $1 AND key = $2 AND owner_token = $3::text AND state = 'in_progress' AND expires_at > now()
  RETURNING ${returning})
SELECT (SELECT count(*) FROM u)::int AS updated, (SELECT ${returning.includes("lease_expires_at") ? "lease_expires_at" : "ok"} FROM u) AS value,
       (SELECT CASE WHEN expires_at <= now() THEN 'missing' ELSE state END FROM ${t} WHERE scope = $1 AND key = $2) AS state`;
  const millis = "$4::float8 * interval '1 millisecond'";
  return {
    table: t,
    migration: [
      ...(schema === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS ${schema}`]),
      `CREATE TABLE IF NOT EXISTS ${t} (
  scope text NOT NULL CHECK (char_length(scope) BETWEEN 1 AND 255),
  key text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
  fingerprint text NOT NULL,
  state text NOT NULL CHECK (state IN ('in_progress', 'completed', 'failed', 'released')),
  owner_token text,
  attempt integer NOT NULL DEFAULT 1,
  lease_ms bigint NOT NULL,
  lease_expires_at timestamptz,
  checkpoint jsonb,
  result jsonb,
  error jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
)`,
      `CREATE INDEX IF NOT EXISTS ${indexName} ON ${t} (expires_at)`,
    ],
    // One statement: a new key inserts; an expired record starts over; a crashed or released attempt with the
    // same fingerprint is taken over. Anything else matches the WHERE false and returns no row. Under READ
    // COMMITTED a concurrent duplicate waits for the first insert to commit and then re-checks the WHERE against
    // it, so exactly one caller gets a row.
    acquire: `INSERT INTO ${t} AS r (scope, key, fingerprint, state, owner_token, attempt, lease_ms, lease_expires_at,
                 created_at, updated_at, expires_at)
VALUES ($1, $2, $3, 'in_progress', $4::text, 1, $5::bigint, now() + $5::float8 * interval '1 millisecond', now(), now(),
        now() + $6::float8 * interval '1 millisecond')
ON CONFLICT (scope, key) DO UPDATE SET
  state = 'in_progress',
  owner_token = EXCLUDED.owner_token,
  lease_ms = EXCLUDED.lease_ms,
  lease_expires_at = EXCLUDED.lease_expires_at,
  updated_at = now(),
  error = NULL,
  result = NULL,
  fingerprint = EXCLUDED.fingerprint,
  attempt = CASE WHEN r.expires_at <= now() THEN 1 ELSE r.attempt + 1 END,
  checkpoint = CASE WHEN r.expires_at <= now() THEN NULL ELSE r.checkpoint END,
  created_at = CASE WHEN r.expires_at <= now() THEN now() ELSE r.created_at END,
  expires_at = CASE WHEN r.expires_at <= now() THEN EXCLUDED.expires_at
                    ELSE greatest(r.expires_at, EXCLUDED.lease_expires_at) END
WHERE r.expires_at <= now()
   OR (r.fingerprint = EXCLUDED.fingerprint
       AND (r.state = 'released' OR (r.state = 'in_progress' AND r.lease_expires_at <= now())))
RETURNING r.attempt, r.checkpoint::text AS checkpoint, ${epochMs("r.lease_expires_at")} AS lease_expires_at`,
    get: `SELECT state, fingerprint, attempt, checkpoint::text AS checkpoint, result::text AS result, error::text AS error,
       ${epochMs("lease_expires_at")} AS lease_expires_at, ${epochMs("created_at")} AS created_at,
       ${epochMs("expires_at")} AS expires_at, ${epochMs("now()")} AS now,
       expires_at <= now() AS expired, coalesce(lease_expires_at > now(), false) AS lease_live
  FROM ${t} WHERE scope = $1 AND key = $2`,
    renew: owned(
      `lease_ms = $4::bigint, lease_expires_at = now() + ${millis}, expires_at = greatest(expires_at, now() + ${millis})`,
      `${epochMs("lease_expires_at")} AS lease_expires_at`,
    ),
    checkpoint: owned("checkpoint = $4::text::jsonb"),
    complete: owned(
      "state = 'completed', result = $4::text::jsonb, owner_token = NULL, lease_expires_at = NULL",
    ),
    fail: owned("state = $4::text, error = $5::text::jsonb, owner_token = NULL, lease_expires_at = NULL"),
    release: owned("state = 'released', owner_token = NULL, lease_expires_at = NULL"),
    delete: `DELETE FROM ${t} WHERE scope = $1 AND key = $2 RETURNING 1 AS deleted`,
    // Brandur-style reaper: small batches, and SKIP LOCKED so it never waits on (or blocks) a live acquire.
    purgeBatch: `WITH d AS (
  DELETE FROM ${t} WHERE ctid IN (
    SELECT ctid FROM ${t} WHERE expires_at <= now() LIMIT $1::int FOR UPDATE SKIP LOCKED)
  AND expires_at <= now()
  RETURNING 1)
SELECT count(*)::int AS n FROM d`,
  };
}
