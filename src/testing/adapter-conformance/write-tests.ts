import assert from "node:assert/strict";
import type { CrmObjectType } from "../../adapter/index.js";
import { assertCrmError, group, type Harness, linkedIds } from "./harness.js";
import { assertProperties } from "./record-tests.js";
import type { AdapterConformanceOptions, AdapterConformanceRunner } from "./types.js";

const email = (n: number): string => `batch-${n}@conformance.example`;
const people = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    properties: { email: email(from + i), first_name: `P${from + i}` },
  }));

/** The first declared upsert key, preferring contacts. */
function upsertKey(h: Harness): { type: CrmObjectType; field: string } | undefined {
  const keys = h.adapter.capabilities.upsertKeys;
  const contactKey = keys.contact?.[0];
  if (contactKey !== undefined) return { type: "contact", field: contactKey };
  for (const [type, fields] of Object.entries(keys)) {
    if (fields?.[0] !== undefined) return { type: type as CrmObjectType, field: fields[0] };
  }
  return undefined;
}

/** Native upsert and batch methods; each test first checks the capability, then the behaviour. */
export function registerWriteTests(api: AdapterConformanceRunner, options: AdapterConformanceOptions): void {
  group(api, options, "upsert", "native upsert", (test) => {
    test("creates a record, then updates the same record (when upsertKeys lists a key)", async (h) => {
      const key = upsertKey(h);
      if (key === undefined || h.adapter.upsert === undefined) {
        assert.equal(h.adapter.upsert, undefined, "upsert without upsertKeys");
        return;
      }
      assert.equal(key.type, "contact", "the suite upserts contacts");
      const value = key.field === "email" ? "upsert@conformance.example" : "upsert-key-1";
      const first = await h.adapter.upsert("contact", {
        key: { field: key.field, value },
        properties: { first_name: "Una" },
      });
      assert.equal(first.created, true);
      const second = await h.adapter.upsert("contact", {
        key: { field: key.field, value },
        properties: { first_name: "Uma" },
      });
      assert.equal(second.created, false);
      assert.equal(second.record.id, first.record.id);
      assertProperties(await h.probe.get("contact", first.record.id), {
        first_name: "Uma",
        [key.field]: value,
      });
    });
  });

  group(api, options, "batch", "batch methods", (test) => {
    test("batchCreate returns one result per input, in order (when batchSizes.create is declared)", async (h) => {
      if (h.adapter.batchCreate === undefined)
        return assert.equal(h.adapter.capabilities.batchSizes.create, undefined);
      const results = await h.adapter.batchCreate("contact", people(1, 3));
      assert.equal(results.length, 3);
      for (const [i, result] of results.entries()) {
        assert.ok(result.ok, `item ${i} failed`);
        assertProperties(await h.probe.get("contact", result.value.id), { email: email(1 + i) });
      }
    });
    test("batchCreate fails a bad item on its own and creates the others (when declared)", async (h) => {
      if (h.adapter.batchCreate === undefined)
        return assert.equal(h.adapter.capabilities.batchSizes.create, undefined);
      const inputs = people(1, 3);
      const bad = { properties: { email: email(99), favourite_colour_xyz: "teal" } };
      const results = await h.adapter.batchCreate("contact", [inputs[0]!, bad, inputs[2]!]);
      assert.deepEqual(
        results.map((r) => r.ok),
        [true, false, true],
      );
      const failed = results[1];
      if (failed?.ok === false) assertCrmError(failed.error, h.adapter, "invalid_property");
      const emails = (await h.probe.list("contact")).map((r) => r.properties["email"]);
      assert.ok(emails.includes(email(1)) && emails.includes(email(3)) && !emails.includes(email(99)));
    });
    test("batchCreate accepts a full batch of batchSizes.create items and never drops one beyond it", async (h) => {
      const max = h.adapter.capabilities.batchSizes.create;
      if (h.adapter.batchCreate === undefined || max === undefined) return assert.equal(max, undefined);
      const full = await h.adapter.batchCreate("contact", people(1, max));
      assert.equal(full.filter((r) => r.ok).length, max);
      let over: readonly unknown[] | undefined;
      try {
        over = await h.adapter.batchCreate("contact", people(max + 1, max + 1));
      } catch (error) {
        assertCrmError(error, h.adapter);
      }
      // Splitting into several calls is fine; answering for fewer items than were sent is not.
      if (over !== undefined) assert.equal(over.length, max + 1);
    });
    test("batchUpdate updates each record and reports a missing one on its own (when declared)", async (h) => {
      if (h.adapter.batchUpdate === undefined)
        return assert.equal(h.adapter.capabilities.batchSizes.update, undefined);
      const a = await h.adapter.create("contact", people(1, 1)[0]!);
      const b = await h.adapter.create("contact", people(2, 1)[0]!);
      const results = await h.adapter.batchUpdate("contact", [
        { id: a.id, properties: { last_name: "First" } },
        { id: "999999999", properties: { last_name: "Nobody" } },
        { id: b.id, properties: { last_name: "Third" } },
      ]);
      assert.deepEqual(
        results.map((r) => r.ok),
        [true, false, true],
      );
      const failed = results[1];
      if (failed?.ok === false) assertCrmError(failed.error, h.adapter);
      assertProperties(await h.probe.get("contact", a.id), { last_name: "First" });
      assertProperties(await h.probe.get("contact", b.id), { last_name: "Third" });
    });
    test("batchUpsert updates existing and creates new records in order (when declared)", async (h) => {
      const key = upsertKey(h);
      if (h.adapter.batchUpsert === undefined || key === undefined || key.field !== "email") {
        return assert.ok(h.adapter.batchUpsert === undefined || key !== undefined);
      }
      const existing = await h.adapter.create("contact", people(1, 1)[0]!);
      const results = await h.adapter.batchUpsert("contact", [
        { key: { field: "email", value: email(1) }, properties: { first_name: "Again" } },
        { key: { field: "email", value: email(2) }, properties: { first_name: "Fresh" } },
      ]);
      const values = results.map((r) => (r.ok ? r.value : undefined));
      assert.equal(values[0]?.created, false);
      assert.equal(values[0]?.record.id, existing.id);
      assert.equal(values[1]?.created, true);
      assertProperties(await h.probe.get("contact", existing.id), { first_name: "Again" });
    });
    test("findMany answers every value, matching emails whatever the case (when batchSizes.read is declared)", async (h) => {
      if (h.adapter.findMany === undefined)
        return assert.equal(h.adapter.capabilities.batchSizes.read, undefined);
      const seeded = await h.seeded("contact", "email", "existing@acme.example");
      const values = ["EXISTING@acme.example", "nobody@nowhere.example"];
      const found = await h.adapter.findMany("contact", "email", values);
      assert.deepEqual(
        (found.get(values[0]!) ?? []).map((r) => r.id),
        [seeded.id],
      );
      assert.deepEqual(found.get(values[1]!) ?? [], []);
    });
    test("batchAssociate associates each pair and reports a bad pair on its own (when declared)", async (h) => {
      if (h.adapter.batchAssociate === undefined) {
        return assert.equal(h.adapter.capabilities.batchSizes.associate, undefined);
      }
      const company = await h.seeded("company", "domain", "acme.example");
      const a = await h.adapter.create("contact", people(1, 1)[0]!);
      const b = await h.adapter.create("contact", people(2, 1)[0]!);
      const results = await h.adapter.batchAssociate([
        { from: { type: "contact", id: a.id }, to: { type: "company", id: company.id } },
        { from: { type: "contact", id: a.id }, to: { type: "company", id: "999999999" } },
        { from: { type: "contact", id: b.id }, to: { type: "company", id: company.id } },
      ]);
      assert.deepEqual(
        results.map((r) => r.ok),
        [true, false, true],
      );
      const failed = results[1];
      if (failed?.ok === false) assertCrmError(failed.error, h.adapter);
      assert.deepEqual(await linkedIds(h.probe, a, "company"), [company.id]);
      assert.deepEqual(await linkedIds(h.probe, b, "company"), [company.id]);
    });
  });
}
