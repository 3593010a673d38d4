/** The part of a query result crmkit reads: the rows (it always uses `RETURNING` or `SELECT`). */
export interface PgQueryResult {
  rows: unknown[];
}

/**
 * Any PostgreSQL client crmkit can use, by shape: a `pg.Pool`, a `pg.Client`, a `PGlite` instance, or anything
 * with `query(text, params)` resolving to `{ rows }`. crmkit never connects or ends it; the lifecycle is yours.
 * Each call should run as its own autocommit statement (a `pg.Pool` does that); do not pass a client that is
 * inside an open transaction, or acquired rows stay locked until that transaction ends.
 *
 * @example
 * import pg from "pg";
 * const store = createPostgresIdempotencyStore({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 */
export interface PgQueryable {
  query(text: string, params?: unknown[]): Promise<PgQueryResult>;
}
