import { afterEach, describe, expect, it } from "vitest";
import { type Harness, start, TRANSPORTS_AND_VERSIONS } from "./helpers.js";

describe.each(TRANSPORTS_AND_VERSIONS)(
  "HubSpot emulator owners, pipelines and properties over %s on %s",
  (transport, version) => {
    let h: Harness;
    afterEach(async () => {
      await h.close();
    });

    const owners = [
      { id: "1", email: "Ann@x.com", firstName: "Ann", userId: 501 },
      { id: "2", email: "bob@x.com", userId: 502 },
      { id: "3", email: "gone@x.com", userId: 503, archived: true },
    ];

    it("lists active owners by default and deactivated ones only with archived=true", async () => {
      h = await start(transport, { owners }, version);
      const active = await h.call("GET", "/crm/v3/owners?limit=1");
      expect(active.body.results.map((o: { id: string }) => o.id)).toEqual(["1"]);
      expect(active.body.paging.next.after).toBe("1");
      const archived = await h.call("GET", "/crm/v3/owners?archived=true");
      expect(archived.body.results).toEqual([
        expect.objectContaining({
          id: "3",
          archived: true,
          userId: null,
          userIdIncludingInactive: 503,
          type: "PERSON",
        }),
      ]);
      const byEmail = await h.call("GET", "/crm/v3/owners?email=ann@x.com");
      expect(byEmail.body.results.map((o: { id: string }) => o.id)).toEqual(["1"]);
      expect((await h.call("GET", "/crm/v3/owners/2")).body.email).toBe("bob@x.com");
      expect((await h.call("GET", "/crm/v3/owners/3")).status).toBe(404);
      expect((await h.call("GET", "/crm/v3/owners/3?archived=true")).status).toBe(200);
    });

    it("serves the default deal pipeline with string stage metadata", async () => {
      h = await start(transport, {}, version);
      const res = await h.call("GET", "/crm/v3/pipelines/deals");
      expect(res.body.results[0]).toMatchObject({ id: "default", label: "Sales Pipeline", archived: false });
      const stages = await h.call("GET", "/crm/v3/pipelines/deals/default/stages");
      expect(stages.body.results.find((s: { id: string }) => s.id === "closedwon").metadata).toEqual({
        isClosed: "true",
        probability: "1.0",
      });
      expect((await h.call("GET", "/crm/v3/pipelines/deals/nope")).status).toBe(404);
    });

    it("serves custom pipelines that deal writes are validated against", async () => {
      h = await start(
        transport,
        {
          pipelines: {
            deals: [
              {
                id: "p1",
                label: "Partners",
                stages: [{ id: "s1", label: "New", metadata: { isClosed: "false", probability: "0.1" } }],
              },
            ],
          },
        },
        version,
      );
      expect(
        (await h.call("POST", "/crm/v3/objects/deals", { properties: { pipeline: "p1", dealstage: "s1" } }))
          .status,
      ).toBe(201);
      expect(
        (
          await h.call("POST", "/crm/v3/objects/deals", {
            properties: { pipeline: "p1", dealstage: "closedwon" },
          })
        ).status,
      ).toBe(400);
    });

    it("lists default and custom properties with hasUniqueValue and enumeration options", async () => {
      h = await start(
        transport,
        {
          owners,
          properties: {
            contacts: [{ name: "tier", type: "enumeration", options: [{ label: "Gold", value: "gold" }] }],
          },
        },
        version,
      );
      const res = await h.call("GET", "/crm/v3/properties/contacts");
      const names = res.body.results.map((p: { name: string }) => p.name);
      expect(names).toEqual(expect.arrayContaining(["email", "firstname", "tier", "hubspot_owner_id"]));
      expect(res.body.results.find((p: { name: string }) => p.name === "email").hasUniqueValue).toBe(true);
      const tier = await h.call("GET", "/crm/v3/properties/contacts/tier");
      expect(tier.body).toMatchObject({
        type: "enumeration",
        fieldType: "select",
        options: [{ label: "Gold", value: "gold", hidden: false }],
      });
      const owner = await h.call("GET", "/crm/v3/properties/contacts/hubspot_owner_id");
      expect(owner.body.options.map((o: { value: string }) => o.value)).toEqual(["1", "2"]);
      expect((await h.call("GET", "/crm/v3/properties/contacts/nope")).status).toBe(404);
    });
  },
);
