import { err, ok, type Result } from "neverthrow";
import type { CrmError, CrmErrorAction, RedactOptions } from "../errors/index.js";
import { journalError } from "./errors.js";
import { toAuditJson } from "./json.js";
import {
  canTransition,
  isJournalStatus,
  isReplayableStatus,
  type JournalStatus,
  REPLAYABLE_STATUSES,
} from "./statuses.js";
import type {
  AuditAttempt,
  AuditAttemptInput,
  AuditBeginInput,
  AuditError,
  AuditErrorInput,
  AuditObject,
  AuditPatch,
  AuditRecord,
  AuditUpdateOptions,
  AuditValidation,
} from "./types.js";

/** The longest event id a journal accepts. */
export const MAX_EVENT_ID_LENGTH = 512;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Reason = NonNullable<AuditRecord["reason"]>;

const OUTCOMES = new Set(["succeeded", "partial", "failed"]);
const OBJECT_ACTIONS = new Set(["create", "update", "noop", "associate"]);
const ACTIONS = new Set(["retry", "review", "alert"]);

const NUL = String.fromCharCode(0);
const invalid = (message: string): CrmError => journalError("journal_invalid_input", message);

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

function storedError(input: AuditErrorInput, redaction: RedactOptions): AuditError {
  const json = toAuditJson(input, redaction);
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { name: "CrmError", message: String(json), code: "unknown_response" } as unknown as AuditError;
  }
  return json as unknown as AuditError;
}

function checkObjects(objects: readonly AuditObject[]): Result<AuditObject[], CrmError> {
  const out: AuditObject[] = [];
  for (const item of objects) {
    const ok_ =
      typeof item === "object" &&
      item !== null &&
      typeof item.step === "string" &&
      item.step.length > 0 &&
      typeof item.type === "string" &&
      typeof item.id === "string" &&
      OBJECT_ACTIONS.has(item.action);
    if (!ok_)
      return err(invalid("objects[] entries need a non-empty step, a type, an id and a known action"));
    out.push({ step: item.step, type: item.type, id: item.id, action: item.action });
  }
  return ok(out);
}

/** Merges objects by `step`: a recorded step is replaced in place, new steps are appended in order. */
export function mergeObjects(
  current: readonly AuditObject[],
  incoming: readonly AuditObject[],
): AuditObject[] {
  const merged = [...current];
  for (const item of incoming) {
    const index = merged.findIndex((existing) => existing.step === item.step);
    if (index >= 0) merged[index] = item;
    else merged.push(item);
  }
  return merged;
}

function checkValidation(
  validation: AuditValidation,
  redaction: RedactOptions,
): Result<AuditValidation, CrmError> {
  if (validation.ok === true) return ok({ ok: true });
  if (validation.ok === false && Array.isArray(validation.issues)) {
    return ok(toAuditJson({ ok: false, issues: validation.issues }, redaction) as unknown as AuditValidation);
  }
  return err(invalid("validation must be { ok: true } or { ok: false, issues: [...] }"));
}

// Applies the fields shared by begin and update onto `target`; `null` deletes an optional field.
function assign(
  target: Mutable<AuditRecord>,
  patch: AuditPatch | AuditBeginInput,
  redaction: RedactOptions,
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
  for (const key of ["event", "plan", "trace"] as const) {
    if (!(key in patch) || patch[key] === undefined) continue;
    if (patch[key] === null) delete target[key];
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
  return assign(base, input, redaction).map((record) => record as AuditRecord);
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
  const conflict = preconditionFailure(record, patch, options);
  if (conflict !== undefined) return err(conflict);
  const next: Mutable<AuditRecord> = {
    ...record,
    objects: [...record.objects],
    version: record.version + 1,
    updatedAt: Math.max(record.updatedAt, now),
  };
  if (patch.replay === true) next.replays = record.replays + 1;
  return assign(next, patch, redaction).map((value) => value as AuditRecord);
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

/**
 * Checks and redacts an attempt, without its number (the journal assigns it when appending); for journal
 * implementers.
 */
export function prepareAttempt(
  input: AuditAttemptInput,
  redaction: RedactOptions = {},
): Result<Omit<AuditAttempt, "attempt">, CrmError> {
  if (typeof input !== "object" || input === null || !Number.isFinite(input.startedAt)) {
    return err(invalid("attempt.startedAt must be a finite number (epoch ms)"));
  }
  if (!OUTCOMES.has(input.outcome))
    return err(invalid("attempt.outcome must be succeeded, partial or failed"));
  const attempt: Mutable<Omit<AuditAttempt, "attempt">> = {
    startedAt: input.startedAt,
    outcome: input.outcome,
  };
  if (input.finishedAt !== undefined) {
    if (!Number.isFinite(input.finishedAt)) return err(invalid("attempt.finishedAt must be a finite number"));
    attempt.finishedAt = input.finishedAt;
  }
  if (input.error !== undefined) attempt.error = storedError(input.error, redaction);
  if (input.calls !== undefined) {
    if (!Number.isInteger(input.calls) || input.calls < 0) {
      return err(invalid("attempt.calls must be a non-negative integer"));
    }
    attempt.calls = input.calls;
  }
  return ok(attempt);
}

/** Returns `record` with `attempt` appended as the next number, `version` + 1 and `updatedAt` = `now`. */
export function appendAuditAttempt(
  record: AuditRecord,
  attempt: Omit<AuditAttempt, "attempt">,
  now: number,
): AuditRecord {
  return {
    ...record,
    attempts: [...record.attempts, { attempt: record.attempts.length + 1, ...attempt }],
    version: record.version + 1,
    updatedAt: Math.max(record.updatedAt, now),
  };
}
