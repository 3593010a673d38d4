/**
 * Where an event is in its life, as the journal records it:
 *
 * - `received`: recorded, nothing decided yet.
 * - `in_progress`: a worker is planning or applying it (also while a replay runs).
 * - `applied`: every planned write reached the CRM.
 * - `replayed`: applied by a replay of a dead letter (`replays` says how many replays it took).
 * - `noop`: valid, and the CRM already held the desired state; nothing was written.
 * - `partial_review`: some steps were applied, others need a person (for example an ambiguous duplicate match).
 * - `review`: nothing or nothing more can be written until a person fixes the data or the CRM (action `review`).
 * - `dead_letter`: crmkit gave up: retries were exhausted, or the failure needs an operator (action `alert`).
 * - `rejected`: the input does not satisfy the event contract; `validation.issues` says why and the CRM was never called.
 */
export type JournalStatus =
  | "received"
  | "in_progress"
  | "applied"
  | "replayed"
  | "noop"
  | "partial_review"
  | "review"
  | "dead_letter"
  | "rejected";

/** Every {@link JournalStatus}, in life-cycle order. */
export const JOURNAL_STATUSES = [
  "received",
  "in_progress",
  "applied",
  "replayed",
  "noop",
  "partial_review",
  "review",
  "dead_letter",
  "rejected",
] as const satisfies readonly JournalStatus[];

/**
 * The statuses of events that need attention and can be replayed: the dead-letter queue in the wide sense.
 *
 * @example
 * const { records } = (await journal.list({ statuses: REPLAYABLE_STATUSES })).unwrapOr({ records: [] });
 */
export const REPLAYABLE_STATUSES = [
  "partial_review",
  "review",
  "dead_letter",
  "rejected",
] as const satisfies readonly JournalStatus[];

/** The statuses of events whose outcome is settled and successful; a record never leaves them. */
export const SETTLED_STATUSES = ["applied", "replayed", "noop"] as const satisfies readonly JournalStatus[];

const SET: ReadonlySet<string> = new Set(JOURNAL_STATUSES);
const SETTLED: ReadonlySet<JournalStatus> = new Set(SETTLED_STATUSES);
const REPLAYABLE: ReadonlySet<JournalStatus> = new Set(REPLAYABLE_STATUSES);

/** True for strings that are one of the {@link JournalStatus} values. */
export function isJournalStatus(value: unknown): value is JournalStatus {
  return typeof value === "string" && SET.has(value);
}

/** True for the statuses a replay may start from ({@link REPLAYABLE_STATUSES}). */
export function isReplayableStatus(status: JournalStatus): boolean {
  return REPLAYABLE.has(status);
}

/**
 * Whether a record may move from `from` to `to`. Rewriting the same status is always allowed. Nothing moves back
 * to `received`; a settled success (`applied`, `replayed`, `noop`) is final, so a late or duplicate worker can
 * never turn a success into a failure; every other status may move anywhere else (a replay moves a dead letter
 * to `in_progress`, an operator may settle a `review` by hand).
 *
 * @example
 * canTransition("dead_letter", "in_progress") // true
 * canTransition("applied", "dead_letter") // false
 */
export function canTransition(from: JournalStatus, to: JournalStatus): boolean {
  if (from === to) return true;
  if (to === "received") return false;
  return !SETTLED.has(from);
}

/** The statuses a record may be in for a move to `to` to be allowed (see {@link canTransition}). */
export function statusesAllowedBefore(to: JournalStatus): JournalStatus[] {
  return JOURNAL_STATUSES.filter((from) => canTransition(from, to));
}
