import { classify, isCrmError, redactString } from "../errors/index.js";
import { isIdempotencyError } from "./errors.js";
import type { JsonValue, SerializedError } from "./types.js";

// How runIdempotent stores a failure: whether the next delivery may run the work again, and the secret-free
// error it records either way.

/** How a thrown error is recorded: retryable releases the key for the next delivery, terminal is replayed. */
export type FailureClass = "retryable" | "terminal";

/** The default classifier: `review` errors (bad data) are terminal, everything else is retryable. */
export function defaultFailureClass(error: unknown): FailureClass {
  return classify(error).action === "review" ? "terminal" : "retryable";
}

/**
 * Turns any thrown value into a secret-free {@link SerializedError} (a `CrmError` keeps its `toJSON()` as `data`).
 *
 * @example
 * await store.fail(lease, { retryable: false, error: serializeError(caught) });
 */
export function serializeError(error: unknown): SerializedError {
  if (isCrmError(error)) {
    return {
      name: "CrmError",
      message: error.message,
      code: error.reason,
      data: error.toJSON() as unknown as JsonValue,
    };
  }
  if (isIdempotencyError(error))
    return { name: "IdempotencyError", message: error.message, code: error.type };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string"
      ? { name: error.name, message: redactString(error.message), code }
      : { name: error.name, message: redactString(error.message) };
  }
  return { name: typeof error, message: redactString(String(error)) };
}
