import assert from "node:assert/strict";
import type { Journal, JournalListOptions } from "../journal/index.js";
import { expectErr, expectOk, type JournalSuite } from "./journal-conformance-harness.js";

/** List and count: keyset pages that stay stable under inserts, filters, ordering, and their arguments. */
export function registerJournalQueryTests(suite: JournalSuite): void {
  const { test, tick, seed, listAll } = suite;
  test("lists by status in pages ordered by updatedAt then eventId", async (context) => {
    for (let i = 0; i < 25; i++) {
      await seed(context, `dl-${String(i).padStart(2, "0")}`, "dead_letter");
      if (i % 5 === 4) await tick();
      if (i % 3 === 0) await seed(context, `ok-${i}`, "applied");
    }
    const first = expectOk(
      await context.journal.list({ status: "dead_letter", eventType: context.type, limit: 10 }),
    );
    assert.equal(first.records.length, 10);
    assert.ok(first.nextCursor !== undefined);
    const all = await listAll(context.journal, {
      status: "dead_letter",
      eventType: context.type,
      limit: 10,
    });
    assert.equal(all.length, 25);
    assert.ok(all.every((r) => r.status === "dead_letter"));
    const expected = [...all].sort((a, b) =>
      a.updatedAt !== b.updatedAt ? a.updatedAt - b.updatedAt : a.eventId < b.eventId ? -1 : 1,
    );
    assert.deepEqual(
      all.map((r) => r.eventId),
      expected.map((r) => r.eventId),
    );
    assert.deepEqual(
      all.map((r) => r.eventId),
      Array.from({ length: 25 }, (_, i) => context.id(`dl-${String(i).padStart(2, "0")}`)),
    );
    const last = expectOk(
      await context.journal.list({
        status: "dead_letter",
        eventType: context.type,
        limit: 5,
        cursor: first.nextCursor,
      }),
    );
    assert.deepEqual(
      last.records.map((r) => r.eventId),
      all.slice(10, 15).map((r) => r.eventId),
    );
    const desc = await listAll(context.journal, {
      status: "dead_letter",
      eventType: context.type,
      order: "desc",
      limit: 7,
    });
    assert.deepEqual(
      desc.map((r) => r.eventId),
      all.map((r) => r.eventId).reverse(),
    );
  });

  test("the cursor stays stable while records are inserted: no duplicates, nothing skipped", async (context) => {
    for (let i = 0; i < 12; i++) await seed(context, `base-${String(i).padStart(2, "0")}`, "review");
    const seen: string[] = [];
    let cursor: string | undefined;
    let inserted = 0;
    do {
      const page = expectOk(
        await context.journal.list({
          status: "review",
          eventType: context.type,
          limit: 5,
          ...(cursor === undefined ? {} : { cursor }),
        }),
      );
      seen.push(...page.records.map((r) => r.eventId));
      cursor = page.nextCursor;
      await tick();
      for (let j = 0; j < 3 && inserted < 6; j++) await seed(context, `new-${inserted++}`, "review");
    } while (cursor !== undefined);
    assert.equal(new Set(seen).size, seen.length, "a record was listed twice");
    for (let i = 0; i < 12; i++) assert.ok(seen.includes(context.id(`base-${String(i).padStart(2, "0")}`)));
  });

  test("filters by statuses, event type and time window", async (context) => {
    await seed(context, "r1", "review");
    await tick(10);
    const middle = await seed(context, "d1", "dead_letter");
    await tick(10);
    await seed(context, "p1", "partial_review");
    await seed(context, "a1", "applied");
    const ids = async (query: JournalListOptions) =>
      expectOk(await context.journal.list({ eventType: context.type, ...query })).records.map(
        (r) => r.eventId,
      );
    assert.deepEqual(await ids({ statuses: ["review", "partial_review"] }), [
      context.id("r1"),
      context.id("p1"),
    ]);
    assert.deepEqual(await ids({ status: "review", statuses: ["dead_letter"] }), []);
    assert.deepEqual(await ids({ since: middle.updatedAt, until: middle.updatedAt + 1 }), [context.id("d1")]);
    assert.deepEqual(await ids({ since: new Date(middle.updatedAt + 1), statuses: ["applied"] }), [
      context.id("a1"),
    ]);
    assert.deepEqual(await ids({ eventType: `${context.type}.other` }), []);
  });

  test("counts records by status, statuses and in total", async (context) => {
    for (const [label, status] of [
      ["c1", "dead_letter"],
      ["c2", "dead_letter"],
      ["c3", "review"],
      ["c4", "applied"],
    ] as const) {
      await seed(context, label, status);
    }
    const count = async (filter: Parameters<Journal["count"]>[0]) =>
      expectOk(await context.journal.count({ eventType: context.type, ...filter }));
    assert.equal(await count({ status: "dead_letter" }), 2);
    assert.equal(await count({ statuses: ["dead_letter", "review"] }), 3);
    assert.equal(await count({}), 4);
    assert.equal(await count({ status: "noop" }), 0);
  });

  test("rejects invalid arguments with journal_invalid_input", async (context) => {
    const { journal } = context;
    expectErr(await journal.list({ limit: 0 }), "journal_invalid_input");
    expectErr(await journal.list({ limit: 1001 }), "journal_invalid_input");
    expectErr(await journal.list({ cursor: "not a cursor" }), "journal_invalid_input");
    expectErr(await journal.count({ status: "lost" as never }), "journal_invalid_input");
    expectErr(await journal.begin({ eventId: "", raw: {} }), "journal_invalid_input");
    expectErr(await journal.get("x".repeat(513)), "journal_invalid_input");
    await seed(context, "bad");
    expectErr(await journal.update(context.id("bad"), { status: "gone" as never }), "journal_invalid_input");
    expectErr(
      await journal.appendAttempt(context.id("bad"), { startedAt: Number.NaN, outcome: "failed" }),
      "journal_invalid_input",
    );
    assert.equal(expectOk(await journal.get(context.id("bad")))?.version, 1);
  });
}
