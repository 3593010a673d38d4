import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ContractError, CrmError, type CrmErrorJSON, contractIssue } from "../errors/index.js";
import {
  type AuditRecord,
  isJournalError,
  type Journal,
  type JournalErrorCode,
  type JournalListOptions,
} from "../journal/index.js";

/** The two test-registration functions of any runner (vitest, jest, `node:test`, mocha). */
export interface JournalConformanceRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void;
}

/** Options of {@link runJournalConformance}. */
export interface JournalConformanceOptions {
  /** Shown in the suite name. @default "journal" */
  name?: string | undefined;
  /**
   * Creates a journal; called once per test, and the suite calls `close()` on it. Journals of different tests may
   * share storage: the suite scopes its queries by a unique `eventType` per test.
   */
  create(): Journal | Promise<Journal>;
  /**
   * A journal over a second connection to the same storage, for the concurrency tests; the suite closes it.
   * @default the test's own journal
   */
  createSecondConnection?: (() => Journal | Promise<Journal>) | undefined;
  /**
   * Moves the journal's clock (a fake clock injected into it). Without it the suite waits real milliseconds
   * wherever it needs two writes to get different timestamps.
   */
  clock?: { advance(ms: number): unknown } | undefined;
  /** Per-test timeout passed to `it`. @default 30_000 */
  timeoutMs?: number | undefined;
}

type Outcome<T> = { isOk(): boolean; isErr(): boolean } & ({ value: T } | { error: unknown });

function expectOk<T>(result: Outcome<T>): T {
  if (result.isErr())
    assert.fail(`expected Ok, got Err ${JSON.stringify((result as { error: unknown }).error)}`);
  return (result as { value: T }).value;
}

function expectErr(result: Outcome<unknown>, code: JournalErrorCode): void {
  assert.ok(
    result.isErr(),
    `expected Err ${code}, got Ok ${JSON.stringify((result as { value: unknown }).value)}`,
  );
  const error = (result as { error: unknown }).error;
  assert.ok(isJournalError(error, code), `expected ${code}, got ${JSON.stringify(error)}`);
}

const SECRET = "s3cr3t-t0ken-value-123";

// Twenty concurrent writes, the i-th carrying `calls: i`: each attempt landed once, numbered 1 to 20.
function assertTwentyAttempts(record: AuditRecord | undefined): void {
  assert.deepEqual(
    record?.attempts.map((a) => a.attempt),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  assert.deepEqual(
    [...(record?.attempts ?? [])].map((a) => a.calls).sort((a, b) => (a ?? 0) - (b ?? 0)),
    Array.from({ length: 20 }, (_, i) => i),
  );
}

/**
 * The executable specification of {@link Journal}: record round trips, redaction of secrets everywhere, the status
 * life cycle, compare-and-set updates, attempts that are never lost under concurrent appends, keyset pagination
 * that stays stable under inserts, filters, counts, ordering, deletion and purging. Runner-agnostic: pass your
 * runner's `describe` and `it`.
 *
 * @example
 * import { describe, it } from "vitest";
 * import { createFakeClock, runJournalConformance } from "crmkit/testing";
 * const clock = createFakeClock();
 * runJournalConformance({ describe, it }, { create: () => createMemoryJournal({ clock }), clock });
 */
export function runJournalConformance(
  runner: JournalConformanceRunner,
  options: JournalConformanceOptions,
): void {
  const { describe, it } = runner;
  const timeout = options.timeoutMs ?? 30_000;
  const tick = async (ms = 5): Promise<void> => {
    if (options.clock) await options.clock.advance(ms);
    else await new Promise((resolve) => setTimeout(resolve, ms + 1));
  };
  interface Context {
    journal: Journal;
    /** A unique event type for this test, so shared storage does not leak between tests. */
    type: string;
    id(label: string): string;
  }
  const test = (name: string, body: (context: Context) => Promise<void>): void => {
    it(
      name,
      async () => {
        const journal = await options.create();
        const run = randomUUID();
        try {
          await body({ journal, type: `conformance.${run}`, id: (label) => `${run}:${label}` });
        } finally {
          await journal.close();
        }
      },
      timeout,
    );
  };
  const seed = async (context: Context, label: string, status: AuditRecord["status"] = "received") =>
    expectOk(
      await context.journal.begin({
        eventId: context.id(label),
        raw: { label },
        eventType: context.type,
        status,
      }),
    ).record;
  const listAll = async (journal: Journal, query: JournalListOptions): Promise<AuditRecord[]> => {
    const all: AuditRecord[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const result = expectOk(await journal.list({ ...query, ...(cursor === undefined ? {} : { cursor }) }));
      all.push(...result.records);
      if (result.nextCursor === undefined) return all;
      cursor = result.nextCursor;
    }
    return assert.fail("list() never returned a last page");
  };

  describe(`${options.name ?? "journal"} conformance`, () => {
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
      expectErr(
        await context.journal.update(eventId, { status: "applied", replay: true }),
        "journal_conflict",
      );
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
      expectErr(
        await context.journal.update(eventId, { plan: 1 }, { ifStatus: "review" }),
        "journal_conflict",
      );
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
      assert.deepEqual(await ids({ since: middle.updatedAt, until: middle.updatedAt + 1 }), [
        context.id("d1"),
      ]);
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
      expectErr(
        await journal.update(context.id("bad"), { status: "gone" as never }),
        "journal_invalid_input",
      );
      expectErr(
        await journal.appendAttempt(context.id("bad"), { startedAt: Number.NaN, outcome: "failed" }),
        "journal_invalid_input",
      );
      assert.equal(expectOk(await journal.get(context.id("bad")))?.version, 1);
    });

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
  });
}
