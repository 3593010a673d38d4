import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AuditRecord, compareJournalPosition, createMemoryJournal } from "../../src/journal/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";
import { runJournalConformance } from "../../src/testing/journal-conformance.js";

const clock = createFakeClock({ start: 1_700_000_000_000 });
runJournalConformance(
  { describe, it },
  { name: "memory journal", create: () => createMemoryJournal({ clock }), clock },
);

describe("createMemoryJournal", () => {
  it("throws at construction naming maxRecords when it is not a positive integer", () => {
    expect(() => createMemoryJournal({ maxRecords: 0 })).toThrow(/maxRecords/);
    expect(() => createMemoryJournal({ maxRecords: 1.5 })).toThrow(/maxRecords/);
  });

  it("stamps createdAt and updatedAt from the injected clock", async () => {
    const fake = createFakeClock({ start: 5_000 });
    const journal = createMemoryJournal({ clock: fake });
    const { record } = (await journal.begin({ eventId: "e1", raw: {} }))._unsafeUnwrap();
    await fake.advance(250);
    const updated = (await journal.update("e1", { status: "in_progress" }))._unsafeUnwrap();
    expect([record.createdAt, updated.createdAt, updated.updatedAt]).toEqual([5_000, 5_000, 5_250]);
  });

  it("beyond maxRecords drops the least recently written settled success before any dead letter", async () => {
    const fake = createFakeClock({ start: 0 });
    const journal = createMemoryJournal({ clock: fake, maxRecords: 3 });
    await journal.begin({ eventId: "dead-1", raw: {}, status: "dead_letter" });
    await journal.begin({ eventId: "ok-1", raw: {}, status: "applied" });
    await journal.begin({ eventId: "ok-2", raw: {}, status: "applied" });
    await journal.begin({ eventId: "dead-2", raw: {}, status: "dead_letter" });
    const ids = (await journal.list())._unsafeUnwrap().records.map((r) => r.eventId);
    expect(ids.sort()).toEqual(["dead-1", "dead-2", "ok-2"]);
    expect((await journal.count())._unsafeUnwrap()).toBe(3);
  });

  it("beyond maxRecords with only records needing attention drops the least recently written one", async () => {
    const journal = createMemoryJournal({ clock: createFakeClock({ start: 0 }), maxRecords: 2 });
    await journal.begin({ eventId: "a", raw: {}, status: "review" });
    await journal.begin({ eventId: "b", raw: {}, status: "review" });
    await journal.update("a", { plan: { touched: true } });
    await journal.begin({ eventId: "c", raw: {}, status: "review" });
    expect((await journal.get("b"))._unsafeUnwrap()).toBeUndefined();
    expect((await journal.get("a"))._unsafeUnwrap()?.version).toBe(2);
  });

  it("keeps exactly the records a least-recently-written, successes-first model keeps (property)", async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("begin" as const),
        status: fc.constantFrom("applied" as const, "dead_letter" as const, "review" as const),
      }),
      fc.record({ kind: fc.constant("touch" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 6 }), async (ops, max) => {
        const journal = createMemoryJournal({ clock: createFakeClock({ start: 0 }), maxRecords: max });
        // The model: ids in write order (least recent first), with whether each is a settled success.
        let model: { id: string; settled: boolean }[] = [];
        let next = 0;
        for (const step of ops) {
          if (step.kind === "begin") {
            const id = `e${next++}`;
            (await journal.begin({ eventId: id, raw: {}, status: step.status }))._unsafeUnwrap();
            model.push({ id, settled: step.status === "applied" });
            while (model.length > max) {
              const victim = model.find((entry) => entry.settled) ?? model[0]!;
              model = model.filter((entry) => entry !== victim);
            }
          } else if (model.length > 0) {
            const entry = model[step.pick % model.length]!;
            model = model.filter((other) => other !== entry);
            if (step.kind === "touch") {
              (await journal.update(entry.id, { plan: { n: step.pick } }))._unsafeUnwrap();
              model.push(entry);
            } else {
              expect((await journal.delete(entry.id))._unsafeUnwrap()).toBe(true);
            }
          }
        }
        const kept = (await journal.list({ limit: 100 }))._unsafeUnwrap().records.map((r) => r.eventId);
        expect(kept.sort()).toEqual(model.map((entry) => entry.id).sort());
      }),
      { numRuns: 150 },
    );
  });

  it("returns copies: mutating a returned record never changes the stored one", async () => {
    const journal = createMemoryJournal();
    const { record } = (await journal.begin({ eventId: "copy", raw: { n: 1 } }))._unsafeUnwrap();
    (record.raw as { n: number }).n = 2;
    expect((await journal.get("copy"))._unsafeUnwrap()?.raw).toEqual({ n: 1 });
  });

  it("returns copies from every method, nested parts included, that the caller may change, replace or delete", async () => {
    const journal = createMemoryJournal();
    const plan = {
      steps: [{ id: "contact", properties: { email: "a@b.test" } }],
      trace: [{ step: "contact" }],
    };
    await journal.begin({ eventId: "own", raw: { n: 1 }, event: { e: 1 } });
    const planned = (await journal.update("own", { plan, trace: plan.trace }))._unsafeUnwrap();
    const objects = [{ step: "contact", type: "contact", id: "1", action: "create" as const }];
    const updated = (await journal.update("own", { objects, status: "applied" }))._unsafeUnwrap();
    const appended = (
      await journal.appendAttempt("own", { startedAt: 1, finishedAt: 2, outcome: "succeeded" })
    )._unsafeUnwrap();
    const listed = (await journal.list())._unsafeUnwrap().records[0]!;
    const got = (await journal.get("own"))._unsafeUnwrap()!;
    const pristine = structuredClone(got);
    expect(JSON.parse(JSON.stringify(got))).toEqual(pristine);
    expect({ ...got }).toEqual(pristine);
    expect(Object.keys(got)).toEqual(Object.keys(pristine));
    (planned.plan as typeof plan).steps[0]!.properties.email = "changed";
    (planned.trace as unknown[]).push("extra");
    (updated.objects[0] as { id: string }).id = "changed";
    (appended.attempts as unknown[]).push("extra");
    (listed as { raw: unknown }).raw = "replaced";
    delete (got as { event?: unknown }).event;
    plan.steps[0]!.properties.email = "changed by the caller after the write";
    objects[0]!.id = "changed by the caller after the write";
    expect((await journal.get("own"))._unsafeUnwrap()).toEqual(pristine);
    expect(pristine.plan).toEqual({
      steps: [{ id: "contact", properties: { email: "a@b.test" } }],
      trace: [{ step: "contact" }],
    });
    expect(pristine.trace).toEqual([{ step: "contact" }]);
    expect(pristine.objects[0]?.id).toBe("1");
  });

  it("scrubs the exact secret values passed as secrets wherever they appear", async () => {
    const journal = createMemoryJournal({ secrets: ["pat-na1-abcdef"] });
    const { record } = (
      await journal.begin({ eventId: "s", raw: { text: "the value pat-na1-abcdef, keep it" } })
    )._unsafeUnwrap();
    expect(record.raw).toEqual({ text: "the value [REDACTED], keep it" });
  });
});

describe("createMemoryJournal pagination", () => {
  it("pages through any set of records, at any page size, returning each exactly once in list order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), gap: fc.nat(3) }), {
          selector: (entry) => entry.id,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom("asc" as const, "desc" as const),
        async (entries, limit, order) => {
          const fake = createFakeClock({ start: 0 });
          const journal = createMemoryJournal({ clock: fake });
          for (const { id, gap } of entries) {
            await fake.advance(gap);
            await journal.begin({ eventId: id, raw: {} });
          }
          const seen: AuditRecord[] = [];
          let cursor: string | undefined;
          do {
            const page = (
              await journal.list({ limit, order, ...(cursor === undefined ? {} : { cursor }) })
            )._unsafeUnwrap();
            expect(page.records.length).toBeLessThanOrEqual(limit);
            seen.push(...page.records);
            cursor = page.nextCursor;
          } while (cursor !== undefined);
          const sign = order === "asc" ? 1 : -1;
          const expected = [...seen].sort((a, b) => sign * compareJournalPosition(a, b));
          expect(seen.map((r) => r.eventId)).toEqual(expected.map((r) => r.eventId));
          expect(seen.map((r) => r.eventId).sort()).toEqual(entries.map((e) => e.id).sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});
