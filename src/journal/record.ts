import { err, ok, type Result } from "neverthrow";
import type { CrmError, CrmErrorAction, RedactOptions } from "../errors/index.js";
import { journalError } from "./errors.js";
import { toAuditJson } from "./json.js";
import {
  checkObjects,
  checkValidation,
  invalid,
  type Mutable,
  mergeObjects,
  planAndTrace,
  prepareAttempt,
  storedError,
} from "./record-parts.js";
import {
  canTransition,
  isJournalStatus,
  isReplayableStatus,
  type JournalStatus,
  REPLAYABLE_STATUSES,
} from "./statuses.js";
import type { AuditBeginInput, AuditPatch, AuditRecord, AuditUpdateOptions } from "./types.js";

export { appendAuditAttempt, mergeObjects, prepareAttempt } from "./record-parts.js";

/** The longest event id a journal accepts. */
export const MAX_EVENT_ID_LENGTH = 512;

type Reason = NonNullable<AuditRecord["reason"]>;

const ACTIONS = new Set(["retry", "review", "alert"]);

const NUL = String.fromCharCode(0);

/** Checks an event id: a non-empty string of at most {@link MAX_EVENT_ID_LENGTH} characters. */
export function checkEventId(eventId: unknown): Result<string, CrmError> {
  if (
    typeof eventId !== "string" ||
    eventId.length === 0 ||
    eventId.length > MAX_EVENT_ID_LENGTH ||
    eventId.includes(NUL)
  ) {
    return err(
      invalid(`eventId must be a non-empty string of at most ${MAX_EVENT_ID_LENGTH} characters, without NUL`),
    );
  }
  return ok(eventId);
}

// Applies the fields shared by begin and update onto `target`; `null` deletes an optional field. With `share`,
// `plan` and `trace` may come out sharing objects: only for stores that never change what they hold.
function assign(
  target: Mutable<AuditRecord>,
  patch: AuditPatch | AuditBeginInput,
  redaction: RedactOptions,
  share = false,
): Result<Mutable<AuditRecord>, CrmError> {
  if (patch.status !== undefined) {
    if (!isJournalStatus(patch.status))
      return err(invalid(`status "${String(patch.status)}" is not a JournalStatus`));
    target.status = patch.status;
  }
  for (const key of ["idempotencyKey", "eventType", "sourceSystem"] as const) {
    const value: unknown = patch[key];
    if (value === null) delete target[key];
    else if (typeof value === "string") target[key] = toAuditJson(value, redaction) as string;
    else if (value !== undefined) return err(invalid(`${key} must be a string`));
  }
  const shared = share ? planAndTrace(patch, redaction) : undefined;
  for (const key of ["event", "plan", "trace"] as const) {
    if (!(key in patch) || patch[key] === undefined) continue;
    if (patch[key] === null) delete target[key];
    else if (shared !== undefined && key !== "event") target[key] = shared[key === "plan" ? 0 : 1];
    else target[key] = toAuditJson(patch[key], redaction);
  }
  if (patch.validation !== undefined) {
    const validation = checkValidation(patch.validation, redaction);
    if (validation.isErr()) return err(validation.error);
    target.validation = validation.value;
  }
  if (patch.objects !== undefined) {
    if (!Array.isArray(patch.objects)) return err(invalid("objects must be an array"));
    const objects = checkObjects(patch.objects);
    if (objects.isErr()) return err(objects.error);
    target.objects = mergeObjects(target.objects, objects.value);
  }
  if (patch.error === null) {
    delete target.error;
    delete target.reason;
    delete target.action;
  } else if (patch.error !== undefined) {
    const error = storedError(patch.error, redaction);
    target.error = error;
    const derived = error as { reason?: unknown; action?: unknown };
    if (typeof derived.reason === "string") target.reason = derived.reason as Reason;
    if (typeof derived.action === "string" && ACTIONS.has(derived.action)) {
      target.action = derived.action as CrmErrorAction;
    }
  }
  if (patch.reason === null) delete target.reason;
  else if (patch.reason !== undefined) target.reason = patch.reason;
  if (patch.action === null) delete target.action;
  else if (patch.action !== undefined) {
    if (!ACTIONS.has(patch.action)) return err(invalid("action must be retry, review or alert"));
    target.action = patch.action;
  }
  return ok(target);
}

/**
 * Builds version 1 of a record from {@link AuditBeginInput}, redacting every value; for journal implementers.
 *
 * @example
 * const record = createAuditRecord({ eventId: "evt_1", raw: body }, clock.now());
 */
