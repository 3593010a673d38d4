import type { ResultAsync } from "neverthrow";
import type {
  ContractError,
  ContractErrorJSON,
  ContractIssue,
  CrmError,
  CrmErrorAction,
  CrmErrorJSON,
  CrmErrorReason,
} from "../errors/index.js";
import type { JournalStatus } from "./statuses.js";

/** Any value that survives a JSON round trip unchanged; everything a journal stores is of this shape. */
export type AuditJson = null | boolean | number | string | AuditJson[] | { [key: string]: AuditJson };

/** Whether the raw input satisfied the event contract, with every issue when it did not. */
export type AuditValidation =
  | { readonly ok: true }
  | { readonly ok: false; readonly issues: readonly ContractIssue[] };

/** What was done to one CRM object. `associate` records an association; `id` is then the association's key. */
export type AuditObjectAction = "create" | "update" | "noop" | "associate";

/** One CRM object an event touched, so an operator can open it in the CRM. */
export interface AuditObject {
  /** The plan step that produced it, e.g. `"contact"`, `"deal"`, `"note:contact"`. Unique within a record. */
  readonly step: string;
  /** The CRM object type, e.g. `"contact"`, `"company"`, `"deal"`. */
  readonly type: string;
  /** The CRM's id of the object. */
  readonly id: string;
  /** What was done to it. */
  readonly action: AuditObjectAction;
}

/** How one attempt ended. `partial`: some steps were written before it stopped. */
export type AuditAttemptOutcome = "succeeded" | "partial" | "failed";

/** A failure as stored: a `CrmError` or a `ContractError`, serialized and redacted. */
export type AuditError = CrmErrorJSON | ContractErrorJSON;

/** One pass of the executor over an event (the first run, each retry, each replay). */
export interface AuditAttempt {
  /** 1 for the first attempt; assigned by the journal in append order, so concurrent appends never collide. */
  readonly attempt: number;
  /** When the attempt started (epoch ms). */
  readonly startedAt: number;
  /** When it ended (epoch ms); absent when it was cut short (crash, abort). */
  readonly finishedAt?: number;
  /** How it ended. */
  readonly outcome: AuditAttemptOutcome;
  /** Why it failed; the vendor response body inside is redacted. */
  readonly error?: AuditError;
  /** How many CRM API calls it made. */
  readonly calls?: number;
}

/**
 * Everything known about one event: what arrived, what it meant, what was planned, what happened in each attempt,
 * which CRM objects it touched and how it ended. Plain JSON, secret-free (every value passed through `redact()`
 * before it was stored) and versioned: `version` grows by one with every write.
 */
export interface AuditRecord {
  /** The event's canonical `event_id`, or `deriveEventId(raw)` when the input had none. */
  readonly eventId: string;
  /** Grows by one with every write; pass it as `ifVersion` for compare-and-set updates. */
  readonly version: number;
  /** Where the event is in its life. */
  readonly status: JournalStatus;
  /** The idempotency key the executor used. */
  readonly idempotencyKey?: string;
  /** The event's `event_type`, when it had one. */
  readonly eventType?: string;
  /** The event's `source_system`, when it had one. */
  readonly sourceSystem?: string;
  /** The payload exactly as received (redacted): what a replay parses again. */
  readonly raw: AuditJson;
  /** The normalized canonical event, when parsing succeeded. */
  readonly event?: AuditJson;
  /** The contract validation result. */
  readonly validation: AuditValidation;
  /** The upsert plan, as produced by the planner (opaque to the journal). */
  readonly plan?: AuditJson;
  /** The planner's decision trace (opaque to the journal). */
  readonly trace?: AuditJson;
  /** The CRM objects the event created, updated, confirmed or associated, one per plan step. */
  readonly objects: readonly AuditObject[];
  /** Every attempt, oldest first. */
  readonly attempts: readonly AuditAttempt[];
  /** The final (or latest) failure. */
  readonly error?: AuditError;
  /** The failure's reason (`contract_violation` for a rejected input). */
  readonly reason?: CrmErrorReason | "contract_violation";
  /** What the caller must do about the failure. */
  readonly action?: CrmErrorAction;
  /** For a record created by replaying another one under a new event id: the original's event id. */
  readonly replayOf?: string;
  /** How many replays of this record were started. */
  readonly replays: number;
  /** When the record was created (epoch ms, the journal's clock). */
  readonly createdAt: number;
  /** When the record was last written (epoch ms, the journal's clock). */
  readonly updatedAt: number;
}

