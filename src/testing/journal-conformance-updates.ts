import assert from "node:assert/strict";
import { CrmError, type CrmErrorJSON } from "../errors/index.js";
import { expectErr, expectOk, type JournalSuite } from "./journal-conformance-harness.js";

/** Update: the status life cycle, compare-and-set, and how errors and objects are merged into a record. */
export function registerJournalUpdateTests(suite: JournalSuite): void {
  const { test, tick, seed, options } = suite;
  test("update moves through the life cycle, bumping version and replays", async (context) => {
    const eventId = context.id("cycle");
    await seed(context, "cycle");
    const steps = [
      { patch: { status: "in_progress" as const }, replays: 0 },
      {
        patch: {
          status: "dead_letter" as const,
          error: new CrmError({ reason: "server_error", provider: "x" }),
        },
        replays: 0,
      },
      { patch: { status: "in_progress" as const, replay: true, error: null }, replays: 1 },
      { patch: { status: "replayed" as const }, replays: 1 },
    ];
    let version = 1;
    for (const { patch, replays } of steps) {
      await tick();
      const record = expectOk(await context.journal.update(eventId, patch));
      version += 1;
      assert.equal(record.status, patch.status);
      assert.equal(record.version, version);
      assert.equal(record.replays, replays);
      assert.ok(record.updatedAt > record.createdAt);
    }
    const final = expectOk(await context.journal.get(eventId));
    assert.equal(final?.status, "replayed");
    assert.equal(final?.error, undefined);
    assert.equal(final?.reason, undefined);
  });

  test("refuses to leave or replay a settled success or to go back to received, and writes nothing", async (context) => {
    const eventId = context.id("settled");
    await seed(context, "settled");
    const applied = expectOk(await context.journal.update(eventId, { status: "applied" }));
    expectErr(await context.journal.update(eventId, { status: "dead_letter" }), "journal_conflict");
    expectErr(await context.journal.update(eventId, { status: "received" }), "journal_conflict");
    expectErr(await context.journal.update(eventId, { status: "applied", replay: true }), "journal_conflict");
    assert.deepEqual(expectOk(await context.journal.get(eventId)), applied);
    const same = expectOk(
      await context.journal.update(eventId, { status: "applied", plan: { again: true } }),
    );
    assert.equal(same.version, applied.version + 1);
  });

  test("ifStatus and ifVersion make update a compare-and-set", async (context) => {
    const eventId = context.id("cas");
    await seed(context, "cas", "dead_letter");
    expectErr(await context.journal.update(eventId, { plan: 1 }, { ifVersion: 7 }), "journal_conflict");
    expectErr(await context.journal.update(eventId, { plan: 1 }, { ifStatus: "review" }), "journal_conflict");
    const ok = expectOk(
      await context.journal.update(eventId, { plan: 1 }, { ifVersion: 1, ifStatus: ["dead_letter"] }),
    );
    assert.equal(ok.version, 2);
  });

  test("exactly one of 20 concurrent replay claims of a dead letter wins", async (context) => {
    const eventId = context.id("claim");
    await seed(context, "claim", "dead_letter");
    const second = await options.createSecondConnection?.();
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? context.journal : (second ?? context.journal)).update(
            eventId,
            { status: "in_progress", replay: true },
            { ifStatus: "dead_letter" },
          ),
        ),
      );
      assert.equal(results.filter((r) => r.isOk()).length, 1);
      for (const result of results.filter((r) => r.isErr())) expectErr(result, "journal_conflict");
      const record = expectOk(await context.journal.get(eventId));
      assert.deepEqual([record?.status, record?.replays, record?.version], ["in_progress", 1, 2]);
    } finally {
      await second?.close();
    }
  });

  test("update and appendAttempt on an unknown event id fail with journal_not_found", async (context) => {
    expectErr(
      await context.journal.update(context.id("none"), { status: "in_progress" }),
      "journal_not_found",
    );
    expectErr(
      await context.journal.appendAttempt(context.id("none"), { startedAt: 1, outcome: "failed" }),
      "journal_not_found",
    );
    assert.equal(expectOk(await context.journal.get(context.id("none"))), undefined);
  });

  test("an error sets reason and action unless they are given, and null clears all three", async (context) => {
    const eventId = context.id("error");
    await seed(context, "error");
    const error = new CrmError({
      reason: "rate_limited",
      provider: "hubspot",
      status: 429,
      retryAfterMs: 1000,
    });
    let record = expectOk(await context.journal.update(eventId, { error }));
    assert.deepEqual(
      [record.reason, record.action, (record.error as CrmErrorJSON | undefined)?.status],
      ["rate_limited", "retry", 429],
    );
    record = expectOk(await context.journal.update(eventId, { error, action: "alert" }));
    assert.equal(record.action, "alert");
    record = expectOk(await context.journal.update(eventId, { error: null }));
    assert.deepEqual([record.error, record.reason, record.action], [undefined, undefined, undefined]);
  });

  test("objects merge by step: recorded steps are replaced, new steps appended", async (context) => {
    const eventId = context.id("objects");
    await seed(context, "objects");
    expectOk(
      await context.journal.update(eventId, {
        objects: [
          { step: "contact", type: "contact", id: "1", action: "create" },
          { step: "company", type: "company", id: "2", action: "update" },
        ],
      }),
    );
    const record = expectOk(
      await context.journal.update(eventId, {
        objects: [
          { step: "company", type: "company", id: "2", action: "noop" },
          { step: "deal", type: "deal", id: "3", action: "create" },
        ],
      }),
    );
    assert.deepEqual(
      record.objects.map((o) => [o.step, o.action]),
      [
        ["contact", "create"],
        ["company", "noop"],
        ["deal", "create"],
      ],
    );
  });
}
