import { errAsync, okAsync, type Result, ResultAsync } from "neverthrow";
import type { CrmError } from "../errors/index.js";
import { type Clock, systemClock } from "../internal/clock.js";
import {
  type AuditAttempt,
  type AuditRecord,
  applyAuditPatch,
  checkEventId,
  createAuditRecord,
  encodeJournalCursor,
  type Journal,
  type JournalPage,
  journalError,
  normalizeJournalFilter,
  normalizeJournalListOptions,
  normalizeJournalPurge,
  prepareAttempt,
} from "../journal/index.js";
import { isoTime, type JournalSql, type JournalSqlOptions, journalSql } from "./journal-sql.js";
import type { PgQueryable } from "./pg-like.js";
import { runMigration } from "./run-migration.js";

/** Options of {@link createPostgresJournal}. */
export interface PostgresJournalOptions extends JournalSqlOptions {
  /** Your `pg.Pool`, `pg.Client` or `PGlite`; crmkit never connects or ends it. */
  client: PgQueryable;
  /**
   * Where `createdAt`/`updatedAt` come from. Use one clock across workers' journals (the system clock in
   * production) so list order follows real time.
   * @default systemClock
   */
  clock?: Clock | undefined;
  /**
   * Exact secret values (tokens, client secrets) to scrub from everything stored, on top of the key- and
   * pattern-based redaction that always applies.
   * @default []
   */
  secrets?: readonly string[] | undefined;
}

/** A {@link Journal} in PostgreSQL, with its migration. */
export interface PostgresJournal extends Journal {
  /** Creates the schema (when given), the table and its indexes if missing; safe to run from every worker. */
  migrate(): ResultAsync<void, CrmError>;
  /** The statements this journal runs. */
  readonly sql: JournalSql;
}

interface Row {
  event_id: string;
  version: number;
  status: AuditRecord["status"];
  idempotency_key: string | null;
  event_type: string | null;
  source_system: string | null;
  raw: string;
  event: string | null;
  validation: string;
  plan: string | null;
  trace: string | null;
  objects: string;
  attempts: string;
  error: string | null;
  reason: string | null;
  action: string | null;
  replay_of: string | null;
  replays: number;
  created_at: number;
  updated_at: number;
}

// Compare-and-set rounds per update; each lost round means another write to the same record committed.
const MAX_UPDATE_ROUNDS = 64;

