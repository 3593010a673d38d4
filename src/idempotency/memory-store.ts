import { randomUUID } from "node:crypto";
import { errAsync, okAsync, type ResultAsync } from "neverthrow";
import { type Clock, systemClock } from "../internal/clock.js";
import {
  checkAcquireRequest,
  checkLease,
  checkpointValue,
  DEFAULT_MAX_RESULT_BYTES,
  encodeFailure,
} from "./codec.js";
import { type IdempotencyError, idempotencyError } from "./errors.js";
import { readSnapshot, SnapshotRefused, snapshotJson } from "./json-snapshot.js";
import { createMemoryTable, isEntry, type MemoryEntry } from "./memory-table.js";
import type {
  AcquireOutcome,
  AcquireRequest,
  Checkpoint,
  FailureInput,
  IdempotencyRecord,
  IdempotencyStore,
  Lease,
  SerializedError,
} from "./types.js";

/** Options for {@link createMemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** The store's clock; all lease and TTL math uses it. @default systemClock */
  clock?: Clock | undefined;
  /**
   * Most records kept. When full, the oldest completed/failed record goes first, then any expired record, then
   * the oldest released one; records with a lease are never evicted, so a store full of live leases refuses new keys with
   * `StoreUnavailable` (fail closed) instead of forgetting work in flight.
   * @default 100_000
   */
  maxEntries?: number | undefined;
  /** Largest result, checkpoint or error accepted, in UTF-8 bytes of JSON. @default 262_144 (256 KiB) */
  maxResultBytes?: number | undefined;
}

