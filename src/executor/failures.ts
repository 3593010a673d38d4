import type { ContractError } from "../errors/index.js";
import { CrmError, isCrmError } from "../errors/index.js";
import type { IdempotencyError } from "../idempotency/index.js";
import type { UpsertPlan } from "../planner/index.js";
import type { PlanWritten } from "./journal-writes.js";
import type { SharedKeyLockError } from "./shared-key-locks.js";
import type { SyncFailure, SyncObject } from "./types.js";

/** Where a run stood when it failed; filled in as the run goes. */
export interface RunState {
  eventId: string;
  idempotencyKey?: string | undefined;
  step: string;
  objects: SyncObject[];
  plan?: UpsertPlan | undefined;
  apiCalls: number;
  replayable: boolean;
  /** What the journal's plan write left, so that the outcome write need not send the plan again. */
  planWritten?: PlanWritten | undefined;
}

/** A failure of the whole run from a `CrmError` or `ContractError`. */
export function failureOf(state: RunState, error: CrmError | ContractError): SyncFailure {
  return {
    action: error.action,
    reason: error.reason,
    error,
    eventId: state.eventId,
    idempotencyKey: state.idempotencyKey,
    step: state.step,
    objects: [...state.objects],
    replayable: state.replayable,
    apiCalls: state.apiCalls,
    plan: state.plan,
  };
}

function crmkitError(
  reason: CrmError["reason"],
  code: string,
  message: string,
  extra: { retryAfterMs?: number } = {},
): CrmError {
  return new CrmError({ reason, provider: "crmkit", code, message, ...extra });
}

/**
 * Turns what `runIdempotent` reports into the run's `CrmError`: the thrown step failure when the run executed
 * here, the stored failure on replay, or the store's own refusal (in progress, fingerprint mismatch, outage, …).
 */
export function crmErrorOfIdempotency(error: IdempotencyError, state: RunState): CrmError {
  switch (error.type) {
    case "HandlerFailed": {
      const cause = (error as { cause?: unknown }).cause;
      if (isCrmError(cause)) return cause;
      if (error.replayed) {
        state.step = "replay";
        return CrmError.fromJSON(
          error.error.data ?? { reason: "unknown_response", message: error.error.message },
        );
      }
      return new CrmError({ reason: "unknown_response", provider: "crmkit", cause, message: error.message });
    }
    case "InProgress":
      return crmkitError(
        "locked",
        "idempotency_in_progress",
        "another delivery of this event is being processed",
        {
          retryAfterMs: error.retryAfterMs,
        },
      );
    case "FingerprintMismatch":
      return crmkitError(
        "duplicate_conflict",
        "fingerprint_mismatch",
        `idempotency key ${error.key} was already used for a different payload; send a new key for a new event`,
      );
    case "StoreUnavailable":
      return crmkitError(
        "network_error",
        "store_unavailable",
        `idempotency store unavailable: ${error.message}`,
      );
    case "LeaseLost":
      return crmkitError(
        "locked",
        "lease_lost",
        "another worker took this event over; this worker stopped writing",
      );
    case "PayloadTooLarge":
      return crmkitError("payload_too_large", "idempotency_payload_too_large", error.message);
    case "InvalidInput":
      return crmkitError("validation_failed", "idempotency_invalid_input", error.message);
    case "Serialization":
      return crmkitError("unknown_response", "idempotency_serialization", error.message);
  }
}

/**
 * A shared key lock not taken: another worker held the record's key past `sharedKeyLocks.waitMs` (`locked`, so the
 * delivery is retried), or the store failed as it fails for the event's own lease.
 */
export function keyLockError(error: SharedKeyLockError, state: RunState): CrmError {
  if (error.type === "KeyLockTimeout") {
    return crmkitError(
      "locked",
      "key_lock_timeout",
      `another worker held ${error.key} longer than sharedKeyLocks.waitMs`,
    );
  }
  return crmErrorOfIdempotency(error, state);
}