export function createAuditRecord(
  input: AuditBeginInput,
  now: number,
  redaction: RedactOptions = {},
): Result<AuditRecord, CrmError> {
  return buildRecord(input, now, redaction, false);
}

/** {@link createAuditRecord} for a store that never changes what it holds: parts of the record may share objects. */
export function createSharedAuditRecord(
  input: AuditBeginInput,
  now: number,
  redaction: RedactOptions,
): Result<AuditRecord, CrmError> {
  return buildRecord(input, now, redaction, true);
}

function buildRecord(
  input: AuditBeginInput,
  now: number,
  redaction: RedactOptions,
  share: boolean,
): Result<AuditRecord, CrmError> {
  const id = checkEventId(input.eventId);
  if (id.isErr()) return err(id.error);
  if (input.replayOf !== undefined && checkEventId(input.replayOf).isErr()) {
    return err(invalid("replayOf must be an event id"));
  }
  const base: Mutable<AuditRecord> = {
    eventId: id.value,
    version: 1,
    status: "received",
    raw: toAuditJson(input.raw, redaction),
    validation: { ok: true },
    objects: [],
    attempts: [],
    replays: 0,
    createdAt: now,
    updatedAt: now,
  };
  if (input.replayOf !== undefined) base.replayOf = input.replayOf;
  return assign(base, input, redaction, share).map((record) => record as AuditRecord);
}

/**
 * Checks `options` and the status life cycle against `record`, then returns the patched record with `version`
 * + 1 and `updatedAt` = `now` (never earlier than before); for journal implementers.
 */
export function applyAuditPatch(
  record: AuditRecord,
  patch: AuditPatch,
  now: number,
  options: AuditUpdateOptions = {},
  redaction: RedactOptions = {},
): Result<AuditRecord, CrmError> {
  return patchRecord(record, patch, now, options, redaction, false);
}

/** {@link applyAuditPatch} for a store that never changes what it holds: parts of the record may share objects. */
export function applySharedAuditPatch(
  record: AuditRecord,
  patch: AuditPatch,
  now: number,
  options: AuditUpdateOptions,
  redaction: RedactOptions,
): Result<AuditRecord, CrmError> {
  return patchRecord(record, patch, now, options, redaction, true);
}

function patchRecord(
  record: AuditRecord,
  patch: AuditPatch,
  now: number,
  options: AuditUpdateOptions,
  redaction: RedactOptions,
  share: boolean,
): Result<AuditRecord, CrmError> {
  const conflict = preconditionFailure(record, patch, options);
  if (conflict !== undefined) return err(conflict);
  const next: Mutable<AuditRecord> = {
    ...record,
    objects: [...record.objects],
    version: record.version + 1,
    updatedAt: Math.max(record.updatedAt, now),
  };
  if (patch.replay === true) next.replays = record.replays + 1;
  if (patch.attempt !== undefined) {
    const attempt = prepareAttempt(patch.attempt, redaction);
    if (attempt.isErr()) return err(attempt.error);
    next.attempts = [...record.attempts, { attempt: record.attempts.length + 1, ...attempt.value }];
  }
  return assign(next, patch, redaction, share).map((value) => value as AuditRecord);
}

function preconditionFailure(
  record: AuditRecord,
  patch: AuditPatch,
  options: AuditUpdateOptions,
): CrmError | undefined {
  const { ifStatus, ifVersion } = options;
  if (ifVersion !== undefined && record.version !== ifVersion) {
    return journalError(
      "journal_conflict",
      `Audit record ${record.eventId} is at version ${record.version}, not ${ifVersion}`,
    );
  }
  if (ifStatus !== undefined) {
    const allowed: readonly JournalStatus[] = typeof ifStatus === "string" ? [ifStatus] : ifStatus;
    if (!allowed.includes(record.status)) {
      return journalError(
        "journal_conflict",
        `Audit record ${record.eventId} is ${record.status}, not ${allowed.join(" or ")}`,
      );
    }
  }
  if (patch.replay === true && !isReplayableStatus(record.status)) {
    return journalError(
      "journal_conflict",
      `Audit record ${record.eventId} is ${record.status}; only ${REPLAYABLE_STATUSES.join(", ")} can be replayed`,
    );
  }
  if (
    patch.status !== undefined &&
    isJournalStatus(patch.status) &&
    !canTransition(record.status, patch.status)
  ) {
    return journalError(
      "journal_conflict",
      `Audit record ${record.eventId} cannot move from ${record.status} to ${patch.status}`,
    );
  }
  return undefined;
}