/** A failure as it may be passed in: an error instance (serialized with `toJSON()`) or its JSON. */
export type AuditErrorInput = AuditError | CrmError | ContractError;

/** The first write for an event: what {@link Journal.begin} takes. */
export interface AuditBeginInput {
  /** The event id (≤ 512 characters, non-empty). */
  eventId: string;
  /** The payload as received; redacted before it is stored. Bytes and strings are stored as text. */
  raw: unknown;
  /** @default "received" */
  status?: JournalStatus | undefined;
  /** The idempotency key the executor will use. */
  idempotencyKey?: string | undefined;
  /** The event's `event_type`. */
  eventType?: string | undefined;
  /** The event's `source_system`. */
  sourceSystem?: string | undefined;
  /** The normalized event. */
  event?: unknown;
  /** @default { ok: true } */
  validation?: AuditValidation | undefined;
  /** The upsert plan. */
  plan?: unknown;
  /** The decision trace. */
  trace?: unknown;
  /** CRM objects already known. @default [] */
  objects?: readonly AuditObject[] | undefined;
  /** The failure, e.g. the `ContractError` of a rejected input. */
  error?: AuditErrorInput | undefined;
  /** @default the error's reason */
  reason?: CrmErrorReason | "contract_violation" | undefined;
  /** @default the error's action */
  action?: CrmErrorAction | undefined;
  /** The event id of the record this one replays, when a replay runs under a new event id. */
  replayOf?: string | undefined;
}

/** What {@link Journal.begin} returns. */
export interface AuditBeginResult {
  /** The stored record: the new one, or the existing one unchanged. */
  readonly record: AuditRecord;
  /** False when a record with this event id already existed (a duplicate delivery); nothing was written then. */
  readonly created: boolean;
}

/** One attempt to append with {@link Journal.appendAttempt}; the journal numbers it. */
export interface AuditAttemptInput {
  /** When the attempt started (epoch ms). */
  startedAt: number;
  /** When it ended (epoch ms). */
  finishedAt?: number | undefined;
  /** How it ended. */
  outcome: AuditAttemptOutcome;
  /** Why it failed. */
  error?: AuditErrorInput | undefined;
  /** How many CRM API calls it made. */
  calls?: number | undefined;
}

/**
 * A change to a record: fields that are present replace the stored ones, except `objects`, which merge by `step`
 * (a step already recorded is replaced, new steps are appended). `null` clears an optional field.
 */
export interface AuditPatch {
  /** The new status; must be allowed by `canTransition` from the current one. */
  status?: JournalStatus | undefined;
  idempotencyKey?: string | null | undefined;
  eventType?: string | null | undefined;
  sourceSystem?: string | null | undefined;
  event?: unknown;
  validation?: AuditValidation | undefined;
  plan?: unknown;
  trace?: unknown;
  /** Merged into the stored objects by `step`. */
  objects?: readonly AuditObject[] | undefined;
  /** Sets the failure (and, unless given, `reason` and `action` from it); `null` clears all three. */
  error?: AuditErrorInput | null | undefined;
  reason?: CrmErrorReason | "contract_violation" | null | undefined;
  action?: CrmErrorAction | null | undefined;
  /**
   * True when this write starts a replay: `replays` grows by one in the same atomic write. Refused with
   * `journal_conflict` unless the record is in one of the `REPLAYABLE_STATUSES`.
   */
  replay?: boolean | undefined;
  /**
   * An attempt appended in the same atomic write, numbered as {@link Journal.appendAttempt} numbers it: a record
   * then never shows an outcome without the attempt that reached it, and a backend saves a round trip.
   * @example
   * journal.update(eventId, { status: "applied", objects, attempt: { startedAt, finishedAt, outcome: "succeeded" } })
   */
  attempt?: AuditAttemptInput | undefined;
}

