import { randomUUID } from "node:crypto";
import { errAsync, okAsync, type ResultAsync } from "neverthrow";
import { type Clock, systemClock } from "../internal/clock.js";
import {
  checkAcquireRequest,
  checkLease,
  DEFAULT_MAX_RESULT_BYTES,
  decodeStoredJson,
  encodeCheckpoint,
  encodeFailure,
  encodeStoredJson,
} from "./codec.js";
import { type IdempotencyError, idempotencyError } from "./errors.js";
import { createFinishQueue } from "./finish-queue.js";
import type {
  AcquireOutcome,
  AcquireRequest,
  Checkpoint,
  FailureInput,
  IdempotencyRecord,
  IdempotencyState,
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

interface Entry {
  /** The map key, kept so the eviction queues can check an entry is still the stored one. */
  readonly id: string;
  readonly scope: string;
  readonly key: string;
  fingerprint: string;
  state: IdempotencyState;
  attempt: number;
  owner: string | undefined;
  leaseMs: number;
  leaseExpiresAt: number;
  createdAt: number;
  expiresAt: number;
  checkpoint: string | undefined;
  result: string | undefined;
  error: string | undefined;
  /** How often the entry sits in the finished / released queue; only its last occurrence there is current. */
  inFinished: number;
  inReleased: number;
  /** Set when the entry leaves the map, so the queues can drop it without a map lookup. */
  removed: boolean;
}

// Amortised sweep: each acquire inspects this many records from a cursor that walks the map round and round,
// so expired records are reclaimed without timers and without an O(n) pause.
const SWEEP_STEP = 4;

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
  const entries = new Map<string, Entry>();
  let cursor: Iterator<Entry> | undefined;
  let closed = false;
  const done: ResultAsync<undefined, IdempotencyError> = okAsync(undefined);

  const idOf = (scope: string, key: string): string => `${scope.length}:${scope}:${key}`;
  const remove = (entry: Entry): boolean => {
    entry.removed = true;
    return entries.delete(entry.id);
  };

  const sweep = (now: number): void => {
    for (let i = 0; i < SWEEP_STEP && entries.size > 0; i++) {
      cursor ??= entries.values();
      const next = cursor.next();
      if (next.done === true) {
        cursor = undefined;
        continue;
      }
      if (next.value.expiresAt <= now) remove(next.value);
    }
  };

  const live = (id: string, now: number): Entry | undefined => {
    const entry = entries.get(id);
    if (entry !== undefined && entry.expiresAt <= now) {
      remove(entry);
      return undefined;
    }
    return entry;
  };

  // Eviction order lives in two queues instead of the map's order: completed/failed records in the order they
  // finished, released ones likewise. Moving a finished record to the end of the map (delete + set) and walking the
  // map for the oldest one made the map churn and its iterators re-walk deleted slots: most of a bounded store's
  // cost at capacity.
  const finished = createFinishQueue<Entry>();
  const released = createFinishQueue<Entry>();
  const isFinished = (entry: Entry): boolean => {
    entry.inFinished -= 1;
    return (
      entry.inFinished === 0 && !entry.removed && (entry.state === "completed" || entry.state === "failed")
    );
  };
  const isReleased = (entry: Entry): boolean => {
    entry.inReleased -= 1;
    return entry.inReleased === 0 && !entry.removed && entry.state === "released";
  };
  const queue = (entry: Entry): void => {
    if (entry.state === "released") {
      entry.inReleased += 1;
      released.push(entry);
    } else {
      entry.inFinished += 1;
      finished.push(entry);
    }
  };
  // The oldest finished record goes first, then any expired record (a scan, reached only when nothing has
  // finished), then the oldest released one; live leases are never evicted.
  const evictOne = (now: number): boolean => {
    const victim = finished.take(isFinished);
    if (victim !== undefined) return remove(victim);
    for (const entry of entries.values()) if (entry.expiresAt <= now) return remove(entry);
    const last = released.take(isReleased);
    return last !== undefined && remove(last);
  };

  const toRecord = (entry: Entry): IdempotencyRecord => {
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
    if (entry.checkpoint !== undefined) record.checkpoint = JSON.parse(entry.checkpoint) as Checkpoint;
    if (entry.result !== undefined) record.result = decodeStoredJson(entry.result);
    if (entry.error !== undefined) record.error = JSON.parse(entry.error) as SerializedError;
    if (entry.state === "in_progress") record.leaseExpiresAt = entry.leaseExpiresAt;
    return record;
  };

  const unavailable = (): ResultAsync<never, IdempotencyError> =>
    errAsync(
      idempotencyError("StoreUnavailable", { store: "memory" }, "The memory idempotency store is closed"),
    );

  // Runs `write` only for the current owner of a live record; everything else is LeaseLost and writes nothing.
  const owned = <T>(
    lease: Lease,
    write: (entry: Entry, now: number) => T,
  ): ResultAsync<T, IdempotencyError> => {
    if (closed) return unavailable();
    const invalid = checkLease(lease);
    if (invalid !== undefined) return errAsync(invalid);
    const now = clock.now();
    const entry = live(idOf(lease.scope, lease.key), now);
    if (entry === undefined || entry.state !== "in_progress" || entry.owner !== lease.token) {
      return errAsync(
        idempotencyError("LeaseLost", {
          scope: lease.scope,
          key: lease.key,
          state: entry?.state ?? "missing",
        }),
      );
    }
    const written = write(entry, now);
    // Writes that answer nothing share one settled result instead of allocating a promise and two wrappers each.
    return written === undefined ? (done as ResultAsync<T, IdempotencyError>) : okAsync(written);
  };

  const acquire = (request: AcquireRequest): ResultAsync<AcquireOutcome, IdempotencyError> => {
    if (closed) return unavailable();
    const invalid = checkAcquireRequest(request);
    if (invalid !== undefined) return errAsync(invalid);
    const now = clock.now();
    sweep(now);
    const id = idOf(request.scope, request.key);
    const entry = live(id, now);
    const token = randomUUID();
    const leaseExpiresAt = now + request.leaseMs;
    if (entry === undefined) {
      if (entries.size >= maxEntries && !evictOne(now)) {
        return errAsync(
          idempotencyError(
            "StoreUnavailable",
            { store: "memory" },
            `The memory idempotency store holds ${maxEntries} live leases (option \`maxEntries\`); refusing new keys`,
          ),
        );
      }
      entries.set(id, {
        id,
        scope: request.scope,
        key: request.key,
        fingerprint: request.fingerprint,
        state: "in_progress",
        attempt: 1,
        owner: token,
        leaseMs: request.leaseMs,
        leaseExpiresAt,
        createdAt: now,
        expiresAt: now + request.ttlMs,
        checkpoint: undefined,
        result: undefined,
        error: undefined,
        inFinished: 0,
        inReleased: 0,
        removed: false,
      });
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
    entry.state = "in_progress";
    entry.attempt += 1;
    entry.owner = token;
    entry.leaseMs = request.leaseMs;
    entry.leaseExpiresAt = leaseExpiresAt;
    entry.expiresAt = Math.max(entry.expiresAt, leaseExpiresAt);
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
      entry.checkpoint === undefined ? undefined : (JSON.parse(entry.checkpoint) as Checkpoint);
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
      return owned(lease, (entry, now) => {
        entry.leaseExpiresAt = now + ms;
        entry.leaseMs = ms;
        entry.expiresAt = Math.max(entry.expiresAt, entry.leaseExpiresAt);
        return { ...lease, leaseMs: ms, expiresAt: entry.leaseExpiresAt };
      });
    },
    checkpoint(lease, checkpoint) {
      const encoded = encodeCheckpoint(checkpoint, maxBytes);
      if (encoded.isErr()) return errAsync(encoded.error);
      return owned(lease, (entry) => {
        entry.checkpoint = encoded.value;
      });
    },
    complete(lease, result) {
      const encoded = encodeStoredJson(result, maxBytes);
      if (encoded.isErr()) return errAsync(encoded.error);
      return owned(lease, (entry) => {
        entry.state = "completed";
        entry.result = encoded.value;
        entry.owner = undefined;
        queue(entry);
      });
    },
    fail(lease, failure: FailureInput) {
      const encoded = encodeFailure(failure, maxBytes);
      if (encoded.isErr()) return errAsync(encoded.error);
      return owned(lease, (entry) => {
        entry.state = failure.retryable ? "released" : "failed";
        entry.error = encoded.value;
        entry.owner = undefined;
        queue(entry);
      });
    },
    release(lease) {
      return owned(lease, (entry) => {
        entry.state = "released";
        entry.owner = undefined;
        queue(entry);
      });
    },
    get(scope, key) {
      if (closed) return unavailable();
      const entry = live(idOf(scope, key), clock.now());
      return okAsync(entry === undefined ? undefined : toRecord(entry));
    },
    delete(scope, key) {
      if (closed) return unavailable();
      const entry = entries.get(idOf(scope, key));
      return okAsync(entry !== undefined && remove(entry));
    },
    purgeExpired(purge = {}) {
      if (closed) return unavailable();
      const now = clock.now();
      const batchSize = purge.batchSize ?? 1000;
      const maxBatches = purge.maxBatches ?? Number.POSITIVE_INFINITY;
      let deleted = 0;
      let inBatch = 0;
      let batches = 0;
      for (const entry of entries.values()) {
        if (entry.expiresAt > now) continue;
        remove(entry);
        deleted++;
        if (++inBatch === batchSize) {
          inBatch = 0;
          if (++batches >= maxBatches) break;
        }
      }
      cursor = undefined;
      return okAsync(deleted);
    },
    async close() {
      closed = true;
      entries.clear();
      finished.clear();
      released.clear();
      cursor = undefined;
    },
  };
}
