import { redactString } from "../errors/index.js";
import type { IdempotencyState, SerializedError } from "./types.js";

/** Every `type` an {@link IdempotencyError} can have. */
export const IDEMPOTENCY_ERROR_TYPES = [
  "FingerprintMismatch",
  "LeaseLost",
  "StoreUnavailable",
  "PayloadTooLarge",
  "Serialization",
  "InProgress",
  "InvalidInput",
  "HandlerFailed",
] as const;

/** The discriminant of {@link IdempotencyError}. */
export type IdempotencyErrorType = (typeof IDEMPOTENCY_ERROR_TYPES)[number];

interface Base<T extends IdempotencyErrorType> {
  readonly name: "IdempotencyError";
  readonly type: T;
  /** Human-readable, secret-free. */
  readonly message: string;
}

/** The same key arrived with a different payload (IETF idempotency-key draft: 422). Nothing ran, nothing changed. */
export interface FingerprintMismatchError extends Base<"FingerprintMismatch"> {
  readonly scope: string;
  readonly key: string;
}

/** A write by someone who no longer owns the record (its lease was taken over, or the record completed/expired). */
export interface LeaseLostError extends Base<"LeaseLost"> {
  readonly scope: string;
  readonly key: string;
  /** The record's state at the time, or `"missing"` when it no longer exists. */
  readonly state: IdempotencyState | "missing";
}

/** The backend could not be reached or answered with an error. Callers fail closed: nothing runs. */
export interface StoreUnavailableError extends Base<"StoreUnavailable"> {
  /** Which store, e.g. `"redis"`. */
  readonly store: string;
  /** The underlying error's name and redacted message. */
  readonly cause?: { readonly name: string; readonly message: string } | undefined;
}

/** A result, checkpoint or error is larger than the store accepts; nothing was written and the lease is kept. */
export interface PayloadTooLargeError extends Base<"PayloadTooLarge"> {
  readonly bytes: number;
  readonly max: number;
}

/** A result, checkpoint or error is not plain JSON (function, bigint, cycle, class instance, NaN); nothing was written. */
export interface SerializationError extends Base<"Serialization"> {
  /** JSON path of the offending value, e.g. `$.items[2].at`. */
  readonly path: string;
}

/** Another delivery holds a live lease on the key (IETF idempotency-key draft: 409). Retry after `retryAfterMs`. */
export interface InProgressError extends Base<"InProgress"> {
  readonly scope: string;
  readonly key: string;
  readonly retryAfterMs: number;
}

/** The scope, key, fingerprint or a duration passed to the store is not valid. */
export interface InvalidInputError extends Base<"InvalidInput"> {
  /** Which argument, e.g. `"key"`. */
  readonly field: string;
}

/**
 * The operation run by `runIdempotent` failed (`replayed: false`), or a stored terminal failure was replayed
 * (`replayed: true`). `cause` (not enumerable, never serialized) is the original thrown value when it ran here.
 */
export interface HandlerFailedError extends Base<"HandlerFailed"> {
  readonly retryable: boolean;
  readonly replayed: boolean;
  readonly error: SerializedError;
  readonly cause?: unknown;
}

/**
 * Everything that can go wrong in idempotent execution, as plain serializable values (a discriminated union on
 * `type`) rather than `CrmError`s: none of these is a CRM failure, and the executor maps each to its own outcome.
 */
export type IdempotencyError =
  | FingerprintMismatchError
  | LeaseLostError
  | StoreUnavailableError
  | PayloadTooLargeError
  | SerializationError
  | InProgressError
  | InvalidInputError
  | HandlerFailedError;

/** The member of {@link IdempotencyError} with the given `type`. */
export type IdempotencyErrorOf<T extends IdempotencyErrorType> = Extract<IdempotencyError, { type: T }>;

const TYPES: ReadonlySet<string> = new Set(IDEMPOTENCY_ERROR_TYPES);

/**
 * True for an {@link IdempotencyError}, optionally of one `type`; works on values that went through JSON.
 *
 * @example
 * if (isIdempotencyError(error, "InProgress")) return reply(409, { retryAfterMs: error.retryAfterMs });
 */
export function isIdempotencyError<T extends IdempotencyErrorType>(
  value: unknown,
  type?: T,
): value is IdempotencyErrorOf<T> {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { name?: unknown; type?: unknown };
  return (
    candidate.name === "IdempotencyError" &&
    typeof candidate.type === "string" &&
    TYPES.has(candidate.type) &&
    (type === undefined || candidate.type === type)
  );
}

type Fields<T extends IdempotencyErrorType> = Omit<IdempotencyErrorOf<T>, "name" | "type" | "message">;

/**
 * Builds an {@link IdempotencyError} with a default message; for store authors.
 *
 * @example
 * return errAsync(idempotencyError("LeaseLost", { scope, key, state: "completed" }));
 */
export function idempotencyError<T extends IdempotencyErrorType>(
  type: T,
  fields: Fields<T>,
  message?: string,
): IdempotencyErrorOf<T> {
  const error = {
    name: "IdempotencyError",
    type,
    message: message ?? defaultMessage(type, fields as Record<string, unknown>),
    ...fields,
  } as Record<string, unknown>;
  // The original thrown value must not leak into JSON (it may hold secrets or cycles).
  if ("cause" in error && type === "HandlerFailed") {
    const cause = error["cause"];
    delete error["cause"];
    Object.defineProperty(error, "cause", { value: cause, enumerable: false });
  }
  return error as unknown as IdempotencyErrorOf<T>;
}

function defaultMessage(type: IdempotencyErrorType, f: Record<string, unknown>): string {
  const id = `${String(f["scope"])}/${String(f["key"])}`;
  switch (type) {
    case "FingerprintMismatch":
      return `Idempotency key ${id} was already used with a different payload`;
    case "LeaseLost":
      return `The lease on ${id} is no longer held by this worker (record is ${String(f["state"])})`;
    case "StoreUnavailable":
      return `The ${String(f["store"])} idempotency store is unavailable`;
    case "PayloadTooLarge":
      return `The value is ${String(f["bytes"])} bytes as JSON; the store accepts at most ${String(f["max"])}`;
    case "Serialization":
      return `The value at ${String(f["path"])} cannot be stored as JSON`;
    case "InProgress":
      return `${id} is being processed by another delivery; retry in ${String(f["retryAfterMs"])} ms`;
    case "InvalidInput":
      return `Invalid idempotency input: ${String(f["field"])}`;
    case "HandlerFailed":
      return `The idempotent operation failed${f["replayed"] === true ? " (replayed)" : ""}`;
  }
}

/**
 * Wraps a backend failure as `StoreUnavailable`, keeping only the cause's name and redacted message.
 *
 * @example
 * ResultAsync.fromPromise(client.query(sql), (e) => storeUnavailable("postgres", e));
 */
export function storeUnavailable(store: string, cause: unknown): StoreUnavailableError {
  const summary =
    cause instanceof Error
      ? { name: cause.name, message: redactString(cause.message) }
      : { name: typeof cause, message: redactString(String(cause)) };
  return idempotencyError("StoreUnavailable", { store, cause: summary });
}