/** Preconditions of {@link Journal.update}; when one fails nothing is written and the error is `journal_conflict`. */
export interface AuditUpdateOptions {
  /** The record must currently have this status (or one of these). */
  ifStatus?: JournalStatus | readonly JournalStatus[] | undefined;
  /** The record must currently have this `version`. */
  ifVersion?: number | undefined;
}

/** A moment: epoch milliseconds or a `Date`. */
export type JournalTime = number | Date;

/** Which records {@link Journal.count} and {@link Journal.list} consider. Filters combine with AND. */
export interface JournalFilter {
  /** Only records with this status. */
  status?: JournalStatus | undefined;
  /** Only records with one of these statuses (combined with `status` when both are given). */
  statuses?: readonly JournalStatus[] | undefined;
  /** Only records of this `event_type`. */
  eventType?: string | undefined;
  /** Only records last written at or after this moment (`updatedAt >= since`). */
  since?: JournalTime | undefined;
  /** Only records last written before this moment (`updatedAt < until`). */
  until?: JournalTime | undefined;
}

/** Options of {@link Journal.list}. */
export interface JournalListOptions extends JournalFilter {
  /**
   * Page size, 1–1000.
   * @default 100
   */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  /**
   * `asc`: oldest `updatedAt` first, so records written during the iteration come last and none is skipped.
   * @default "asc"
   */
  order?: "asc" | "desc" | undefined;
}

/** One page of {@link Journal.list}. */
export interface JournalPage {
  /** The records, ordered by `updatedAt`, then `eventId`. */
  readonly records: readonly AuditRecord[];
  /** Pass it as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

/** Options of {@link Journal.purge}. */
export interface JournalPurgeOptions {
  /** Deletes records last written before this moment. */
  olderThan: JournalTime;
  /**
   * Only records with one of these statuses, e.g. `SETTLED_STATUSES` to keep dead letters.
   * @default every status
   */
  statuses?: readonly JournalStatus[] | undefined;
}

/**
 * The audit journal SPI: one {@link AuditRecord} per event, written by the executor and read by operators and
 * `replay`. Every write is atomic per record: concurrent `appendAttempt`s for one event never lose an attempt, and
 * `update` with `ifStatus`/`ifVersion` is a compare-and-set. Failures are {@link CrmError}s with provider
 * `"crmkit"` and one of the `JOURNAL_ERROR_CODES` as `code`.
 */
export interface Journal {
  /** Creates the record for an event, or returns the existing one unchanged (`created: false`). */
  begin(input: AuditBeginInput): ResultAsync<AuditBeginResult, CrmError>;
  /** Appends an attempt, numbered by the journal; `journal_not_found` when the record does not exist. */
  appendAttempt(eventId: string, attempt: AuditAttemptInput): ResultAsync<AuditRecord, CrmError>;
  /** Applies a patch atomically; `journal_not_found`, or `journal_conflict` when a precondition or the status life cycle refuses it. */
  update(
    eventId: string,
    patch: AuditPatch,
    options?: AuditUpdateOptions,
  ): ResultAsync<AuditRecord, CrmError>;
  /** The record of an event, or `undefined`. */
  get(eventId: string): ResultAsync<AuditRecord | undefined, CrmError>;
  /** One page of records matching the filter, ordered by `updatedAt` then `eventId` (keyset pagination). */
  list(options?: JournalListOptions): ResultAsync<JournalPage, CrmError>;
  /** How many records match the filter. */
  count(filter?: JournalFilter): ResultAsync<number, CrmError>;
  /** Deletes one record; true when it existed. */
  delete(eventId: string): ResultAsync<boolean, CrmError>;
  /** Deletes old records; returns how many. */
  purge(options: JournalPurgeOptions): ResultAsync<number, CrmError>;
  /** Releases the journal; later calls fail with `journal_unavailable`. Never closes a client the caller passed in. */
  close(): ResultAsync<void, CrmError>;
}
