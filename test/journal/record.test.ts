import { describe, expect, it } from "vitest";
import { ContractError, contractIssue } from "../../src/errors/index.js";
import {
  type AuditRecord,
  appendAuditAttempt,
  applyAuditPatch,
  createAuditRecord,
  isJournalError,
  mergeObjects,
  prepareAttempt,
} from "../../src/journal/index.js";

const base = (): AuditRecord => createAuditRecord({ eventId: "e", raw: { a: 1 } }, 100)._unsafeUnwrap();

describe("createAuditRecord", () => {
  it("derives reason and action from a ContractError and keeps every issue", () => {
    const error = new ContractError([contractIssue(["contact", "email"], "invalid_email", "not an email")]);
    const record = createAuditRecord(
      {
        eventId: "bad",
        raw: "{}",
        status: "rejected",
        validation: { ok: false, issues: error.issues },
        error,
      },
      1,
    )._unsafeUnwrap();
    expect([record.reason, record.action, record.error?.name]).toEqual([
      "contract_violation",
      "review",
      "ContractError",
    ]);
    expect(record.validation).toEqual({ ok: false, issues: [error.issues[0]] });
  });

  it("omits optional fields that were not given instead of storing undefined", () => {
    expect(Object.keys(base()).sort()).toEqual(
      [
        "attempts",
        "createdAt",
        "eventId",
        "objects",
        "raw",
        "replays",
        "status",
        "updatedAt",
        "validation",
        "version",
      ].sort(),
    );
  });

  it("rejects NUL characters in event ids, which PostgreSQL text cannot hold", () => {
    const result = createAuditRecord({ eventId: `a${String.fromCharCode(0)}b`, raw: {} }, 1);
    expect(isJournalError(result._unsafeUnwrapErr(), "journal_invalid_input")).toBe(true);
  });
});

describe("applyAuditPatch", () => {
  it("bumps the version and never moves updatedAt backwards", () => {
    const next = applyAuditPatch(base(), { plan: { x: 1 } }, 50)._unsafeUnwrap();
    expect([next.version, next.updatedAt, next.createdAt]).toEqual([2, 100, 100]);
  });

  it("leaves the input record untouched", () => {
    const record = base();
    const snapshot = structuredClone(record);
    applyAuditPatch(
      record,
      { status: "in_progress", objects: [{ step: "s", type: "t", id: "1", action: "create" }] },
      200,
    );
    expect(record).toEqual(snapshot);
  });

  it("clears optional text fields with null", () => {
    const withKey = applyAuditPatch(base(), { idempotencyKey: "k", eventType: "t" }, 101)._unsafeUnwrap();
    const cleared = applyAuditPatch(withKey, { idempotencyKey: null }, 102)._unsafeUnwrap();
    expect([cleared.idempotencyKey, cleared.eventType]).toEqual([undefined, "t"]);
  });

  it("refuses malformed objects and actions with journal_invalid_input", () => {
    const bad = applyAuditPatch(base(), { objects: [{ step: "", type: "t", id: "1", action: "create" }] }, 1);
    expect(isJournalError(bad._unsafeUnwrapErr(), "journal_invalid_input")).toBe(true);
    const action = applyAuditPatch(base(), { action: "panic" as never }, 1);
    expect(isJournalError(action._unsafeUnwrapErr(), "journal_invalid_input")).toBe(true);
  });
});

describe("attempts", () => {
  it("numbers appended attempts from 1 in order", () => {
    const first = prepareAttempt({
      startedAt: 1,
      finishedAt: 2,
      outcome: "failed",
      calls: 3,
    })._unsafeUnwrap();
    const record = appendAuditAttempt(appendAuditAttempt(base(), first, 200), first, 300);
    expect(record.attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect([record.version, record.updatedAt]).toEqual([3, 300]);
  });

  it("refuses negative or fractional call counts and unknown outcomes", () => {
    expect(prepareAttempt({ startedAt: 1, outcome: "failed", calls: -1 }).isErr()).toBe(true);
    expect(prepareAttempt({ startedAt: 1, outcome: "failed", calls: 1.5 }).isErr()).toBe(true);
    expect(prepareAttempt({ startedAt: 1, outcome: "exploded" as never }).isErr()).toBe(true);
  });
});

describe("mergeObjects", () => {
  it("replaces a recorded step in place and appends new steps in order", () => {
    const merged = mergeObjects(
      [
        { step: "a", type: "contact", id: "1", action: "create" },
        { step: "b", type: "deal", id: "2", action: "create" },
      ],
      [
        { step: "c", type: "note", id: "3", action: "create" },
        { step: "a", type: "contact", id: "1", action: "noop" },
      ],
    );
    expect(merged.map((o) => `${o.step}:${o.action}`)).toEqual(["a:noop", "b:create", "c:create"]);
  });
});
