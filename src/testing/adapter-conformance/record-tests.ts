import assert from "node:assert/strict";
import type { CrmProperties, CrmRecord, CrmValue } from "../../adapter/index.js";
import { group, rejectsWith } from "./harness.js";
import type { AdapterConformanceOptions, AdapterConformanceRunner } from "./types.js";

/** Asserts that `record` holds `expected` (numbers compared by value: some vendors answer with strings). */
export function assertProperties(record: CrmRecord | undefined, expected: CrmProperties): void {
  assert.ok(record, "record not found");
  for (const [key, value] of Object.entries(expected)) {
    const actual: CrmValue | undefined = record.properties[key];
    if (typeof value === "number") assert.equal(Number(actual), value, `property "${key}"`);
    else assert.deepEqual(actual, value, `property "${key}"`);
  }
}

const PERSON = {
  email: "rosa@conformance.example",
  first_name: "Rosa",
  last_name: "Parks",
  job_title: "CTO",
};

/** Create/get/update round trips, find, duplicates and validation errors. */
export function registerRecordTests(api: AdapterConformanceRunner, options: AdapterConformanceOptions): void {
  group(api, options, "records", "records", (test) => {
    test("creates a contact and reads it back by id with the same canonical properties", async ({
      adapter,
      probe,
    }) => {
      const properties = { ...PERSON, phone: "+14155550123" };
      const created = await adapter.create("contact", { properties });
      assert.equal(created.type, "contact");
      assert.ok(created.id !== "");
      const [read] = await adapter.get("contact", [created.id]);
      assertProperties(read, properties);
      assertProperties(await probe.get("contact", created.id), properties);
    });
    test("reads a record by id right after creating it, without waiting for search", async ({ adapter }) => {
      const created = await adapter.create("contact", { properties: PERSON });
      const read = await adapter.get("contact", [created.id]);
      assert.deepEqual(
        read.map((r) => r.id),
        [created.id],
      );
    });
    test("updates only the given properties and keeps the others", async ({ adapter, probe }) => {
      const created = await adapter.create("contact", { properties: PERSON });
      const updated = await adapter.update("contact", { id: created.id, properties: { last_name: "Lopez" } });
      assert.equal(updated.id, created.id);
      const expected = { ...PERSON, last_name: "Lopez" };
      assertProperties((await adapter.get("contact", [created.id]))[0], expected);
      assertProperties(await probe.get("contact", created.id), expected);
    });
    test("skips ids that do not exist when reading by id", async ({ adapter }) => {
      const created = await adapter.create("contact", { properties: PERSON });
      const read = await adapter.get("contact", ["999999999", created.id]);
      assert.deepEqual(
        read.map((r) => r.id),
        [created.id],
      );
    });
    test("reads seeded records by id", async (h) => {
      const seeded = await h.seeded("contact", "email", "existing@acme.example");
      const [read] = await h.adapter.get("contact", [seeded.id]);
      assertProperties(read, { email: "existing@acme.example", first_name: "Erin" });
    });
    test("creates a deal with pipeline, stage, amount, currency and owner", async (h) => {
      const pipeline = await h.pipeline("New Business");
      const owner = await h.owner("ada@conformance.example");
      const properties = {
        name: "Conformance deal",
        pipeline_id: pipeline.id,
        stage_id: h.stage(pipeline, "Proposal").id,
        amount: 1200,
        currency: "EUR",
        owner_id: owner.id,
      };
      const created = await h.adapter.create("deal", { properties });
      assertProperties((await h.adapter.get("deal", [created.id]))[0], properties);
    });
  });

  group(api, options, "find", "find", (test) => {
    test("finds a seeded contact by email whatever the letter case", async (h) => {
      const seeded = await h.seeded("contact", "email", "existing@acme.example");
      const found = await h.adapter.find({ type: "contact", field: "email", value: "Existing@ACME.example" });
      assert.deepEqual(
        found.map((r) => r.id),
        [seeded.id],
      );
    });
    test("finds a created contact by email once search has caught up", async (h) => {
      const created = await h.adapter.create("contact", { properties: PERSON });
      await h.settle();
      const found = await h.adapter.find({
        type: "contact",
        field: "email",
        value: "ROSA@conformance.example",
      });
      assert.deepEqual(
        found.map((r) => r.id),
        [created.id],
      );
      assertProperties(found[0], PERSON);
    });
    test("finds a company by domain whatever the letter case", async (h) => {
      const seeded = await h.seeded("company", "domain", "acme.example");
      const found = await h.adapter.find({ type: "company", field: "domain", value: "ACME.Example" });
      assert.deepEqual(
        found.map((r) => r.id),
        [seeded.id],
      );
    });
    test("finds nothing for a value no record has", async ({ adapter }) => {
      assert.deepEqual(
        await adapter.find({ type: "contact", field: "email", value: "nobody@nowhere.example" }),
        [],
      );
      assert.deepEqual(
        await adapter.find({ type: "company", field: "domain", value: "nowhere.example" }),
        [],
      );
    });
  });

  group(api, options, "duplicates", "duplicates", (test) => {
    if ((options.duplicateContacts ?? "allowed") === "allowed") {
      test("returns every match when two contacts share an email", async (h) => {
        const first = await h.adapter.create("contact", { properties: PERSON });
        const second = await h.adapter.create("contact", { properties: { ...PERSON, first_name: "Rosie" } });
        await h.settle();
        const found = await h.adapter.find({ type: "contact", field: "email", value: PERSON.email });
        assert.deepEqual(found.map((r) => r.id).sort(), [first.id, second.id].sort());
      });
      test("returns at most `limit` matches", async (h) => {
        for (const name of ["A", "B", "C"]) {
          await h.adapter.create("contact", { properties: { ...PERSON, first_name: name } });
        }
        await h.settle();
        const found = await h.adapter.find({
          type: "contact",
          field: "email",
          value: PERSON.email,
          limit: 2,
        });
        assert.equal(found.length, 2);
      });
    } else {
      test("rejects a second contact with the same email as duplicate_conflict naming the existing id", async (h) => {
        const first = await h.adapter.create("contact", { properties: PERSON });
        const error = await rejectsWith(
          h.adapter.create("contact", { properties: { ...PERSON, email: PERSON.email.toUpperCase() } }),
          h.adapter,
          "duplicate_conflict",
        );
        assert.equal(error.existingId, first.id);
        const stored = (await h.probe.list("contact")).filter((r) => r.properties["email"] === PERSON.email);
        assert.equal(stored.length, 1);
      });
    }
  });

  group(api, options, "validation", "validation errors", (test) => {
    test("rejects an unknown property as invalid_property and writes nothing", async ({ adapter, probe }) => {
      const before = (await probe.list("contact")).length;
      const error = await rejectsWith(
        adapter.create("contact", { properties: { ...PERSON, favourite_colour_xyz: "teal" } }),
        adapter,
        "invalid_property",
      );
      assert.equal(error.action, "review");
      assert.equal((await probe.list("contact")).length, before);
    });
    test("rejects a value outside an enum field's options as invalid_enum", async ({ adapter }) => {
      const created = await adapter.create("contact", { properties: PERSON });
      const error = await rejectsWith(
        adapter.update("contact", { id: created.id, properties: { lead_source: "carrier_pigeon" } }),
        adapter,
        "invalid_enum",
      );
      assert.equal(error.action, "review");
    });
    test("accepts a value from an enum field's options", async ({ adapter, probe }) => {
      const created = await adapter.create("contact", { properties: { ...PERSON, lead_source: "referral" } });
      assertProperties(await probe.get("contact", created.id), { lead_source: "referral" });
    });
    test("fails with not_found when updating a record that does not exist", async ({ adapter }) => {
      await rejectsWith(
        adapter.update("contact", { id: "999999999", properties: { first_name: "X" } }),
        adapter,
        "not_found",
      );
    });
  });
}