function toRecord(row: Row): AuditRecord {
  const record: Record<string, unknown> = {
    eventId: row.event_id,
    version: Number(row.version),
    status: row.status,
    raw: JSON.parse(row.raw),
    validation: JSON.parse(row.validation),
    objects: JSON.parse(row.objects),
    attempts: JSON.parse(row.attempts),
    replays: Number(row.replays),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  const optional: Array<[string, string | null, boolean]> = [
    ["idempotencyKey", row.idempotency_key, false],
    ["eventType", row.event_type, false],
    ["sourceSystem", row.source_system, false],
    ["event", row.event, true],
    ["plan", row.plan, true],
    ["trace", row.trace, true],
    ["error", row.error, true],
    ["reason", row.reason, false],
    ["action", row.action, false],
    ["replayOf", row.replay_of, false],
  ];
  for (const [key, value, json] of optional) {
    if (value !== null && value !== undefined) record[key] = json ? JSON.parse(value) : value;
  }
  return record as unknown as AuditRecord;
}

const jsonText = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

// The parameters insert and update both bind, in the order of their columns: event, validation, plan, trace,
// objects, error, reason, action.
const partParams = (r: AuditRecord): unknown[] => [
  jsonText(r.event),
  jsonText(r.validation),
  jsonText(r.plan),
  jsonText(r.trace),
  jsonText(r.objects),
  jsonText(r.error),
  r.reason ?? null,
  r.action ?? null,
];

const withoutNumber = (attempt: AuditAttempt | undefined): Omit<AuditAttempt, "attempt"> | undefined => {
  if (attempt === undefined) return undefined;
  const { attempt: _number, ...rest } = attempt;
  return rest;
};

// Driver errors can quote a connection string; its user-info (`user:password@`) never reaches a CrmError.
function scrubbed(cause: unknown): Error {
  const source = cause instanceof Error ? cause : new Error(String(cause));
  const copy = new Error(source.message.replace(/\/\/[^/@\s]*@/g, "//[REDACTED]@"));
  copy.name = source.name;
  return copy;
}

function failure(cause: unknown): CrmError {
  const code = typeof cause === "object" && cause !== null ? (cause as { code?: unknown }).code : undefined;
  // 42P01 undefined_table, 3F000 invalid_schema_name, 42703 undefined_column (a table from another version).
  if (code === "42P01" || code === "3F000" || code === "42703") {
    return journalError(
      "journal_not_migrated",
      "The journal table is missing or outdated; run journal.migrate() or apply journalSql().migration",
      scrubbed(cause),
    );
  }
  return journalError("journal_unavailable", "The PostgreSQL journal could not run a query", scrubbed(cause));
}

/**
 * A {@link Journal} in PostgreSQL (≥ 12; also PGlite) over a client you own. Records are rows with JSONB columns,
 * indexed on `(status, updated_at, event_id)` for dead-letter queries. Attempts are appended by a single
 * statement, so concurrent workers never lose one; other updates are compare-and-set on `version`, retried
 * when another write got there first. Run `migrate()` once (or apply `journalSql().migration` yourself).
 *
 * @example
 * import pg from "pg";
 * import { createPostgresJournal } from "crmkit/postgres";
 * const journal = createPostgresJournal({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * await journal.migrate();
 * const deadLetters = await journal.list({ status: "dead_letter", limit: 50 });
 */
export function createPostgresJournal(options: PostgresJournalOptions): PostgresJournal {
  const client = options?.client;
  if (typeof client !== "object" || client === null || typeof client.query !== "function") {
    throw new TypeError(
      "createPostgresJournal: option `client` must have query(text, params) (a pg Pool/Client or PGlite)",
    );
  }
  const sql = journalSql(options);
  const clock = options.clock ?? systemClock;
  const redaction = { secrets: options.secrets ?? [] };
  let closed = false;

  const query = <T>(text: string, params: unknown[] = []): ResultAsync<T[], CrmError> =>
    closed
      ? errAsync(journalError("journal_unavailable", "The journal is closed"))
      : ResultAsync.fromPromise(
          client.query(text, params).then((result) => result.rows as T[]),
          failure,
        );
  const guard = <T>(body: () => ResultAsync<T, CrmError> | Result<T, CrmError>): ResultAsync<T, CrmError> => {
    if (closed) return errAsync(journalError("journal_unavailable", "The journal is closed"));
    const result = body();
    return result instanceof ResultAsync ? result : new ResultAsync(Promise.resolve(result));
  };
  const get = (eventId: string): ResultAsync<AuditRecord | undefined, CrmError> =>
    query<Row>(sql.get, [eventId]).map((rows) => (rows[0] === undefined ? undefined : toRecord(rows[0])));
  const notFound = (eventId: string): CrmError =>
    journalError("journal_not_found", `No audit record for event ${eventId}`);

  const update: Journal["update"] = (eventId, patch, updateOptions) =>
    guard(() =>
      checkEventId(eventId).asyncAndThen((id) => {
        const round = (n: number): ResultAsync<AuditRecord, CrmError> =>
          get(id).andThen((current) => {
            if (current === undefined) return errAsync(notFound(id));
            const next = applyAuditPatch(current, patch ?? {}, clock.now(), updateOptions, redaction);
            if (next.isErr()) return errAsync(next.error);
            const r = next.value;
            return query<Row>(sql.update, [
              id,
              current.version,
              r.status,
              r.idempotencyKey ?? null,
              r.eventType ?? null,
              r.sourceSystem ?? null,
              ...partParams(r),
              r.replays,
              isoTime(r.updatedAt),
              // The patch's attempt as applyAuditPatch checked, redacted and appended it, without its number.
              patch?.attempt === undefined
                ? null
                : jsonText(withoutNumber(r.attempts[r.attempts.length - 1])),
            ]).andThen((rows) => {
              if (rows[0] !== undefined) return okAsync(toRecord(rows[0]));
              if (n + 1 >= MAX_UPDATE_ROUNDS) {
                return errAsync(
                  journalError("journal_conflict", `Audit record ${id} kept changing; update not applied`),
                );
              }
              return round(n + 1);
            });
          });
        return round(0);
      }),
    );

  return {
    sql,
    migrate: () =>
      ResultAsync.fromPromise(runMigration(client, sql.migration), (cause) =>
        journalError("journal_unavailable", "The journal migration failed", scrubbed(cause)),
      ),
    begin: (input) =>
      guard(() =>
        createAuditRecord(input, clock.now(), redaction).asyncAndThen((r) =>
          query<Row>(sql.insert, [
            r.eventId,
            r.status,
            r.idempotencyKey ?? null,
            r.eventType ?? null,
            r.sourceSystem ?? null,
            jsonText(r.raw),
            ...partParams(r),
            r.replayOf ?? null,
            isoTime(r.createdAt),
          ]).andThen((rows) => {
            if (rows[0] !== undefined) return okAsync({ record: toRecord(rows[0]), created: true });
            // The event id exists (a duplicate delivery): report the stored record, unchanged.
            return get(r.eventId).andThen((existing) =>
              existing === undefined
                ? errAsync(
                    journalError(
                      "journal_conflict",
                      `Audit record ${r.eventId} was deleted while it was created`,
                    ),
                  )
                : okAsync({ record: existing, created: false }),
            );
          }),
        ),
      ),
    appendAttempt: (eventId, attempt) =>
      guard(() =>
        checkEventId(eventId)
          .andThen((id) => prepareAttempt(attempt, redaction).map((prepared) => ({ id, prepared })))
          .asyncAndThen(({ id, prepared }) =>
            query<Row>(sql.appendAttempt, [id, JSON.stringify(prepared), isoTime(clock.now())]).andThen(
              (rows) => (rows[0] === undefined ? errAsync(notFound(id)) : okAsync(toRecord(rows[0]))),
            ),
          ),
      ),
    update,
    get: (eventId) => guard(() => checkEventId(eventId).asyncAndThen(get)),
    list: (listOptions) =>
      guard(() =>
        normalizeJournalListOptions(listOptions).asyncAndThen((normalized) => {
          const { text, params } = sql.list(normalized);
          return query<Row>(text, params).map((rows): JournalPage => {
            const records = rows.slice(0, normalized.limit).map(toRecord);
            const last = records[records.length - 1];
            return rows.length > normalized.limit && last !== undefined
              ? { records, nextCursor: encodeJournalCursor(last) }
              : { records };
          });
        }),
      ),
    count: (filter) =>
      guard(() =>
        normalizeJournalFilter(filter).asyncAndThen((normalized) => {
          const { text, params } = sql.count(normalized);
          return query<{ n: number }>(text, params).map((rows) => Number(rows[0]?.n ?? 0));
        }),
      ),
    delete: (eventId) =>
      guard(() =>
        checkEventId(eventId).asyncAndThen((id) => query(sql.delete, [id]).map((rows) => rows.length > 0)),
      ),
    purge: (purgeOptions) =>
      guard(() =>
        normalizeJournalPurge(purgeOptions).asyncAndThen(({ olderThan, statuses }) => {
          const { text, params } = sql.purge(olderThan, statuses);
          return query<{ n: number }>(text, params).map((rows) => Number(rows[0]?.n ?? 0));
        }),
      ),
    close: () => {
      closed = true;
      return okAsync(undefined);
    },
  };
}
