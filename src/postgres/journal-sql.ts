import type {
  JournalStatus,
  NormalizedJournalFilter,
  NormalizedJournalListOptions,
} from "../journal/index.js";
import { epochMs, quoteIdentifier } from "./sql-names.js";

/** Where the journal table lives. */
export interface JournalSqlOptions {
  /**
   * Schema of the table, created by `migrate()` when missing.
   * @default unqualified (the connection's `search_path`)
   */
  schema?: string | undefined;
  /**
   * Table name (indexes are named after it).
   * @default "crmkit_journal"
   */
  table?: string | undefined;
}

/** A statement with its parameters. */
export interface JournalQuery {
  readonly text: string;
  readonly params: unknown[];
}

/**
 * Every statement the Postgres journal runs, for review and for migrations you manage yourself. JSON travels as
 * text (`$n::text::jsonb`, `col::text`) and times as ISO strings, so `pg`, PGlite and other drivers behave alike.
 */
export interface JournalSql {
  /** The quoted, qualified table name. */
  readonly table: string;
  /** DDL run by `migrate()`, in order; each is idempotent (`IF NOT EXISTS`). */
  readonly migration: readonly string[];
  /** The select list that yields one record per row. */
  readonly columns: string;
  /**
   * $1 event_id, $2 status, $3 idempotency_key, $4 event_type, $5 source_system, $6 raw, $7 event, $8 validation,
   * $9 plan, $10 trace, $11 objects, $12 error, $13 reason, $14 action, $15 replay_of, $16 created/updated at →
   * the new row, or no row when the event id exists.
   */
  readonly insert: string;
  /** $1 event_id → the row. */
  readonly get: string;
  /** $1 event_id, $2 attempt JSON without its number, $3 now → the row with the attempt numbered and appended. */
  readonly appendAttempt: string;
  /**
   * $1 event_id, $2 expected version, $3 status, $4 idempotency_key, $5 event_type, $6 source_system, $7 event,
   * $8 validation, $9 plan, $10 trace, $11 objects, $12 error, $13 reason, $14 action, $15 replays, $16 updated_at
   * $17 the attempt JSON to append without its number, or NULL → the row when the version still matched
   * (compare-and-set), else no row. The attempt is numbered from the array the row holds, as `appendAttempt` does.
   */
  readonly update: string;
  /** $1 event_id → one row when a record was deleted. */
  readonly delete: string;
  /** A page: filters, keyset position, order and `limit + 1` rows (the extra row says whether more follow). */
  list(query: NormalizedJournalListOptions): JournalQuery;
  /** `{ n }` records matching the filter. */
  count(filter: NormalizedJournalFilter): JournalQuery;
  /** Deletes records written before `olderThan` (epoch ms) with one of `statuses` (all when absent) → `{ n }`. */
  purge(olderThan: number, statuses?: readonly JournalStatus[]): JournalQuery;
}

// Filters may use any epoch ms; clamping to years 1–9999 keeps them inside what both Date and timestamptz hold
// without changing which records match.
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_402_300_799_999;

/** An ISO timestamp PostgreSQL parses to the exact millisecond (clamped to the years 1–9999). */
export const isoTime = (epochMs: number): string =>
  new Date(Math.min(MAX_MS, Math.max(MIN_MS, epochMs))).toISOString();

function where(filter: NormalizedJournalFilter, params: unknown[]): string[] {
  const clauses: string[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.statuses !== undefined) {
    clauses.push(
      filter.statuses.length === 0 ? "false" : `status IN (${filter.statuses.map(param).join(", ")})`,
    );
  }
  if (filter.eventType !== undefined) clauses.push(`event_type = ${param(filter.eventType)}`);
  if (filter.since !== undefined) clauses.push(`updated_at >= ${param(isoTime(filter.since))}::timestamptz`);
  if (filter.until !== undefined) clauses.push(`updated_at < ${param(isoTime(filter.until))}::timestamptz`);
  return clauses;
}

const whereText = (clauses: readonly string[]): string =>
  clauses.length === 0 ? "" : ` WHERE ${clauses.join(" AND ")}`;

/**
 * Builds the journal's SQL for a schema and table, validating and quoting both names (a bad name throws a
 * `TypeError` naming the option). Use `migration` in your own migration tool instead of calling `migrate()`.
 *
 * @example
 * const { migration } = journalSql({ schema: "crm", table: "audit" });
 * for (const statement of migration) await db.query(statement);
 */
