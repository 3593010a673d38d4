import { randomUUID } from "node:crypto";
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import {
  type AcquireOutcome,
  type AcquireRequest,
  type Checkpoint,
  checkAcquireRequest,
  checkLease,
  DEFAULT_MAX_RESULT_BYTES,
  decodeStoredJson,
  encodeCheckpoint,
  encodeFailure,
  encodeStoredJson,
  type IdempotencyError,
  type IdempotencyRecord,
  type IdempotencyState,
  type IdempotencyStore,
  idempotencyError,
  type Lease,
  type SerializedError,
  storeUnavailable,
} from "../idempotency/index.js";
import { type IdempotencySql, idempotencySql } from "./idempotency-sql.js";
import type { PgQueryable } from "./pg-like.js";
import { runMigration } from "./run-migration.js";

/** Options for {@link createPostgresIdempotencyStore}. */
export interface PostgresIdempotencyStoreOptions {
  /** Your `pg.Pool`, `pg.Client` or PGlite instance; crmkit never connects or ends it. */
  client: PgQueryable;
  /** Schema of the table; unqualified (the `search_path`) when absent. */
  schema?: string | undefined;
  /** Table name. @default "crmkit_idempotency" */
  table?: string | undefined;
  /** Largest result, checkpoint or error accepted, in UTF-8 bytes of JSON. @default 262_144 (256 KiB) */
  maxResultBytes?: number | undefined;
}

/** The Postgres store: an {@link IdempotencyStore} plus its migration and SQL. */
export interface PostgresIdempotencyStore extends IdempotencyStore {
  /** Creates the schema (if given), table and expiry index when missing; safe to run on every start. */
  migrate(): ResultAsync<void, IdempotencyError>;
  /** Every statement this store runs. */
  readonly sql: IdempotencySql;
}

interface RecordRow {
  state: IdempotencyState;
  fingerprint: string;
  attempt: number;
  checkpoint: string | null;
  result: string | null;
  error: string | null;
  lease_expires_at: number | null;
  created_at: number;
  expires_at: number;
  now: number;
  expired: boolean;
  lease_live: boolean;
}

interface AcquireRow {
  attempt: number;
  checkpoint: string | null;
  lease_expires_at: number;
}

interface OwnedRow {
  updated: number;
  value: number | null;
  state: IdempotencyState | "missing" | null;
}

// A duplicate that lost the INSERT race re-reads the row; if that row changed again in between (expired,
// released, deleted) the acquire is retried a few times before reporting in_progress.
const ACQUIRE_ROUNDS = 4;

/**
 * A distributed {@link IdempotencyStore} on PostgreSQL (≥ 12; PGlite works too): acquire is one
 * `INSERT … ON CONFLICT … WHERE … RETURNING` statement, every owner write is one fenced `UPDATE … WHERE
 * owner_token = …`, `now()` is the only clock, and `purgeExpired` deletes in `SKIP LOCKED` batches. Call
 * `migrate()` once (or run `sql.migration` in your own migrations). Query failures are `StoreUnavailable`.
 *
 * @example
 * import pg from "pg";
 * const store = createPostgresIdempotencyStore({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * (await store.migrate())._unsafeUnwrap();
 */
