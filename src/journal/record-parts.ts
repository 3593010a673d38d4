import { err, ok, type Result } from "neverthrow";
import type { CrmError, RedactOptions } from "../errors/index.js";
import { journalError } from "./errors.js";
import { toAuditJson, toAuditJsonSharing } from "./json.js";
import type {
  AuditAttempt,
  AuditAttemptInput,
  AuditBeginInput,
  AuditError,
  AuditErrorInput,
  AuditJson,
  AuditObject,
  AuditPatch,
  AuditRecord,
  AuditValidation,
} from "./types.js";

// The parts of an audit record as they are checked and converted before they are stored: objects, validation,
// errors and attempts. `record.ts` assembles them into records.

/** A record or part under construction. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const OUTCOMES = new Set(["succeeded", "partial", "failed"]);
const OBJECT_ACTIONS = new Set(["create", "update", "noop", "associate"]);

/** The `journal_invalid_input` error of an argument that is not valid. */
export const invalid = (message: string): CrmError => journalError("journal_invalid_input", message);

/** A failure as stored: serialized, redacted, and always an object. */
export function storedError(input: AuditErrorInput, redaction: RedactOptions): AuditError {
  const json = toAuditJson(input, redaction);
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { name: "CrmError", message: String(json), code: "unknown_response" } as unknown as AuditError;
  }
  return json as unknown as AuditError;
}

/** Checks objects entries and copies them, so nothing the caller passed is stored by reference. */
export function checkObjects(objects: readonly AuditObject[]): Result<AuditObject[], CrmError> {
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

/** Checks a validation result and redacts its issues. */
export function checkValidation(
  validation: AuditValidation,
  redaction: RedactOptions,
): Result<AuditValidation, CrmError> {
  if (validation.ok === true) return ok({ ok: true });
  if (validation.ok === false && Array.isArray(validation.issues)) {
    return ok(toAuditJson({ ok: false, issues: validation.issues }, redaction) as unknown as AuditValidation);
  }
  return err(invalid("validation must be { ok: true } or { ok: false, issues: [...] }"));
}

/** The plan's trace passed again as `trace` (the executor does): converted once when parts may be shared. */
export function planAndTrace(
  patch: AuditPatch | AuditBeginInput,
  redaction: RedactOptions,
): [plan: AuditJson, trace: AuditJson] | undefined {
  const { plan, trace } = patch;
  if (typeof plan !== "object" || plan === null || typeof trace !== "object" || trace === null)
    return undefined;
  if ((plan as { trace?: unknown }).trace !== trace) return undefined;
  return toAuditJsonSharing(plan, trace, redaction);
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
