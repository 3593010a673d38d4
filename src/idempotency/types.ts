import type { ResultAsync } from "neverthrow";
import type { IdempotencyError } from "./errors.js";

/** Any value that survives a JSON round trip unchanged. Results, checkpoint data and errors are stored as JSON. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue | undefined };

/**
 * Where a record is in its life:
 * - `in_progress`: an owner holds a lease (or held one that has since expired, which makes it a take-over).
 * - `completed`: the outcome is stored and replayed to every later delivery until the record expires.
 * - `failed`: a terminal failure is stored and replayed until the record expires.
 * - `released`: the owner gave the lease back (`release`, or `fail` with a retryable error); the next delivery
 *   runs again and resumes from the last checkpoint.
 */
export type IdempotencyState = "in_progress" | "completed" | "failed" | "released";

/**
 * Step progress of a multi-step operation, saved by the lease owner and handed to whoever takes over, so a
 * take-over resumes (for example with the CRM ids already created) instead of creating records twice.
 */
export interface Checkpoint {
  /** Name of the last finished step, e.g. `"contact_created"`. */
  readonly step: string;
  /** What the step produced that later steps need (ids, cursors). Stored as JSON. */
  readonly data?: JsonValue | undefined;
}

/** A stored, secret-free description of a failure: what `fail` writes and what replays return. */
export interface SerializedError {
  /** Error class or family, e.g. `"CrmError"`. */
  readonly name: string;
  /** Human-readable, already redacted message. */
  readonly message: string;
  /** A machine-readable code, e.g. a `CrmError` reason. */
  readonly code?: string | undefined;
  /** Extra JSON detail (for a `CrmError`, its `toJSON()`). */
  readonly data?: JsonValue | undefined;
}

/** One idempotency record as a store holds it. All times are epoch ms on the store's clock. */
export interface IdempotencyRecord {
  /** The namespace of the key, e.g. `"hubspot:portal-123:contact.upsert"`. */
  readonly scope: string;
  /** The delivery's idempotency key (event id, `Idempotency-Key`), ≤ 255 characters. */
  readonly key: string;
  /** Hex SHA-256 of the canonical payload (see `fingerprintOf`). */
  readonly fingerprint: string;
  /** Where the record is in its life. */
  readonly state: IdempotencyState;
  /** 1 for the first execution, +1 for every take-over or retry. */
  readonly attempt: number;
  /**
   * The last checkpoint the owner saved, if any. A store may drop it once the key is completed: replays use
   * `result`.
   */
  readonly checkpoint?: Checkpoint | undefined;
  /** The stored result; only when `state` is `completed` (absent when the operation returned `undefined`). */
  readonly result?: unknown;
  /** The stored failure: terminal when `state` is `failed`, the last retryable one when `released`. */
  readonly error?: SerializedError | undefined;
  /** When the current lease ends; only while `in_progress`. */
  readonly leaseExpiresAt?: number | undefined;
  /** When the record was first created. */
  readonly createdAt: number;
  /** When the record disappears and the key may be used again (with any payload). */
  readonly expiresAt: number;
}

/**
 * Proof of ownership returned by `acquire`: every write (`renew`, `checkpoint`, `complete`, `fail`, `release`)
 * presents it and is refused with `LeaseLost` once someone else has taken the record over.
 */
export interface Lease {
  readonly scope: string;
  readonly key: string;
  /** Fencing token, unique per acquisition. */
  readonly token: string;
  /** Which execution this is (1 for the first). */
  readonly attempt: number;
  /** How long each lease (and renewal) lasts. */
  readonly leaseMs: number;
  /** When this lease ends unless renewed, epoch ms on the store's clock. */
  readonly expiresAt: number;
}

/** What `acquire` asks for. */
export interface AcquireRequest {
  /** Namespace of the key, e.g. `"hubspot:portal-123:contact.upsert"`. Non-empty, ≤ 255 characters. */
  readonly scope: string;
  /** Idempotency key, non-empty, ≤ 255 characters. */
  readonly key: string;
  /** Fingerprint of the payload; the same key with another fingerprint is a `FingerprintMismatch`. */
  readonly fingerprint: string;
  /** Lease duration; a crashed owner is taken over this long after its last renewal. Positive integer ms. */
  readonly leaseMs: number;
  /** How long the record (and a stored outcome) lives, from its creation. Integer ms ≥ `leaseMs`. */
  readonly ttlMs: number;
}

