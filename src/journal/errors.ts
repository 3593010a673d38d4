import { CrmError, type CrmErrorReason, isCrmError } from "../errors/index.js";

/**
 * The `code` of every {@link CrmError} a journal returns (its `provider` is always `"crmkit"`):
 *
 * - `journal_unavailable` (reason `network_error`, action `retry`): the backend failed or the journal is closed.
 * - `journal_not_migrated` (reason `configuration_error`, action `alert`): the table does not exist; run `migrate()`.
 * - `journal_not_found` (reason `not_found`, action `review`): no record has that event id.
 * - `journal_conflict` (reason `duplicate_conflict`, action `review`): an `ifStatus`/`ifVersion` precondition or
 *   the status life cycle refused the write (someone else changed the record first).
 * - `journal_invalid_input` (reason `validation_failed`, action `review`): an argument is not valid (empty event id,
 *   unknown status, malformed cursor, limit out of range).
 */
export const JOURNAL_ERROR_CODES = [
  "journal_unavailable",
  "journal_not_migrated",
  "journal_not_found",
  "journal_conflict",
  "journal_invalid_input",
] as const;

/** One of {@link JOURNAL_ERROR_CODES}. */
export type JournalErrorCode = (typeof JOURNAL_ERROR_CODES)[number];

const REASONS: Record<JournalErrorCode, CrmErrorReason> = {
  journal_unavailable: "network_error",
  journal_not_migrated: "configuration_error",
  journal_not_found: "not_found",
  journal_conflict: "duplicate_conflict",
  journal_invalid_input: "validation_failed",
};

const CODES: ReadonlySet<string> = new Set(JOURNAL_ERROR_CODES);

/**
 * Builds the {@link CrmError} a journal returns for `code`; for journal implementers.
 *
 * @example
 * return errAsync(journalError("journal_not_found", `No audit record for event ${eventId}`));
 */
export function journalError(code: JournalErrorCode, message: string, cause?: unknown): CrmError {
  return new CrmError({
    reason: REASONS[code],
    provider: "crmkit",
    code,
    message,
    cause,
  });
}

/**
 * True for a {@link CrmError} returned by a journal, optionally with one `code`.
 *
 * @example
 * if (isJournalError(error, "journal_conflict")) return "someone else is replaying this event";
 */
export function isJournalError(value: unknown, code?: JournalErrorCode): value is CrmError {
  if (!isCrmError(value) || value.provider !== "crmkit" || !CODES.has(value.code)) return false;
  return code === undefined || value.code === code;
}
