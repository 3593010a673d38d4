import assert from "node:assert/strict";
import { CrmError } from "../errors/index.js";
import {
  assertTwentyAttempts,
  expectErr,
  expectOk,
  type JournalSuite,
  SECRET,
} from "./journal-conformance-harness.js";

/** Attempts: none is lost or renumbered under concurrent appends and updates, over one or two connections. */
export function registerJournalAttemptTests(suite: JournalSuite): void {
  const { test, seed, options } = suite;
  test("never loses an attempt under 20 concurrent appends for the same event", async (context) => {
    const eventId = context.id("attempts");
    await seed(context, "attempts");
    const second = await options.createSecondConnection?.();
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? context.journal : (second ?? context.journal)).appendAttempt(eventId, {
            startedAt: 1000 + i,
            outcome: "failed",
            calls: i,
          }),
        ),
      );
      for (const result of results) expectOk(result);
      const record = expectOk(await context.journal.get(eventId));
      assertTwentyAttempts(record);
      assert.equal(record?.version, 21);
    } finally {
      await second?.close();
    }
  });

  test("concurrent updates and appends all land: 10 attempts and 10 object steps", async (context) => {
    const eventId = context.id("mixed");
    await seed(context, "mixed", "in_progress");
    const second = await options.createSecondConnection?.();
    try {
      const writes = Array.from({ length: 20 }, (_, i) => {
        const journal = i % 2 === 0 ? context.journal : (second ?? context.journal);
        return i < 10
          ? journal.appendAttempt(eventId, { startedAt: i, outcome: "partial" })
          : journal.update(eventId, {
              objects: [{ step: `s${i}`, type: "note", id: `${i}`, action: "create" }],
            });
      });
      for (const result of await Promise.all(writes)) expectOk(result);
      const record = expectOk(await context.journal.get(eventId));
      assert.equal(record?.attempts.length, 10);
      assert.equal(record?.objects.length, 10);
      assert.equal(record?.version, 21);
    } finally {
      await second?.close();
    }
  });

  test("update with an attempt appends it in the same write, numbered and redacted, or writes nothing", async (context) => {
    const eventId = context.id("outcome");
    await seed(context, "outcome", "in_progress");
    expectOk(await context.journal.appendAttempt(eventId, { startedAt: 1, outcome: "failed" }));
    const record = expectOk(
      await context.journal.update(eventId, {
        status: "applied",
        objects: [{ step: "contact", type: "contact", id: "1", action: "create" }],
        attempt: {
          startedAt: 5,
          finishedAt: 6,
          outcome: "succeeded",
          calls: 3,
          error: new CrmError({
            reason: "rate_limited",
            provider: "hubspot",
            status: 429,
            message: `Authorization: Bearer ${SECRET} was refused once`,
          }),
        },
      }),
    );
    assert.equal(record.version, 3);
    assert.equal(record.status, "applied");
    assert.deepEqual(
      record.attempts.map((a) => [a.attempt, a.startedAt, a.finishedAt, a.outcome, a.calls]),
      [
        [1, 1, undefined, "failed", undefined],
        [2, 5, 6, "succeeded", 3],
      ],
    );
    assert.ok(!JSON.stringify(record).includes(SECRET));
    expectErr(
      await context.journal.update(eventId, {
        plan: { replaced: true },
        attempt: { startedAt: Number.NaN, outcome: "failed" },
      }),
      "journal_invalid_input",
    );
    const stored = expectOk(await context.journal.get(eventId));
    assert.equal(stored?.version, 3);
    assert.equal(stored?.status, "applied");
    assert.equal(stored?.attempts.length, 2);
    assert.deepEqual(stored, record);
  });

  test("never loses or renumbers an attempt under 20 concurrent updates that carry one", async (context) => {
    const eventId = context.id("update-attempts");
    await seed(context, "update-attempts", "in_progress");
    const second = await options.createSecondConnection?.();
    try {
      const writes = Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? context.journal : (second ?? context.journal)).update(eventId, {
          objects: [{ step: `s${i}`, type: "note", id: `${i}`, action: "create" }],
          attempt: { startedAt: i, outcome: "partial", calls: i },
        }),
      );
      for (const result of await Promise.all(writes)) expectOk(result);
      const record = expectOk(await context.journal.get(eventId));
      assertTwentyAttempts(record);
      assert.equal(record?.objects.length, 20);
      assert.equal(record?.version, 21);
    } finally {
      await second?.close();
    }
  });
}
