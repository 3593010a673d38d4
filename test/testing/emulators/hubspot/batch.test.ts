import { afterEach, describe, expect, it } from "vitest";
import { type Harness, start, TRANSPORTS_AND_VERSIONS } from "./helpers.js";

describe.each(TRANSPORTS_AND_VERSIONS)(
  "HubSpot emulator batch endpoints over %s on %s",
  (transport, version) => {
    let h: Harness;
    afterEach(async () => {
      await h.close();
    });

    it("rejects more than 100 inputs with 400 VALIDATION_ERROR and writes nothing", async () => {
      h = await start(transport, {}, version);
      const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { email: `u${i}@x.com` } }));
      const res = await h.call("POST", "/crm/v3/objects/contacts/batch/create", { inputs });
      expect(res.status).toBe(400);
      expect(res.body.category).toBe("VALIDATION_ERROR");
      expect(h.emulator.list("contacts")).toHaveLength(0);
      const ok = await h.call("POST", "/crm/v3/objects/contacts/batch/create", {
        inputs: inputs.slice(0, 100),
      });
      expect(ok.status).toBe(201);
      expect(ok.body.results).toHaveLength(100);
    });

    it("fails the whole batch on one bad input when no objectWriteTraceId is given", async () => {
      h = await start(transport, {}, version);
      const res = await h.call("POST", "/crm/v3/objects/contacts/batch/create", {
        inputs: [{ properties: { email: "ok@x.com" } }, { properties: { missing: "1" } }],
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain("PROPERTY_DOESNT_EXIST");
      expect(h.emulator.list("contacts")).toHaveLength(0);
    });

    it("answers 207 with numErrors and per-input errors when inputs carry objectWriteTraceId", async () => {
      h = await start(transport, {}, version);
      const res = await h.call("POST", "/crm/v3/objects/contacts/batch/create", {
        inputs: [
          { properties: { email: "ok@x.com" }, objectWriteTraceId: "a1" },
          { properties: { missing: "1" }, objectWriteTraceId: "549b1c2a9351" },
        ],
      });
      expect(res.status).toBe(207);
      expect(res.body.status).toBe("COMPLETE");
      expect(res.body.numErrors).toBe(1);
      expect(res.body.results).toHaveLength(1);
      expect(res.body.errors[0]).toMatchObject({
        status: "error",
        category: "VALIDATION_ERROR",
        context: { objectWriteTraceId: ["549b1c2a9351"] },
      });
      expect(res.body.errors[0].message).toContain('Property \\"missing\\" does not exist');
      expect(h.emulator.list("contacts")).toHaveLength(1);
    });

    it("fails a batch create with 409 when an email already exists", async () => {
      h = await start(
        transport,
        { records: { contacts: [{ id: "7", properties: { email: "dup@x.com" } }] } },
        version,
      );
      const res = await h.call("POST", "/crm/v3/objects/contacts/batch/create", {
        inputs: [{ properties: { email: "new@x.com" } }, { properties: { email: "DUP@x.com" } }],
      });
      expect(res.status).toBe(409);
      expect(res.body.message).toBe("Contact already exists. Existing ID: 7");
      expect(h.emulator.list("contacts")).toHaveLength(1);
    });

    it("upserts contacts by email, flagging new records", async () => {
      h = await start(
        transport,
        { records: { contacts: [{ id: "7", properties: { email: "old@x.com" } }] } },
        version,
      );
      const res = await h.call("POST", "/crm/v3/objects/contacts/batch/upsert", {
        inputs: [
          { id: "OLD@x.com", idProperty: "email", properties: { firstname: "Old" } },
          { id: "new@x.com", idProperty: "email", properties: { firstname: "New" } },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { id: string; new: boolean }) => [r.id, r.new])).toEqual([
        ["7", false],
        ["1001", true],
      ]);
      expect(h.emulator.get("contacts", "1001")?.properties).toMatchObject({
        email: "new@x.com",
        firstname: "New",
      });
    });

    it("upserts by a custom hasUniqueValue property and refuses non-unique idProperty", async () => {
      h = await start(
        transport,
        {
          properties: { companies: [{ name: "external_id", hasUniqueValue: true }] },
        },
        version,
      );
      const ok = await h.call("POST", "/crm/v3/objects/companies/batch/upsert", {
        inputs: [{ id: "ext-1", idProperty: "external_id", properties: { name: "Acme" } }],
      });
      expect(ok.status).toBe(200);
      expect(ok.body.results[0]).toMatchObject({
        new: true,
        properties: { external_id: "ext-1", name: "Acme" },
      });
      const bad = await h.call("POST", "/crm/v3/objects/companies/batch/upsert", {
        inputs: [{ id: "x.com", idProperty: "domain", properties: {} }],
      });
      expect(bad.status).toBe(400);
      const dup = await h.call("POST", "/crm/v3/objects/companies", { properties: { external_id: "ext-1" } });
      expect(dup.status).toBe(409);
      expect(dup.body.message).toBe(`Company already exists. Existing ID: ${ok.body.results[0].id}`);
    });

    it("reads by idProperty and reports missing ids in a 207", async () => {
      h = await start(
        transport,
        {
          records: { contacts: [{ id: "7", properties: { email: "a@x.com", firstname: "A" } }] },
        },
        version,
      );
      const res = await h.call("POST", "/crm/v3/objects/contacts/batch/read", {
        idProperty: "email",
        properties: ["firstname"],
        inputs: [{ id: "a@x.com" }, { id: "nobody@x.com" }],
      });
      expect(res.status).toBe(207);
      expect(res.body.results).toHaveLength(1);
      expect(res.body.results[0].properties.firstname).toBe("A");
      expect(res.body.errors[0]).toMatchObject({
        category: "OBJECT_NOT_FOUND",
        context: { ids: ["nobody@x.com"] },
      });
    });

    it("updates and archives in batches", async () => {
      h = await start(
        transport,
        {
          records: {
            deals: [
              { id: "5", properties: { dealname: "D" } },
              { id: "6", properties: { dealname: "E" } },
            ],
          },
        },
        version,
      );
      const updated = await h.call("POST", "/crm/v3/objects/deals/batch/update", {
        inputs: [{ id: "5", properties: { amount: 12.5 } }],
      });
      expect(updated.status).toBe(200);
      expect(updated.body.results[0].properties.amount).toBe("12.5");
      const missing = await h.call("POST", "/crm/v3/objects/deals/batch/update", {
        inputs: [{ id: "999", properties: { amount: "1" } }],
      });
      expect(missing.status).toBe(404);
      expect(
        (await h.call("POST", "/crm/v3/objects/deals/batch/archive", { inputs: [{ id: "5" }, { id: "6" }] }))
          .status,
      ).toBe(204);
      expect(h.emulator.list("deals")).toHaveLength(0);
    });
  },
);
