import { randomUUID } from "node:crypto";
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import {
  type AcquireOutcome,
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
import { ACQUIRE, CHECKPOINT, COMPLETE, FAIL, GET, RELEASE, RENEW } from "./idempotency-scripts.js";
import { evalScript, type RedisLike, type RedisScript, sendRedisCommand } from "./redis-like.js";

/** Options for {@link createRedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /** Your ioredis or node-redis client; crmkit never connects, configures or quits it. */
  client: RedisLike;
  /** Prefix of every key this store writes. @default "crmkit:idem:" */
  prefix?: string | undefined;
  /** Largest result, checkpoint or error accepted, in UTF-8 bytes of JSON. @default 262_144 (256 KiB) */
  maxResultBytes?: number | undefined;
}

type Reply = ReadonlyArray<string | number | null | undefined>;

const num = (value: string | number | null | undefined): number => Number(value);
const str = (value: string | number | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

/**
 * A distributed {@link IdempotencyStore} on Redis (≥ 6.2): one hash per record, one Lua script per operation
 * (atomic, one round trip), the server's `TIME` as the only clock, and `PEXPIREAT` on every key so expired
 * records vanish by themselves (`purgeExpired` has nothing to do and returns 0). Works with ioredis (`Redis`, and
 * `Cluster` since each operation touches one key) and node-redis clients. Connection failures are
 * `StoreUnavailable`; configure your client to fail fast (ioredis `maxRetriesPerRequest`, node-redis
 * `disableOfflineQueue`) so an outage is reported instead of queued.
 *
 * @example
 * import { Redis } from "ioredis";
 * const store = createRedisIdempotencyStore({ client: new Redis(process.env.REDIS_URL), prefix: "acme:idem:" });
 */
export function createRedisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  const client = options.client;
  if (
    typeof client !== "object" ||
    client === null ||
    (typeof (client as { call?: unknown }).call !== "function" &&
      typeof (client as { sendCommand?: unknown }).sendCommand !== "function")
  ) {
    throw new TypeError(
      "createRedisIdempotencyStore: option `client` must be an ioredis or node-redis client (with `call` or `sendCommand`)",
    );
  }
  const prefix = options.prefix ?? "crmkit:idem:";
  if (typeof prefix !== "string")
    throw new TypeError("createRedisIdempotencyStore: option `prefix` must be a string");
  const maxBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new TypeError(
      `createRedisIdempotencyStore: option \`maxResultBytes\` must be a positive integer, got ${maxBytes}`,
    );
  }
  let closed = false;

  // Length-prefixing the scope keeps `a:b` + `c` and `a` + `b:c` apart without restricting characters.
  const keyOf = (scope: string, key: string): string => `${prefix}${scope.length}:${scope}:${key}`;

  const run = (
    script: RedisScript,
    key: string,
    args: ReadonlyArray<string | number>,
  ): ResultAsync<Reply, IdempotencyError> => {
    if (closed) {
      return errAsync(
        idempotencyError("StoreUnavailable", { store: "redis" }, "The Redis idempotency store is closed"),
      );
    }
    return ResultAsync.fromPromise(evalScript(client, script, [key], args) as Promise<Reply>, (error) =>
      storeUnavailable("redis", error),
    );
  };

  const toRecord = (scope: string, key: string, r: Reply, offset: number): IdempotencyRecord => {
    // r[offset..]: st, fp, att, lexp, cr, exp, cp, res, err
    const state = str(r[offset]) as IdempotencyState;
    const record: { -readonly [K in keyof IdempotencyRecord]: IdempotencyRecord[K] } = {
      scope,
      key,
      fingerprint: str(r[offset + 1]) ?? "",
      state,
      attempt: num(r[offset + 2]),
      createdAt: num(r[offset + 4]),
      expiresAt: num(r[offset + 5]),
    };
    const checkpoint = str(r[offset + 6]);
    const result = str(r[offset + 7]);
    const error = str(r[offset + 8]);
    if (checkpoint !== undefined) record.checkpoint = JSON.parse(checkpoint) as Checkpoint;
    if (result !== undefined) record.result = decodeStoredJson(result);
    if (error !== undefined) record.error = JSON.parse(error) as SerializedError;
    if (state === "in_progress") record.leaseExpiresAt = num(r[offset + 3]);
    return record;
  };

  const owned = (
    lease: Lease,
    script: RedisScript,
    args: ReadonlyArray<string | number>,
  ): ResultAsync<Reply, IdempotencyError> => {
    if (closed) {
      return errAsync(
        idempotencyError("StoreUnavailable", { store: "redis" }, "The Redis idempotency store is closed"),
      );
    }
    return run(script, keyOf(lease.scope, lease.key), [lease.token, ...args]).andThen((reply) =>
      reply[0] === "lost"
        ? errAsync(
            idempotencyError("LeaseLost", {
              scope: lease.scope,
              key: lease.key,
              state: (str(reply[1]) ?? "missing") as IdempotencyState | "missing",
            }),
          )
        : okAsync(reply),
    );
  };

  return {
    acquire(request) {
      const invalid = checkAcquireRequest(request);
      if (invalid !== undefined) return errAsync(invalid);
      const token = randomUUID();
      const { scope, key } = request;
      return run(ACQUIRE, keyOf(scope, key), [
        request.fingerprint,
        token,
        request.leaseMs,
        request.ttlMs,
      ]).andThen((r): ResultAsync<AcquireOutcome, IdempotencyError> => {
        switch (r[0]) {
          case "mismatch":
            return errAsync(idempotencyError("FingerprintMismatch", { scope, key }));
          case "in_progress":
            return okAsync({ kind: "in_progress", retryAfterMs: num(r[2]), attempt: num(r[3]) });
          case "replay": {
            const record = toRecord(scope, key, r, 2);
            return okAsync(
              record.state === "completed" ? { kind: "completed", record } : { kind: "failed", record },
            );
          }
          default: {
            const attempt = num(r[2]);
            const lease: Lease = {
              scope,
              key,
              token,
              attempt,
              leaseMs: request.leaseMs,
              expiresAt: num(r[3]),
            };
            const checkpoint = str(r[4]);
            return okAsync(
              checkpoint === undefined
                ? { kind: "acquired", lease, takeover: attempt > 1 }
                : {
                    kind: "acquired",
                    lease,
                    takeover: attempt > 1,
                    checkpoint: JSON.parse(checkpoint) as Checkpoint,
                  },
            );
          }
        }
      });
    },
    renew(lease, leaseMs) {
      const ms = leaseMs ?? lease?.leaseMs;
      const invalid = checkLease(lease, ms);
      if (invalid !== undefined) return errAsync(invalid);
      return owned(lease, RENEW, [ms]).map((r) => ({ ...lease, leaseMs: ms, expiresAt: num(r[1]) }));
    },
    checkpoint(lease, checkpoint) {
      const invalid = checkLease(lease);
      if (invalid !== undefined) return errAsync(invalid);
      const encoded = encodeCheckpoint(checkpoint, maxBytes);
      if (encoded.isErr()) return errAsync(encoded.error);
      return owned(lease, CHECKPOINT, [encoded.value]).map(() => undefined);
    },
    complete(lease, result) {
      const invalid = checkLease(lease);
      if (invalid !== undefined) return errAsync(invalid);
      const encoded = encodeStoredJson(result, maxBytes);
      if (encoded.isErr()) return errAsync(encoded.error);
      const json = encoded.value;
      return owned(lease, COMPLETE, json === undefined ? ["0", ""] : ["1", json]).map(() => undefined);
    },
    fail(lease, failure) {
      const invalid = checkLease(lease);
      if (invalid !== undefined) return errAsync(invalid);
      const encoded = encodeFailure(failure, maxBytes);
      if (encoded.isErr()) return errAsync(encoded.error);
      return owned(lease, FAIL, [failure.retryable ? "released" : "failed", encoded.value]).map(
        () => undefined,
      );
    },
    release(lease) {
      const invalid = checkLease(lease);
      if (invalid !== undefined) return errAsync(invalid);
      return owned(lease, RELEASE, []).map(() => undefined);
    },
    get(scope, key) {
      return run(GET, keyOf(scope, key), []).map((r) =>
        r.length < 2 ? undefined : toRecord(scope, key, r, 1),
      );
    },
    delete(scope, key) {
      if (closed) {
        return errAsync(
          idempotencyError("StoreUnavailable", { store: "redis" }, "The Redis idempotency store is closed"),
        );
      }
      return ResultAsync.fromPromise(sendRedisCommand(client, "DEL", [keyOf(scope, key)]), (error) =>
        storeUnavailable("redis", error),
      ).map((deleted) => Number(deleted) > 0);
    },
    purgeExpired() {
      // Every key carries PEXPIREAT, so Redis itself deletes expired records; there is nothing to sweep.
      if (closed) {
        return errAsync(
          idempotencyError("StoreUnavailable", { store: "redis" }, "The Redis idempotency store is closed"),
        );
      }
      return okAsync(0);
    },
    async close() {
      closed = true;
    },
  };
}
