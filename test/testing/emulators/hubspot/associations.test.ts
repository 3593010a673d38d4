import { afterEach, describe, expect, it } from "vitest";
import { type Harness, start, TRANSPORTS_AND_VERSIONS } from "./helpers.js";

const seed = {
  records: {
    contacts: [
      { id: "1", properties: { email: "a@x.com" } },
      { id: "2", properties: { email: "b@x.com" } },
    ],
    companies: [{ id: "10", properties: { name: "Co" } }],
    deals: [{ id: "20", properties: { dealname: "D" } }],
  },
};

describe.each(TRANSPORTS_AND_VERSIONS)(
  "HubSpot emulator associations over %s on %s",
  (transport, version) => {
    let h: Harness;
    afterEach(async () => {
      await h.close();
    });

    it("creates a default association readable from both sides", async () => {
      h = await start(transport, seed, version);
      const put = await h.call("PUT", "/crm/v4/objects/contacts/1/associations/default/companies/10");
      expect(put.status).toBe(200);
      expect(put.body.results[0]).toEqual({
        from: { id: "1" },
        to: { id: "10" },
        associationSpec: { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 },
      });
      const fromCompany = await h.call("GET", "/crm/v4/objects/companies/10/associations/contacts");
      expect(fromCompany.body).toEqual({
        results: [
          { toObjectId: 1, associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 280, label: null }] },
        ],
      });
    });

    it("creates labeled associations and rejects a type id of the wrong direction with 400", async () => {
      h = await start(transport, seed, version);
      const labeled = await h.call("PUT", "/crm/v4/objects/contacts/1/associations/companies/10", [
        { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 1 },
      ]);
      expect(labeled.status).toBe(201);
      expect(labeled.body).toMatchObject({
        fromObjectTypeId: "0-1",
        fromObjectId: 1,
        toObjectTypeId: "0-2",
        toObjectId: 10,
        labels: ["Primary"],
      });
      const wrong = await h.call("PUT", "/crm/v4/objects/contacts/1/associations/deals/20", [
        { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 3 },
      ]);
      expect(wrong.status).toBe(400);
      expect(wrong.body.category).toBe("VALIDATION_ERROR");
      const right = await h.call("PUT", "/crm/v4/objects/contacts/1/associations/deals/20", [
        { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 4 },
      ]);
      expect(right.status).toBe(201);
      expect(h.emulator.associations("deals", "20", "contacts")).toEqual([{ toId: "1", typeIds: [3] }]);
    });

    it("answers 404 when an associated record does not exist", async () => {
      h = await start(transport, seed, version);
      expect(
        (await h.call("PUT", "/crm/v4/objects/contacts/1/associations/default/companies/999")).status,
      ).toBe(404);
    });

    it("batch-creates (≤ 2,000), batch-reads (≤ 1,000) and batch-archives", async () => {
      h = await start(transport, seed, version);
      const types = [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 }];
      const created = await h.call("POST", "/crm/v4/associations/contacts/companies/batch/create", {
        inputs: [
          { from: { id: "1" }, to: { id: "10" }, types },
          { from: { id: "2" }, to: { id: "10" }, types },
        ],
      });
      expect(created.status).toBe(201);
      expect(created.body.results).toHaveLength(2);
      const tooMany = Array.from({ length: 2001 }, () => ({ from: { id: "1" }, to: { id: "10" }, types }));
      expect(
        (await h.call("POST", "/crm/v4/associations/contacts/companies/batch/create", { inputs: tooMany }))
          .status,
      ).toBe(400);
      const read = await h.call("POST", "/crm/v4/associations/companies/contacts/batch/read", {
        inputs: [{ id: "10" }],
      });
      expect(read.status).toBe(200);
      expect(read.body.results[0].to.map((t: { toObjectId: number }) => t.toObjectId)).toEqual([1, 2]);
      const readTooMany = Array.from({ length: 1001 }, () => ({ id: "10" }));
      expect(
        (await h.call("POST", "/crm/v4/associations/companies/contacts/batch/read", { inputs: readTooMany }))
          .status,
      ).toBe(400);
      const archived = await h.call("POST", "/crm/v4/associations/contacts/companies/batch/archive", {
        inputs: [{ from: { id: "1" }, to: [{ id: "10" }] }],
      });
      // v4 answers 204 without a body; 2026-03 answers 200 with a (resultless) batch response.
      if (version === "v3") expect([archived.status, archived.body]).toEqual([204, undefined]);
      else expect([archived.status, archived.body]).toMatchObject([200, { status: "COMPLETE", results: [] }]);
      expect(h.emulator.associations("companies", "10", "contacts").map((a) => a.toId)).toEqual(["2"]);
    });

    it("batch-associates with the default type and reports a wrong type id in batch create as 400", async () => {
      h = await start(transport, seed, version);
      const res = await h.call("POST", "/crm/v4/associations/deals/contacts/batch/associate/default", {
        inputs: [{ from: { id: "20" }, to: { id: "1" } }],
      });
      expect(res.status).toBe(200);
      expect(h.emulator.associations("contacts", "1", "deals")).toEqual([{ toId: "20", typeIds: [4] }]);
      const wrong = await h.call("POST", "/crm/v4/associations/deals/contacts/batch/create", {
        inputs: [
          {
            from: { id: "20" },
            to: { id: "1" },
            types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 4 }],
          },
        ],
      });
      expect(wrong.status).toBe(400);
    });

    it("removes an association in both directions with DELETE", async () => {
      h = await start(
        transport,
        {
          ...seed,
          associations: [{ from: { type: "contacts", id: "1" }, to: { type: "deals", id: "20" } }],
        },
        version,
      );
      expect((await h.call("DELETE", "/crm/v4/objects/deals/20/associations/contacts/1")).status).toBe(204);
      expect(h.emulator.associations("contacts", "1", "deals")).toEqual([]);
    });
  },
);