/**
 * An in-process {@link IdempotencyStore}: atomic per key within one Node process (every operation runs to
 * completion synchronously), lazily expiring records plus an amortised sweep, and bounded by `maxEntries`.
 * Use it for tests and single-process deployments; use the Redis or Postgres store when several processes
 * receive the same events.
 *
 * @example
 * const store = createMemoryIdempotencyStore({ maxEntries: 10_000 });
 * const outcome = await runIdempotent(store, "hubspot:123:lead", event.event_id, event, () => sync(event));
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  const clock = options.clock ?? systemClock;
  const maxEntries = options.maxEntries ?? 100_000;
  const maxBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError(
      `createMemoryIdempotencyStore: option \`maxEntries\` must be a positive integer, got ${maxEntries}`,
    );
  }
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new TypeError(
      `createMemoryIdempotencyStore: option \`maxResultBytes\` must be a positive integer, got ${maxBytes}`,
    );
  }
  const table = createMemoryTable();
  let closed = false;
  // Writes that answer nothing share one settled result instead of allocating a promise and two wrappers each.
  const done: ResultAsync<void, IdempotencyError> = okAsync(undefined);
  // Fencing compares tokens for equality within this store, so a per-store random prefix and a counter make
  // them unique without a crypto.randomUUID per acquire (its buffer refills and hex formatting were ~5% of an
  // acquire+complete).
  const tokenPrefix = `${randomUUID()}:`;
  let tokens = 0;

  const toRecord = (entry: MemoryEntry): IdempotencyRecord => {
    const record: {
      -readonly [K in keyof IdempotencyRecord]: IdempotencyRecord[K];
    } = {
      scope: entry.scope,
      key: entry.key,
      fingerprint: entry.fingerprint,
      state: entry.state,
      attempt: entry.attempt,
      createdAt: entry.createdAt,
      expiresAt: entry.expiresAt,
    };
    if (entry.checkpoint !== undefined) record.checkpoint = readSnapshot(entry.checkpoint) as Checkpoint;
    if (entry.result !== undefined) record.result = readSnapshot(entry.result);
    if (entry.error !== undefined) record.error = JSON.parse(entry.error) as SerializedError;
    if (entry.state === "in_progress") record.leaseExpiresAt = entry.leaseExpiresAt;
    return record;
  };

  const closedError = (): IdempotencyError =>
    idempotencyError("StoreUnavailable", { store: "memory" }, "The memory idempotency store is closed");
  const unavailable = (): ResultAsync<never, IdempotencyError> => errAsync(closedError());

  // The live record `lease` owns, or the error a write by anyone else gets (and then writes nothing). Returns
  // instead of taking a callback so the hot `complete` path allocates no closure.
  const ownedEntry = (lease: Lease, now: number): MemoryEntry | IdempotencyError => {
    if (closed) return closedError();
    const invalid = checkLease(lease);
    if (invalid !== undefined) return invalid;
    const entry = table.find(lease.scope, lease.key, now);
    if (entry === undefined || entry.state !== "in_progress" || entry.owner !== lease.token) {
      return idempotencyError("LeaseLost", {
        scope: lease.scope,
        key: lease.key,
        state: entry?.state ?? "missing",
      });
    }
    return entry;
  };

  const acquire = (request: AcquireRequest): ResultAsync<AcquireOutcome, IdempotencyError> => {
    if (closed) return unavailable();
    const invalid = checkAcquireRequest(request);
    if (invalid !== undefined) return errAsync(invalid);
    const now = clock.now();
    table.sweep(now);
    const entry = table.find(request.scope, request.key, now);
    const leaseExpiresAt = now + request.leaseMs;
    if (entry === undefined) {
      if (table.size >= maxEntries && !table.evictOne(now)) {
        return errAsync(
          idempotencyError(
            "StoreUnavailable",
            { store: "memory" },
            `The memory idempotency store holds ${maxEntries} live leases (option \`maxEntries\`); refusing new keys`,
          ),
        );
      }
      const token = `${tokenPrefix}${++tokens}`;
      table.insert(
        request.scope,
        request.key,
        request.fingerprint,
        token,
        leaseExpiresAt,
        now,
        now + request.ttlMs,
      );
      const lease = {
        scope: request.scope,
        key: request.key,
        token,
        attempt: 1,
        leaseMs: request.leaseMs,
        expiresAt: leaseExpiresAt,
      };
      return okAsync({ kind: "acquired", lease, takeover: false });
    }
    if (entry.fingerprint !== request.fingerprint) {
      return errAsync(idempotencyError("FingerprintMismatch", { scope: request.scope, key: request.key }));
    }
    if (entry.state === "completed") return okAsync({ kind: "completed", record: toRecord(entry) });
    if (entry.state === "failed") return okAsync({ kind: "failed", record: toRecord(entry) });
    if (entry.state === "in_progress" && entry.leaseExpiresAt > now) {
      return okAsync({
        kind: "in_progress",
        retryAfterMs: entry.leaseExpiresAt - now,
        attempt: entry.attempt,
      });
    }
    const token = `${tokenPrefix}${++tokens}`;
    entry.state = "in_progress";
    entry.attempt += 1;
    entry.owner = token;
    entry.leaseExpiresAt = leaseExpiresAt;
    entry.expiresAt = Math.max(entry.expiresAt, leaseExpiresAt);
    table.noteExpiry(entry.expiresAt);
    entry.error = undefined;
    const lease = {
      scope: entry.scope,
      key: entry.key,
      token,
      attempt: entry.attempt,
      leaseMs: request.leaseMs,
      expiresAt: leaseExpiresAt,
    };
    const checkpoint =
      entry.checkpoint === undefined ? undefined : (readSnapshot(entry.checkpoint) as Checkpoint);
    return okAsync(
      checkpoint === undefined
        ? { kind: "acquired", lease, takeover: true }
        : { kind: "acquired", lease, takeover: true, checkpoint },
    );
  };

  return {
    acquire,
    renew(lease, leaseMs) {
      const ms = leaseMs ?? lease?.leaseMs;
      const invalid = checkLease(lease, ms);
      if (invalid !== undefined) return errAsync(invalid);
      const now = clock.now();
      const entry = ownedEntry(lease, now);
      if (!isEntry(entry)) return errAsync(entry);
      entry.leaseExpiresAt = now + ms;
      entry.expiresAt = Math.max(entry.expiresAt, entry.leaseExpiresAt);
      table.noteExpiry(entry.expiresAt);
      return okAsync({ ...lease, leaseMs: ms, expiresAt: entry.leaseExpiresAt });
    },
    checkpoint(lease, checkpoint) {
      const value = checkpointValue(checkpoint);
      if (value.isErr()) return errAsync(value.error);
      // Kept as a private copy like results: a run checkpoints after every create, and copying is far cheaper
      // than serialising the plan each time.
      const snapshot = snapshotJson(value.value, maxBytes);
      if (snapshot instanceof SnapshotRefused) return errAsync(snapshot.error);
      const entry = ownedEntry(lease, clock.now());
      if (!isEntry(entry)) return errAsync(entry);
      entry.checkpoint = snapshot as Checkpoint;
      return done;
    },
    complete(lease, result) {
      const snapshot = result === undefined ? undefined : snapshotJson(result, maxBytes);
      if (snapshot instanceof SnapshotRefused) return errAsync(snapshot.error);
      const entry = ownedEntry(lease, clock.now());
      if (!isEntry(entry)) return errAsync(entry);
      entry.state = "completed";
      entry.result = snapshot;
      // A completed key is replayed from its result; its checkpoint (often the largest thing held) is not needed.
      entry.checkpoint = undefined;
      entry.owner = undefined;
      table.queue(entry);
      return done;
    },
    fail(lease, failure: FailureInput) {
      const encoded = encodeFailure(failure, maxBytes);
      if (encoded.isErr()) return errAsync(encoded.error);
      const entry = ownedEntry(lease, clock.now());
      if (!isEntry(entry)) return errAsync(entry);
      entry.state = failure.retryable ? "released" : "failed";
      entry.error = encoded.value;
      entry.owner = undefined;
      table.queue(entry);
      return done;
    },
    release(lease) {
      const entry = ownedEntry(lease, clock.now());
      if (!isEntry(entry)) return errAsync(entry);
      entry.state = "released";
      entry.owner = undefined;
      table.queue(entry);
      return done;
    },
    get(scope, key) {
      if (closed) return unavailable();
      const entry = table.find(scope, key, clock.now());
      return okAsync(entry === undefined ? undefined : toRecord(entry));
    },
    delete(scope, key) {
      if (closed) return unavailable();
      // Expired or not: the answer is whether anything was stored under the key.
      const entry = table.find(scope, key, Number.NEGATIVE_INFINITY);
      return okAsync(entry !== undefined && table.remove(entry));
    },
    purgeExpired(purge = {}) {
      if (closed) return unavailable();
      const batchSize = purge.batchSize ?? 1000;
      const maxBatches = purge.maxBatches ?? Number.POSITIVE_INFINITY;
      return okAsync(table.purgeExpired(clock.now(), batchSize, maxBatches));
    },
    async close() {
      closed = true;
      table.clear();
    },
  };
}
