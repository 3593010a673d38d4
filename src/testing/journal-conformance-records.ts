import assert from "node:assert/strict";
import { ContractError, CrmError, contractIssue } from "../errors/index.js";
import { expectOk, type JournalSuite, SECRET } from "./journal-conformance-harness.js";

/** Begin and get: what a new record holds, that it round-trips as JSON, and that no secret is ever stored. */
export function registerJournalRecordTests(suite: JournalSuite): void {
  const { test, tick, seed } = suite;
  test("begin creates version 1 of a record with the documented defaults", async (context) => {
    const record = await seed(context, "a");
    assert.equal(record.eventId, context.id("a"));
    assert.equal(record.version, 1);
    assert.equal(record.status, "received");
    assert.deepEqual(record.raw, { label: "a" });
    assert.deepEqual(record.validation, { ok: true });
    assert.deepEqual([record.objects, record.attempts, record.replays], [[], [], 0]);
    assert.equal(record.createdAt, record.updatedAt);
    assert.deepEqual(expectOk(await context.journal.get(context.id("a"))), record);
  });

  test("begin on an existing event id returns the stored record unchanged and writes nothing", async (context) => {
    const first = await seed(context, "dup");
    await tick();
    const again = expectOk(
      await context.journal.begin({
        eventId: context.id("dup"),
        raw: { other: true },
        status: "in_progress",
      }),
    );
    assert.equal(again.created, false);
    assert.deepEqual(again.record, first);
    assert.deepEqual(expectOk(await context.journal.get(context.id("dup"))), first);
  });

  test("get returns undefined for an unknown event id", async (context) => {
    assert.equal(expectOk(await context.journal.get(context.id("missing"))), undefined);
  });

  test("round-trips every field of a record as JSON", async (context) => {
    const eventId = context.id("full");
    const created = expectOk(
      await context.journal.begin({
        eventId,
        raw: { event_id: eventId, nested: { list: [1, "two", null, { deep: true }] }, unicode: "Zoë ✓ 🚀" },
        status: "in_progress",
        idempotencyKey: "lead.submitted:web:42",
        eventType: context.type,
        sourceSystem: "web",
        event: { event_type: "lead.submitted", contact: { email: "ada@example.com" } },
        plan: { steps: [{ op: "create", object: "contact" }] },
        trace: [{ step: "contact", decision: "create", reason: "no match" }],
        objects: [{ step: "contact", type: "contact", id: "101", action: "create" }],
      }),
    );
    assert.equal(created.created, true);
    const stored = expectOk(await context.journal.get(eventId));
    assert.deepEqual(stored, created.record);
    assert.deepEqual(stored?.raw, {
      event_id: eventId,
      nested: { list: [1, "two", null, { deep: true }] },
      unicode: "Zoë ✓ 🚀",
    });
    assert.equal(stored?.idempotencyKey, "lead.submitted:web:42");
    assert.equal(stored?.sourceSystem, "web");
    assert.deepEqual(stored?.plan, { steps: [{ op: "create", object: "contact" }] });
    assert.deepEqual(stored?.trace, [{ step: "contact", decision: "create", reason: "no match" }]);
    assert.deepEqual(stored?.objects, [{ step: "contact", type: "contact", id: "101", action: "create" }]);
  });

  test("redacts secrets from the raw payload, the event, attempts and the final error", async (context) => {
    const eventId = context.id("secret");
    expectOk(
      await context.journal.begin({
        eventId,
        raw: { headers: { authorization: `Bearer ${SECRET}` }, body: { access_token: SECRET }, note: "ok" },
        event: { url: `https://api.pipedrive.com/v1/deals?api_token=${SECRET}` },
        eventType: context.type,
      }),
    );
    const failure = new CrmError({
      reason: "invalid_token",
      provider: "hubspot",
      status: 401,
      message: `Authorization: Bearer ${SECRET} was refused`,
      responseBody: { client_secret: SECRET, message: "expired" },
    });
    expectOk(
      await context.journal.appendAttempt(eventId, {
        startedAt: 1,
        finishedAt: 2,
        outcome: "failed",
        error: failure,
      }),
    );
    // A plain JSON error (not an instance) must be redacted by the journal itself.
    const json = {
      ...failure.toJSON(),
      responseBody: { refresh_token: SECRET, detail: `Bearer ${SECRET}` },
    };
    const record = expectOk(await context.journal.update(eventId, { status: "dead_letter", error: json }));
    const stored = expectOk(await context.journal.get(eventId));
    for (const value of [record, stored]) {
      const text = JSON.stringify(value);
      assert.ok(!text.includes(SECRET), `secret leaked: ${text}`);
      assert.ok(text.includes("[REDACTED]"));
    }
    assert.equal((stored?.raw as { note?: string } | undefined)?.note, "ok");
    assert.equal(stored?.reason, "invalid_token");
    assert.equal(stored?.action, "alert");
    assert.equal(stored?.attempts[0]?.error?.reason, "invalid_token");
  });

  test("records a contract-invalid input as rejected with its raw payload and every issue", async (context) => {
    const raw = '{"event_type":"lead.submitted","contact":{}}';
    const error = new ContractError(
      [
        contractIssue(["contact", "email"], "invalid_type", "email is required"),
        contractIssue(["event_id"], "invalid_type", "event_id is required"),
      ],
      { eventType: "lead.submitted" },
    );
    const { record } = expectOk(
      await context.journal.begin({
        eventId: context.id("rejected"),
        raw,
        status: "rejected",
        eventType: context.type,
        validation: { ok: false, issues: error.issues },
        error,
      }),
    );
    const stored = expectOk(await context.journal.get(record.eventId));
    assert.equal(stored?.status, "rejected");
    assert.equal(stored?.raw, raw);
    assert.equal(stored?.validation.ok, false);
    assert.deepEqual(stored?.validation.ok === false ? stored.validation.issues.map((i) => i.field) : [], [
      "contact.email",
      "event_id",
    ]);
    assert.equal(stored?.reason, "contract_violation");
    assert.equal(stored?.action, "review");
    assert.equal(stored?.error?.name, "ContractError");
  });
}