/** The outcome of `acquire`. Only `acquired` means "run the operation now". */
export type AcquireOutcome =
  | {
      readonly kind: "acquired";
      readonly lease: Lease;
      /** True when an earlier attempt started and did not finish (crash, expired lease, release, retryable failure). */
      readonly takeover: boolean;
      /** The last checkpoint of the earlier attempt, to resume from. */
      readonly checkpoint?: Checkpoint | undefined;
    }
  | { readonly kind: "completed"; readonly record: IdempotencyRecord }
  | { readonly kind: "failed"; readonly record: IdempotencyRecord }
  | {
      readonly kind: "in_progress";
      /** How long until the current lease ends (and a take-over becomes possible). */
      readonly retryAfterMs: number;
      readonly attempt: number;
    };

/** How a failed execution is recorded by `fail`. */
export interface FailureInput {
  /** Retryable: the record is released and the next delivery runs again. Terminal: the error is replayed until expiry. */
  readonly retryable: boolean;
  /** The failure, already redacted. */
  readonly error: SerializedError;
}

/** Options of `purgeExpired`. */
export interface PurgeOptions {
  /** Rows deleted per statement/batch, so a purge never holds many locks at once. @default 1000 */
  readonly batchSize?: number | undefined;
  /** Stop after this many batches. @default unlimited */
  readonly maxBatches?: number | undefined;
}

/**
 * The storage SPI behind idempotent execution: one record per `(scope, key)` holding a lease with a fencing
 * token, step checkpoints, and the stored outcome. Every store (memory, Redis, Postgres, yours) must pass
 * `runIdempotencyStoreConformance` from `crmkit/testing`.
 *
 * Rules every implementation follows:
 * - each operation is atomic per record, and all time math uses the store's own clock;
 * - writes by a non-owner fail with `LeaseLost` and change nothing;
 * - a failure to reach the backend is `StoreUnavailable` (callers then run nothing: fail closed);
 * - results, checkpoints and errors larger than `maxResultBytes` or not JSON-serializable are rejected with
 *   `PayloadTooLarge` / `Serialization` before anything is written, and the lease is kept.
 */
export interface IdempotencyStore {
  /** Claims the key, or reports why not (replay, in progress, `FingerprintMismatch`). */
  acquire(request: AcquireRequest): ResultAsync<AcquireOutcome, IdempotencyError>;
  /** Extends the lease by `leaseMs` (default: the lease's own duration) from now; returns the new lease. */
  renew(lease: Lease, leaseMs?: number): ResultAsync<Lease, IdempotencyError>;
  /** Saves step progress for a take-over to resume from. */
  checkpoint(lease: Lease, checkpoint: Checkpoint): ResultAsync<void, IdempotencyError>;
  /** Stores the result (JSON; `undefined` allowed) and ends the lease; later deliveries replay it. */
  complete(lease: Lease, result: unknown): ResultAsync<void, IdempotencyError>;
  /** Records a failure: retryable releases the record, terminal stores it for replay. */
  fail(lease: Lease, failure: FailureInput): ResultAsync<void, IdempotencyError>;
  /** Gives the lease back without an outcome; the next delivery runs again from the last checkpoint. */
  release(lease: Lease): ResultAsync<void, IdempotencyError>;
  /** Reads a record; expired records read as `undefined`. */
  get(scope: string, key: string): ResultAsync<IdempotencyRecord | undefined, IdempotencyError>;
  /** Deletes a record whatever its state (an operator's tool); resolves to whether one existed. */
  delete(scope: string, key: string): ResultAsync<boolean, IdempotencyError>;
  /** Deletes expired records in batches; resolves to how many were deleted. */
  purgeExpired(options?: PurgeOptions): ResultAsync<number, IdempotencyError>;
  /** Stops using the backend. Clients passed in by the caller are not closed; their lifecycle stays the caller's. */
  close(): Promise<void>;
}
