import assert from "node:assert/strict";
import { expectErr, expectOk, type JournalSuite } from "./journal-conformance-harness.js";

/** Delete, purge and close. */
export function registerJournalRemovalTests(suite: JournalSuite): void {
  const { test, tick, seed, options } = suite;
  test("delete removes one record and reports whether it existed", async (context) => {
    await seed(context, "del");
    assert.equal(expectOk(await context.journal.delete(context.id("del"))), true);
    assert.equal(expectOk(await context.journal.delete(context.id("del"))), false);
    assert.equal(expectOk(await context.journal.get(context.id("del"))), undefined);
  });

  test("purge deletes records written before the cut-off, optionally only some statuses", async (context) => {
    await seed(context, "old-ok", "applied");
    await seed(context, "old-dl", "dead_letter");
    await tick(10);
    const cutoff = (await seed(context, "new-ok", "applied")).updatedAt;
    const purged = expectOk(
      await context.journal.purge({ olderThan: cutoff, statuses: ["applied", "noop"] }),
    );
    assert.ok(purged >= 1);
    const remaining = async () =>
      expectOk(await context.journal.list({ eventType: context.type })).records.map((r) => r.eventId);
    assert.deepEqual(await remaining(), [context.id("old-dl"), context.id("new-ok")]);
    expectOk(await context.journal.purge({ olderThan: cutoff }));
    assert.deepEqual(await remaining(), [context.id("new-ok")]);
  });

  test("after close every operation fails with journal_unavailable", async (context) => {
    const journal = await options.create();
    expectOk(await journal.close());
    expectErr(await journal.get(context.id("closed")), "journal_unavailable");
    expectErr(await journal.begin({ eventId: context.id("closed"), raw: {} }), "journal_unavailable");
    expectErr(await journal.list(), "journal_unavailable");
  });
}
