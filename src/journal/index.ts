/**
 * The audit journal: one record per event, dead letters, the data `replay` runs from.
 * @module
 */
export { isJournalError, JOURNAL_ERROR_CODES, type JournalErrorCode, journalError } from "./errors.js";
export { DERIVED_EVENT_ID_PREFIX, deriveEventId } from "./event-id.js";
export { toAuditJson } from "./json.js";
export { createMemoryJournal, type MemoryJournalOptions } from "./memory-journal.js";
export {
  compareJournalPosition,
  DEFAULT_LIST_LIMIT,
  decodeJournalCursor,
  encodeJournalCursor,
  type JournalCursor,
  MAX_LIST_LIMIT,
  matchesJournalFilter,
  type NormalizedJournalFilter,
  type NormalizedJournalListOptions,
  normalizeJournalFilter,
  normalizeJournalListOptions,
  normalizeJournalPurge,
} from "./query.js";
export {
  appendAuditAttempt,
  applyAuditPatch,
  checkEventId,
  createAuditRecord,
  MAX_EVENT_ID_LENGTH,
  mergeObjects,
  prepareAttempt,
} from "./record.js";
export {
  canTransition,
  isJournalStatus,
  isReplayableStatus,
  JOURNAL_STATUSES,
  type JournalStatus,
  REPLAYABLE_STATUSES,
  SETTLED_STATUSES,
  statusesAllowedBefore,
} from "./statuses.js";
export type {
  AuditAttempt,
  AuditAttemptInput,
  AuditAttemptOutcome,
  AuditBeginInput,
  AuditBeginResult,
  AuditError,
  AuditErrorInput,
  AuditJson,
  AuditObject,
  AuditObjectAction,
  AuditPatch,
  AuditRecord,
  AuditUpdateOptions,
  AuditValidation,
  Journal,
  JournalFilter,
  JournalListOptions,
  JournalPage,
  JournalPurgeOptions,
  JournalTime,
} from "./types.js";
