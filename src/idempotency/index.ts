/**
 * Idempotent execution: the store SPI, the in-memory store, fingerprints and `runIdempotent`.
 * @module
 */
export {
  checkAcquireRequest,
  checkLease,
  DEFAULT_MAX_RESULT_BYTES,
  decodeStoredJson,
  encodeCheckpoint,
  encodeFailure,
  encodeStoredJson,
  MAX_KEY_LENGTH,
} from "./codec.js";
export {
  type FingerprintMismatchError,
  type HandlerFailedError,
  IDEMPOTENCY_ERROR_TYPES,
  type IdempotencyError,
  type IdempotencyErrorOf,
  type IdempotencyErrorType,
  type InProgressError,
  type InvalidInputError,
  idempotencyError,
  isIdempotencyError,
  type LeaseLostError,
  type PayloadTooLargeError,
  type SerializationError,
  type StoreUnavailableError,
  storeUnavailable,
} from "./errors.js";
export { defaultFailureClass, type FailureClass, serializeError } from "./failures.js";
export {
  canonicalJson,
  DEFAULT_FINGERPRINT_EXCLUDED_KEYS,
  type FingerprintOptions,
  fingerprintOf,
} from "./fingerprint.js";
export { createMemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from "./memory-store.js";
export {
  type IdempotentContext,
  type IdempotentRun,
  type RunIdempotentOptions,
  runIdempotent,
} from "./run-idempotent.js";
export type {
  AcquireOutcome,
  AcquireRequest,
  Checkpoint,
  FailureInput,
  IdempotencyRecord,
  IdempotencyState,
  IdempotencyStore,
  JsonValue,
  Lease,
  PurgeOptions,
  SerializedError,
} from "./types.js";
