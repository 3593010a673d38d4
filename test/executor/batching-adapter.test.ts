import { describe, expect, it } from "vitest";
import type { NoteInput, TaskInput } from "../../src/adapter/index.js";
import { createBatchingAdapter } from "../../src/executor/batching-adapter.js";
import { createFakeCrm } from "../../src/testing/fake-crm/index.js";

function crmWith(batch: boolean) {
  const contact = { type: "contact", id: "c-1", properties: { email: "ops@acme.test" } } as const;
  const crm = createFakeCrm({ records: [contact], ...(batch ? { batch: true } : {}) });
  let calls = 0;
  const adapter = createBatchingAdapter({
    adapter: crm.adapter,
    scope: "fake",
    count: () => {
      calls++;
    },
  });
  return { ...crm, adapter, contact, calls: () => calls };
}

const note = (n: number, contactId: string): NoteInput => ({
  body: `Lead ${n} submitted`,
  timestamp: "2025-03-04T10:00:00.000Z",
  ownerId: "owner-1",
  associations: [{ type: "contact", id: contactId }],
});

const task = (n: number, contactId: string): TaskInput => ({
  subject: `Call lead ${n}`,
  body: "Ask about the budget",
  dueAt: "2025-03-05T10:00:00.000Z",
  ownerId: "owner-1",
  priority: "high",
  associations: [{ type: "contact", id: contactId }],
});

describe("createBatchingAdapter", () => {
  it("sends the notes and tasks queued in one turn as one batchCreate each, counted once per run", async () => {
    const { adapter, probe, contact, calls } = crmWith(true);
    const notes = await Promise.all([0, 1, 2].map((n) => adapter.createNote(note(n, contact.id))));
    const tasks = await Promise.all([0, 1].map((n) => adapter.createTask(task(n, contact.id))));
    expect(notes).toHaveLength(3);
    expect(tasks).toHaveLength(2);
    expect(probe.callCount({ method: "batchCreate", type: "note" })).toBe(1);
    expect(probe.callCount({ method: "batchCreate", type: "task" })).toBe(1);
    expect(probe.callCount({ method: "createNote" })).toBe(0);
    expect(probe.callCount({ method: "createTask" })).toBe(0);
    expect(calls()).toBe(2);
    const linked = probe.associations({ type: "contact", id: contact.id }).map((a) => a.type);
    expect(linked.filter((type) => type === "note")).toHaveLength(3);
    expect(linked.filter((type) => type === "task")).toHaveLength(2);
  });

  it("writes through batchCreate exactly the properties createNote and createTask write", async () => {
    const batched = crmWith(true);
    await Promise.all([0, 1].map((n) => batched.adapter.createNote(note(n, batched.contact.id))));
    await Promise.all([0, 1].map((n) => batched.adapter.createTask(task(n, batched.contact.id))));
    const single = crmWith(false);
    for (const n of [0, 1]) await single.adapter.createNote(note(n, single.contact.id));
    for (const n of [0, 1]) await single.adapter.createTask(task(n, single.contact.id));
    expect(single.probe.callCount({ method: "createNote" })).toBe(2);
    for (const type of ["note", "task"] as const) {
      const properties = (crm: typeof single) => crm.probe.list(type).map((record) => record.properties);
      expect(properties(batched)).toEqual(properties(single));
      expect(properties(batched)).toHaveLength(2);
    }
  });

  it("sends a lone note through createNote, not a batch of one", async () => {
    const { adapter, probe, contact } = crmWith(true);
    await adapter.createNote(note(0, contact.id));
    expect(probe.callCount({ method: "createNote" })).toBe(1);
    expect(probe.callCount({ method: "batchCreate" })).toBe(0);
  });
});