export function journalSql(options: JournalSqlOptions = {}): JournalSql {
  const name = options.table ?? "crmkit_journal";
  const tableName = quoteIdentifier("table", name);
  const schema = options.schema === undefined ? undefined : quoteIdentifier("schema", options.schema);
  const t = schema === undefined ? tableName : `${schema}.${tableName}`;
  const statusIndex = quoteIdentifier("table", `${name.slice(0, 44)}_status_updated_at`);
  const updatedIndex = quoteIdentifier("table", `${name.slice(0, 44)}_updated_at`);
  const columns = `event_id, version, status, idempotency_key, event_type, source_system, raw::text AS raw,
       event::text AS event, validation::text AS validation, plan::text AS plan, trace::text AS trace,
       objects::text AS objects, attempts::text AS attempts, error::text AS error, reason, action, replay_of, replays,
       ${epochMs("created_at")} AS created_at, ${epochMs("updated_at")} AS updated_at`;
  return {
    table: t,
    columns,
    migration: [
      ...(schema === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS ${schema}`]),
      // event_id sorts bytewise (COLLATE "C") so list order and cursors agree with every other journal.
      `CREATE TABLE IF NOT EXISTS ${t} (
  event_id text COLLATE "C" PRIMARY KEY CHECK (char_length(event_id) BETWEEN 1 AND 512),
  version integer NOT NULL,
  status text NOT NULL,
  idempotency_key text,
  event_type text,
  source_system text,
  raw jsonb NOT NULL,
  event jsonb,
  validation jsonb NOT NULL,
  plan jsonb,
  trace jsonb,
  objects jsonb NOT NULL DEFAULT '[]'::jsonb,
  attempts jsonb NOT NULL DEFAULT '[]'::jsonb,
  error jsonb,
  reason text,
  action text,
  replay_of text,
  replays integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
)`,
      `CREATE INDEX IF NOT EXISTS ${statusIndex} ON ${t} (status, updated_at, event_id)`,
      `CREATE INDEX IF NOT EXISTS ${updatedIndex} ON ${t} (updated_at, event_id)`,
    ],
    insert: `INSERT INTO ${t} (event_id, version, status, idempotency_key, event_type, source_system, raw, event,
                 validation, plan, trace, objects, error, reason, action, replay_of, replays, created_at, updated_at)
VALUES ($1, 1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, $8::text::jsonb, $9::text::jsonb, $10::text::jsonb,
        $11::text::jsonb, $12::text::jsonb, $13, $14, $15, 0, $16::timestamptz, $16::timestamptz)
ON CONFLICT (event_id) DO NOTHING
RETURNING ${columns}`,
    get: `SELECT ${columns} FROM ${t} WHERE event_id = $1`,
    // One statement, so the row lock serializes concurrent appends and each numbers its attempt from the
    // array it actually extends: no attempt is lost or numbered twice.
    appendAttempt: `UPDATE ${t}
   SET attempts = attempts || jsonb_build_array($2::text::jsonb || jsonb_build_object('attempt', jsonb_array_length(attempts) + 1)),
       version = version + 1,
       updated_at = greatest(updated_at, $3::timestamptz)
 WHERE event_id = $1
RETURNING ${columns}`,
    update: `UPDATE ${t}
   SET version = version + 1, status = $3, idempotency_key = $4, event_type = $5, source_system = $6,
       event = $7::text::jsonb, validation = $8::text::jsonb, plan = $9::text::jsonb, trace = $10::text::jsonb,
       objects = $11::text::jsonb, error = $12::text::jsonb, reason = $13, action = $14, replays = $15,
       updated_at = greatest(updated_at, $16::timestamptz),
       attempts = CASE WHEN $17::text IS NULL THEN attempts
         ELSE attempts || jsonb_build_array($17::text::jsonb || jsonb_build_object('attempt', jsonb_array_length(attempts) + 1))
       END
 WHERE event_id = $1 AND version = $2
RETURNING ${columns}`,
    delete: `DELETE FROM ${t} WHERE event_id = $1 RETURNING 1 AS deleted`,
    list(query) {
      const params: unknown[] = [];
      const clauses = where(query, params);
      const direction = query.order === "asc" ? "ASC" : "DESC";
      if (query.after !== undefined) {
        params.push(isoTime(query.after.updatedAt), query.after.eventId);
        const operator = query.order === "asc" ? ">" : "<";
        clauses.push(
          `(updated_at, event_id) ${operator} ($${params.length - 1}::timestamptz, $${params.length})`,
        );
      }
      params.push(query.limit + 1);
      return {
        text: `SELECT ${columns} FROM ${t}${whereText(clauses)}
 ORDER BY updated_at ${direction}, event_id ${direction} LIMIT $${params.length}`,
        params,
      };
    },
    count(filter) {
      const params: unknown[] = [];
      return { text: `SELECT count(*)::int AS n FROM ${t}${whereText(where(filter, params))}`, params };
    },
    purge(olderThan, statuses) {
      const params: unknown[] = [];
      const clauses = where(statuses === undefined ? {} : { statuses }, params);
      params.push(isoTime(olderThan));
      clauses.push(`updated_at < $${params.length}::timestamptz`);
      return {
        text: `WITH d AS (DELETE FROM ${t}${whereText(clauses)} RETURNING 1) SELECT count(*)::int AS n FROM d`,
        params,
      };
    },
  };
}
