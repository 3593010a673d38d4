import assert from "node:assert/strict";
import { group, type Harness, linkedIds, rejectsWith } from "./harness.js";
import { assertProperties } from "./record-tests.js";
import type { AdapterConformanceOptions, AdapterConformanceRunner } from "./types.js";

async function contact(h: Harness, email: string) {
  return h.adapter.create("contact", { properties: { email, first_name: email.split("@")[0] ?? "x" } });
}

async function deal(h: Harness, contactId: string, pipelineLabel: string, stageLabel: string, name: string) {
  const pipeline = await h.pipeline(pipelineLabel);
  const properties = { name, pipeline_id: pipeline.id, stage_id: h.stage(pipeline, stageLabel).id };
  return h.adapter.create("deal", { properties, associations: [{ type: "contact", id: contactId }] });
}

/** Open deals, associations, notes and tasks, tickets. */
export function registerRelationTests(
  api: AdapterConformanceRunner,
  options: AdapterConformanceOptions,
): void {
  group(api, options, "openDeals", "open deals", (test) => {
    test("lists a contact's open deals and leaves out won and lost ones", async (h) => {
      const buyer = await contact(h, "buyer@conformance.example");
      const open = await deal(h, buyer.id, "New Business", "Discovery", "Open");
      const renewal = await deal(h, buyer.id, "Renewals", "Renewal due", "Open renewal");
      await deal(h, buyer.id, "New Business", "Won", "Won");
      await deal(h, buyer.id, "New Business", "Lost", "Lost");
      const found = await h.adapter.findOpenDeals({ contactId: buyer.id });
      assert.deepEqual(found.map((d) => d.id).sort(), [open.id, renewal.id].sort());
    });
    test("filters open deals by pipeline", async (h) => {
      const buyer = await contact(h, "buyer@conformance.example");
      const open = await deal(h, buyer.id, "New Business", "Proposal", "Open");
      await deal(h, buyer.id, "Renewals", "Renewal due", "Open renewal");
      const pipeline = await h.pipeline("New Business");
      const found = await h.adapter.findOpenDeals({ contactId: buyer.id, pipelineId: pipeline.id });
      assert.deepEqual(
        found.map((d) => d.id),
        [open.id],
      );
    });
    test("does not list open deals of other contacts", async (h) => {
      const buyer = await contact(h, "buyer@conformance.example");
      const other = await contact(h, "other@conformance.example");
      await deal(h, other.id, "New Business", "Discovery", "Someone else's");
      assert.deepEqual(await h.adapter.findOpenDeals({ contactId: buyer.id }), []);
    });
  });

  group(api, options, "associations", "associations", (test) => {
    test("associates two records so that each side sees the other", async (h) => {
      const person = await contact(h, "link@conformance.example");
      const company = await h.adapter.create("company", {
        properties: { name: "Linked", domain: "linked.example" },
      });
      await h.adapter.associate({ type: "contact", id: person.id }, { type: "company", id: company.id });
      assert.deepEqual(await linkedIds(h.probe, person, "company"), [company.id]);
      assert.deepEqual(await linkedIds(h.probe, company, "contact"), [person.id]);
    });
    test("treats associating the same pair twice as success and stores it once", async (h) => {
      const person = await contact(h, "twice@conformance.example");
      const company = await h.adapter.create("company", {
        properties: { name: "Twice", domain: "twice.example" },
      });
      await h.adapter.associate({ type: "contact", id: person.id }, { type: "company", id: company.id });
      await h.adapter.associate({ type: "contact", id: person.id }, { type: "company", id: company.id });
      assert.deepEqual(await linkedIds(h.probe, person, "company"), [company.id]);
    });
    test("creates the associations given with a new record", async (h) => {
      const company = await h.seeded("company", "domain", "acme.example");
      const person = await h.adapter.create("contact", {
        properties: { email: "with-company@acme.example" },
        associations: [{ type: "company", id: company.id }],
      });
      assert.deepEqual(await linkedIds(h.probe, person, "company"), [company.id]);
      assert.ok((await linkedIds(h.probe, company, "contact")).includes(person.id));
    });
    test("fails with a CrmError when associating with a record that does not exist", async (h) => {
      const person = await contact(h, "orphan@conformance.example");
      await rejectsWith(
        h.adapter.associate({ type: "contact", id: person.id }, { type: "company", id: "999999999" }),
        h.adapter,
      );
    });
  });

  group(api, options, "engagements", "notes and tasks", (test) => {
    test("creates a note associated with the given records", async (h) => {
      const person = await contact(h, "noted@conformance.example");
      const opportunity = await deal(h, person.id, "New Business", "Discovery", "Noted deal");
      const note = await h.adapter.createNote({
        body: "Lead submitted the pricing form",
        timestamp: "2026-01-02T10:00:00.000Z",
        associations: [
          { type: "contact", id: person.id },
          { type: "deal", id: opportunity.id },
        ],
      });
      assert.equal(note.type, "note");
      assert.ok(await h.probe.get("note", note.id), "the note is stored");
      assert.deepEqual(await linkedIds(h.probe, note, "contact"), [person.id]);
      assert.deepEqual(await linkedIds(h.probe, note, "deal"), [opportunity.id]);
      assert.ok((await linkedIds(h.probe, person, "note")).includes(note.id));
    });
    test("creates a task for an active owner, associated with the given records", async (h) => {
      const person = await contact(h, "tasked@conformance.example");
      const owner = await h.owner("bo@conformance.example");
      const task = await h.adapter.createTask({
        subject: "Call back about onboarding",
        dueAt: "2026-01-05T09:00:00.000Z",
        ownerId: owner.id,
        priority: "high",
        associations: [{ type: "contact", id: person.id }],
      });
      assert.equal(task.type, "task");
      assert.ok(await h.probe.get("task", task.id), "the task is stored");
      assert.deepEqual(await linkedIds(h.probe, task, "contact"), [person.id]);
    });
  });

  group(api, options, "tickets", "tickets", (test) => {
    test("creates a ticket and finds it by external_ref (when tickets are native)", async (h) => {
      if (h.adapter.capabilities.tickets !== "native") {
        assert.ok(
          !h.adapter.capabilities.objects.includes("ticket"),
          "non-native tickets are not an object type",
        );
        return;
      }
      const properties = { subject: "Cannot log in", priority: "high", external_ref: "SUP-1042" };
      const created = await h.adapter.create("ticket", { properties });
      assertProperties((await h.adapter.get("ticket", [created.id]))[0], properties);
      await h.settle();
      const found = await h.adapter.find({ type: "ticket", field: "external_ref", value: "SUP-1042" });
      assert.deepEqual(
        found.map((t) => t.id),
        [created.id],
      );
    });
  });
}