export function createPostgresIdempotencyStore(
  options: PostgresIdempotencyStoreOptions,
): PostgresIdempotencyStore {
  const client = options.client;
  if (typeof client?.query !== "function") {
    throw new TypeError(
      "createPostgresIdempotencyStore: option `client` must have `query(text, params)` (pg.Pool, pg.Client, PGlite)",
    );
  }
  const maxBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new TypeError(
      `createPostgresIdempotencyStore: option \`maxResultBytes\` must be a positive integer, got ${maxBytes}`,
    );
  }
  const sql = idempotencySql({ schema: options.schema, table: options.table });
  let closed = false;

  const query = <R>(text: string, params: unknown[]): ResultAsync<R[], IdempotencyError> => {
    if (closed) {
      return errAsync(
        idempotencyError(
          "StoreUnavailable",
          { store: "postgres" },
          "The Postgres idempotency store is closed",
        ),
      );
    }
    return ResultAsync.fromPromise(client.query(text, params), (error) =>
      storeUnavailable("postgres", error),
    ).map((result) => result.rows as R[]);
  };

  const toRecord = (scope: string, key: string, row: RecordRow): IdempotencyRecord => {
    const record: { -readonly [K in keyof IdempotencyRecord]: IdempotencyRecord[K] } = {
      scope,
      key,
      fingerprint: row.fingerprint,
      state: row.state,
      attempt: Number(row.attempt),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
    if (row.checkpoint !== null) record.checkpoint = JSON.parse(row.checkpoint) as Checkpoint;
    if (row.result !== null) record.result = decodeStoredJson(row.result);
    if (row.error !== null) record.error = JSON.parse(row.error) as SerializedError;
    if (row.state === "in_progress" && row.lease_expires_at !== null) {
      record.leaseExpiresAt = Number(row.lease_expires_at);
    }
    return record;
  };

  const attemptAcquire = (
    request: AcquireRequest,
    token: string,
    round: number,
  ): ResultAsync<AcquireOutcome, IdempotencyError> => {
    const { scope, key } = request;
    return query<AcquireRow>(sql.acquire, [
      scope,
      key,
      request.fingerprint,
      token,
      request.leaseMs,
      request.ttlMs,
    ]).andThen((rows): ResultAsync<AcquireOutcome, IdempotencyError> => {
      const row = rows[0];
      if (row !== undefined) {
        const attempt = Number(row.attempt);
        const lease: Lease = {
          scope,
          key,
          token,
          attempt,
          leaseMs: request.leaseMs,
          expiresAt: Number(row.lease_expires_at),
        };
        return okAsync(
          row.checkpoint === null
            ? { kind: "acquired", lease, takeover: attempt > 1 }
            : {
                kind: "acquired",
                lease,
                takeover: attempt > 1,
                checkpoint: JSON.parse(row.checkpoint) as Checkpoint,
              },
        );
      }
      return query<RecordRow>(sql.get, [scope, key]).andThen(
        (found): ResultAsync<AcquireOutcome, IdempotencyError> => {
          const current = found[0];
          const changed = current === undefined || current.expired;
          if (!changed && current.fingerprint !== request.fingerprint) {
            return errAsync(idempotencyError("FingerprintMismatch", { scope, key }));
          }
          if (!changed && current.state === "completed") {
            return okAsync({ kind: "completed", record: toRecord(scope, key, current) });
          }
          if (!changed && current.state === "failed") {
            return okAsync({ kind: "failed", record: toRecord(scope, key, current) });
          }
          if (!changed && current.state === "in_progress" && current.lease_live) {
            const retryAfterMs = Math.max(1, Number(current.lease_expires_at) - Number(current.now));
            return okAsync({ kind: "in_progress", retryAfterMs, attempt: Number(current.attempt) });
          }
          if (round + 1 < ACQUIRE_ROUNDS) return attemptAcquire(request, token, round + 1);
          return okAsync({ kind: "in_progress", retryAfterMs: 1, attempt: Number(current?.attempt ?? 1) });
        },
      );
    });
  };

  const owned = (lease: Lease, text: string, params: unknown[]): ResultAsync<OwnedRow, IdempotencyError> => {
    const invalid = checkLease(lease);
    if (invalid !== undefined) return errAsync(invalid);
    return query<OwnedRow>(text, [lease.scope, lease.key, lease.token, ...params]).andThen((rows) => {
      const row = rows[0];
      if (row !== undefined && Number(row.updated) === 1) return okAsync(row);
      return errAsync(
        idempotencyError("LeaseLost", { scope: lease.scope, key: lease.key, state: row?.state ?? "missing" }),
      );
    });
  };

  return {
    sql,
    migrate() {
      return ResultAsync.fromPromise(runMigration(client, sql.migration), (cause) =>
        storeUnavailable("postgres", cause),
      );
    },
    acquire(request) {
      const invalid = checkAcquireRequest(request);
      if (invalid !== undefined) return errAsync(invalid);
      return attemptAcquire(request, randomUUID(), 0);
    },
    renew(lease, leaseMs) {
      const ms = leaseMs ?? lease?.leaseMs;
      const invalid = checkLease(lease, ms);
      if (invalid !== undefined) return errAsync(invalid);
      return owned(lease, sql.renew, [ms]).map((row) => ({
        ...lease,
        leaseMs: ms,
        expiresAt: Number(row.value),
      }));
    },
    checkpoint(lease, checkpoint) {
      const encoded = encodeCheckpoint(checkpoint, maxBytes);
      if (encoded.isErr()) return errAsync(encoded.error);
      return owned(lease, sql.checkpoint, [encoded.value]).map(() => undefined);
    },
    complete(lease, result) {
      const encoded = encodeStoredJson(result, maxBytes);
      if (encoded.isErr()) return errAsync(encoded.error);
      return owned(lease, sql.complete, [encoded.value ?? null]).map(() => undefined);
    },
    fail(lease, failure) {
      const encoded = encodeFailure(failure, maxBytes);
      if (encoded.isErr()) return errAsync(encoded.error);
      return owned(lease, sql.fail, [failure.retryable ? "released" : "failed", encoded.value]).map(
        () => undefined,
      );
    },
    release(lease) {
      return owned(lease, sql.release, []).map(() => undefined);
    },
    get(scope, key) {
      return query<RecordRow>(sql.get, [scope, key]).map((rows) => {
        const row = rows[0];
        return row === undefined || row.expired ? undefined : toRecord(scope, key, row);
      });
    },
    delete(scope, key) {
      return query(sql.delete, [scope, key]).map((rows) => rows.length > 0);
    },
    purgeExpired(purge = {}) {
      const batchSize = purge.batchSize ?? 1000;
      const maxBatches = purge.maxBatches ?? Number.POSITIVE_INFINITY;
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
        return errAsync(idempotencyError("InvalidInput", { field: "batchSize" }));
      }
      const loop = (done: number, batches: number): ResultAsync<number, IdempotencyError> =>
        query<{ n: number }>(sql.purgeBatch, [batchSize]).andThen((rows) => {
          const n = Number(rows[0]?.n ?? 0);
          const total = done + n;
          return n < batchSize || batches + 1 >= maxBatches ? okAsync(total) : loop(total, batches + 1);
        });
      return loop(0, 0);
    },
    async close() {
      closed = true;
    },
  };
}
