import { err, ok, type Result } from "neverthrow";
import { isPlainObject } from "../internal/plain-object.js";
import { type IdempotencyError, idempotencyError } from "./errors.js";
import type { AcquireRequest, Checkpoint, FailureInput, Lease } from "./types.js";

/** Default cap on a stored result, checkpoint or error, as UTF-8 JSON. */
export const DEFAULT_MAX_RESULT_BYTES = 256 * 1024;

/** Longest scope or key a store accepts (Stripe and the IETF draft use 255). */
export const MAX_KEY_LENGTH = 255;

// JSON.stringify silently turns functions into nothing, NaN into null and Dates into strings, so a replay would
// not equal the original. Walk first and refuse anything that does not survive the round trip. The walk runs on
// every checkpoint and result, so the valid path allocates nothing: the JSON path of an offending value is built
// only on the way back out of a failed walk (segments innermost first), and cycles are found on the ancestor
// stack, which is as deep as the value (a few levels), instead of in a Set.
type Segments = (string | number)[];

function nonJson(value: unknown, ancestors: object[]): Segments | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : [];
    case "object": {
      if (value === null) return undefined;
      if (ancestors.includes(value)) return [];
      let bad: Segments | undefined;
      ancestors.push(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          bad = item === undefined ? [] : nonJson(item, ancestors);
          if (bad !== undefined) {
            bad.push(i);
            break;
          }
        }
      } else if (isPlainObject(value)) {
        for (const key in value) {
          const item = (value as Record<string, unknown>)[key];
          // Optional properties set to undefined are dropped, as JSON does; that is what callers mean by them.
          if (item === undefined) continue;
          bad = nonJson(item, ancestors);
          if (bad !== undefined) {
            bad.push(key);
            break;
          }
        }
      } else {
        bad = [];
      }
      ancestors.pop();
      return bad;
    }
    default:
      return [];
  }
}

/** The JSON path (`$.items[2].at`) of the first value in `value` that JSON would not round-trip, if any. */
export function firstNonJson(value: unknown): string | undefined {
  const segments = nonJson(value, []);
  if (segments === undefined) return undefined;
  let path = "$";
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    path += typeof segment === "number" ? `[${segment}]` : `.${segment}`;
  }
  return path;
}

/**
 * Encodes a value for storage: `undefined` stays `undefined`, anything else must be plain JSON no larger than
 * `maxBytes`. Errors are `Serialization` or `PayloadTooLarge`; for store authors.
 *
 * @example
 * const encoded = encodeStoredJson(result, DEFAULT_MAX_RESULT_BYTES);
 * if (encoded.isErr()) return errAsync(encoded.error);
 */
export function encodeStoredJson(
  value: unknown,
  maxBytes: number,
): Result<string | undefined, IdempotencyError> {
  if (value === undefined) return ok(undefined);
  const bad = firstNonJson(value);
  if (bad !== undefined) return err(idempotencyError("Serialization", { path: bad }));
  const json = JSON.stringify(value);
  // Byte length is only computed when the string could exceed the cap (UTF-8 is at most 3 bytes per UTF-16 unit).
  if (json.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(json, "utf8");
    if (bytes > maxBytes) return err(idempotencyError("PayloadTooLarge", { bytes, max: maxBytes }));
  }
  return ok(json);
}

/**
 * The value a store keeps for a checkpoint (`{ step }` when it has no data), or `InvalidInput` when `step` is not
 * a non-empty string. Shared by {@link encodeCheckpoint} and stores that keep checkpoints as copies.
 */
export function checkpointValue(checkpoint: Checkpoint): Result<Checkpoint, IdempotencyError> {
  if (typeof checkpoint?.step !== "string" || checkpoint.step.length === 0) {
    return err(idempotencyError("InvalidInput", { field: "checkpoint.step" }));
  }
  return ok(checkpoint.data === undefined ? { step: checkpoint.step } : checkpoint);
}

/** Encodes a checkpoint (`{ step, data }`) with the same rules as results. */
export function encodeCheckpoint(checkpoint: Checkpoint, maxBytes: number): Result<string, IdempotencyError> {
  return checkpointValue(checkpoint).andThen((value) =>
    encodeStoredJson(value, maxBytes).map((json) => json ?? "null"),
  );
}

/** Encodes the error of a `fail` call with the same rules as results. */
export function encodeFailure(failure: FailureInput, maxBytes: number): Result<string, IdempotencyError> {
  if (typeof failure?.error?.name !== "string" || typeof failure.error.message !== "string") {
    return err(idempotencyError("InvalidInput", { field: "failure.error" }));
  }
  return encodeStoredJson(failure.error, maxBytes).map((json) => json ?? "null");
}

function invalid(field: string): IdempotencyError {
  return idempotencyError("InvalidInput", { field });
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_KEY_LENGTH;
}

function isDuration(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

/** Checks an `acquire` request; returns the first problem or `undefined`. */
export function checkAcquireRequest(request: AcquireRequest): IdempotencyError | undefined {
  if (!isId(request?.scope)) return invalid("scope");
  if (!isId(request.key)) return invalid("key");
  if (typeof request.fingerprint !== "string" || request.fingerprint.length === 0)
    return invalid("fingerprint");
  if (!isDuration(request.leaseMs)) return invalid("leaseMs");
  if (!isDuration(request.ttlMs) || request.ttlMs < request.leaseMs) return invalid("ttlMs");
  return undefined;
}

/** Checks a lease passed to a write; returns the first problem or `undefined`. */
export function checkLease(lease: Lease, leaseMs?: number): IdempotencyError | undefined {
  if (!isId(lease?.scope)) return invalid("lease.scope");
  if (!isId(lease.key)) return invalid("lease.key");
  if (typeof lease.token !== "string" || lease.token.length === 0) return invalid("lease.token");
  if (leaseMs !== undefined && !isDuration(leaseMs)) return invalid("leaseMs");
  return undefined;
}

/** Parses JSON written by {@link encodeStoredJson}; `null`/empty input means "no value". */
export function decodeStoredJson(json: string | null | undefined): unknown {
  return json === null || json === undefined || json === "" ? undefined : JSON.parse(json);
}
