/**
 * PostgreSQL backends for crmkit. Bring your own `pg.Pool`, `pg.Client` or PGlite instance.
 * @module
 */
export { type IdempotencySql, type IdempotencySqlOptions, idempotencySql } from "./idempotency-sql.js";
export {
  createPostgresIdempotencyStore,
  type PostgresIdempotencyStore,
  type PostgresIdempotencyStoreOptions,
} from "./idempotency-store.js";
export { createPostgresJournal, type PostgresJournal, type PostgresJournalOptions } from "./journal.js";
export { type JournalQuery, type JournalSql, type JournalSqlOptions, journalSql } from "./journal-sql.js";
export type { PgQueryable, PgQueryResult } from "./pg-like.js";
