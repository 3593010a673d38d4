import { errAsync, ResultAsync } from "neverthrow";
import { describe, expect, it, vi } from "vitest";
import { createMemoryJournal, type Journal, journalError } from "../../src/journal/index.js";
import { rawLead, setup } from "./helpers.js";

type UpdateCall = Parameters<Journal["update"]>;

/**
 * A memory journal that records every update; `beforeCompareAndSet` runs before each update that carries
 * `ifVersion` (the outcome write's shortcut), e.g. to write the record first as someone else would.
 */
function spyJournal(beforeCompareAndSet?: (inner: Journal, call: UpdateCall) => Promise<unknown>) {
  const inner = createMemoryJournal();
  const updates: UpdateCall[] = [];
  const journal: Journal = {
    ...inner,
    update: (...call) => {
      updates.push(call);
      if (beforeCompareAndSet === undefined || call[2]?.ifVersion === undefined) return inner.update(...call);
      return new ResultAsync(beforeCompareAndSet(inner, call).then(() => inner.update(...call)));
    },
  };
  return { inner, journal, updates };
}

// Timestamps and attempt times differ between two runs; everything else must not.
const comparable = (record: unknown) => ({
  ...(record as object),
  createdAt: 0,
  updatedAt: 0,
  attempts: [],
});

describe("run journal writes", () => {
  it("journals the outcome without sending the plan again when nothing was written since the plan", async () => {
    const { journal, updates } = spyJournal();
    const { sync } = setup({}, { journal });
    const outcome = (await sync.run(rawLead(1)))._unsafeUnwrap();
    const [, patch, options] = updates.at(-1)!;
    expect(patch).not.toHaveProperty("plan");
    expect(patch).not.toHaveProperty("trace");
    expect(options?.ifVersion).toBeTypeOf("number");
    const record = (await journal.get("evt_lead_1"))._unsafeUnwrap()!;
    expect(record.status).toBe("applied");
    expect(record.plan).toEqual(JSON.parse(JSON.stringify(outcome.plan)));
    expect(record.trace).toEqual(JSON.parse(JSON.stringify(outcome.plan.trace)));
    expect(record.objects).toEqual(outcome.objects);
    expect(record.attempts.map((attempt) => attempt.outcome)).toEqual(["succeeded"]);
  });

  it("falls back to the full outcome write, unlogged, when someone else wrote the record after the plan", async () => {
    const { journal, updates } = spyJournal((inner, [eventId]) =>
      Promise.resolve(inner.update(eventId, { trace: [{ step: "operator", message: "looked at it" }] })),
    );
    const error = vi.fn();
    const { sync } = setup({}, { journal, logger: { error } });
    const outcome = (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(updates.at(-1)?.[1]).toHaveProperty("plan");
    expect(error).not.toHaveBeenCalled();
    const record = (await journal.get("evt_lead_1"))._unsafeUnwrap()!;
    expect(record.status).toBe("applied");
    expect(record.trace).toEqual(JSON.parse(JSON.stringify(outcome.plan.trace)));
    expect(record.attempts).toHaveLength(1);
  });

  it("leaves the very record the full outcome write leaves", async () => {
    const inner = createMemoryJournal();
    // Refuses every compare-and-set, so each outcome is journaled the long way.
    const refusing: Journal = {
      ...inner,
      update: (eventId, patch, options) =>
        options?.ifVersion === undefined
          ? inner.update(eventId, patch, options)
          : errAsync(journalError("journal_conflict", "refused for the test")),
    };
    const short = setup({}, { journal: createMemoryJournal() });
    const long = setup({}, { journal: refusing });
    for (const n of [1, 2]) {
      (await short.sync.run(rawLead(n)))._unsafeUnwrap();
      (await long.sync.run(rawLead(n)))._unsafeUnwrap();
      const a = (await short.journal.get(`evt_lead_${n}`))._unsafeUnwrap();
      const b = (await inner.get(`evt_lead_${n}`))._unsafeUnwrap();
      expect(comparable(a)).toEqual(comparable(b));
      expect(Object.keys(a ?? {})).toEqual(Object.keys(b ?? {}));
    }
  });
});
