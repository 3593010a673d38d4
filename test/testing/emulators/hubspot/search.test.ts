import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";
import { type Harness, start, TRANSPORTS_AND_VERSIONS } from "./helpers.js";

const search = (h: Harness, type: string, body: unknown) =>
  h.call("POST", `/crm/v3/objects/${type}/search`, body);
const eq = (propertyName: string, value: string, operator = "EQ") => ({ propertyName, operator, value });
const ids = (body: { results: { id: string }[] }) => body.results.map((r) => r.id);

describe.each(TRANSPORTS_AND_VERSIONS)("HubSpot emulator search over %s on %s", (transport, version) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  const contacts = [
    { id: "1", properties: { email: "ann@acme.com", firstname: "Ann", lastname: "Lee" } },
    { id: "2", properties: { email: "bob@acme.com", firstname: "Bob" } },
    { id: "3", properties: { email: "cy@other.org", firstname: "Cy", lastname: "Lee" } },
  ];

  it("matches EQ case-insensitively and returns total, requested properties and no rate headers", async () => {
    h = await start(transport, { records: { contacts } }, version);
    const res = await search(h, "contacts", {
      filterGroups: [{ filters: [eq("email", "ANN@acme.com")] }],
      properties: ["email", "firstname"],
      limit: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.results[0].properties).toMatchObject({ email: "ann@acme.com", firstname: "Ann" });
    expect(res.headers.get("x-hubspot-ratelimit-remaining")).toBeNull();
  });

  it("ANDs filters in a group and ORs groups", async () => {
    h = await start(transport, { records: { contacts } }, version);
    const and = await search(h, "contacts", {
      filterGroups: [{ filters: [eq("lastname", "lee"), eq("firstname", "Cy")] }],
    });
    expect(ids(and.body)).toEqual(["3"]);
    const or = await search(h, "contacts", {
      filterGroups: [{ filters: [eq("firstname", "Bob")] }, { filters: [eq("firstname", "Cy")] }],
    });
    expect(ids(or.body)).toEqual(["2", "3"]);
  });

  it("supports every operator", async () => {
    h = await start(
      transport,
      {
        limits: { searchPerSecond: 100 },
        records: {
          deals: [
            { id: "1", properties: { dealname: "Big renewal", amount: "100" } },
            { id: "2", properties: { dealname: "Small", amount: "20" } },
            { id: "3", properties: { dealname: "No amount" } },
          ],
        },
      },
      version,
    );
    const run = async (filter: Record<string, unknown>) =>
      ids((await search(h, "deals", { filterGroups: [{ filters: [filter] }] })).body);
    expect(await run(eq("amount", "100", "NEQ"))).toEqual(["2", "3"]);
    expect(await run(eq("amount", "100", "LT"))).toEqual(["2"]);
    expect(await run(eq("amount", "100", "LTE"))).toEqual(["1", "2"]);
    expect(await run(eq("amount", "20", "GT"))).toEqual(["1"]);
    expect(await run(eq("amount", "20", "GTE"))).toEqual(["1", "2"]);
    expect(await run({ propertyName: "amount", operator: "BETWEEN", value: "10", highValue: "50" })).toEqual([
      "2",
    ]);
    expect(await run({ propertyName: "dealname", operator: "IN", values: ["small", "nope"] })).toEqual(["2"]);
    expect(await run({ propertyName: "dealname", operator: "IN", values: ["Small"] })).toEqual([]);
    expect(await run({ propertyName: "dealname", operator: "NOT_IN", values: ["small"] })).toEqual([
      "1",
      "3",
    ]);
    expect(await run({ propertyName: "amount", operator: "HAS_PROPERTY" })).toEqual(["1", "2"]);
    expect(await run({ propertyName: "amount", operator: "NOT_HAS_PROPERTY" })).toEqual(["3"]);
    expect(await run(eq("dealname", "renewal", "CONTAINS_TOKEN"))).toEqual(["1"]);
    expect(await run(eq("dealname", "renew*", "CONTAINS_TOKEN"))).toEqual(["1"]);
    expect(await run(eq("dealname", "renewal", "NOT_CONTAINS_TOKEN"))).toEqual(["2", "3"]);
  });

  it("filters on the associations.{type} pseudo-property and computed hs_is_closed", async () => {
    h = await start(
      transport,
      {
        records: {
          contacts: [{ id: "123", properties: { email: "a@x.com" } }],
          deals: [
            { id: "1", properties: { dealname: "open", pipeline: "default", dealstage: "qualifiedtobuy" } },
            { id: "2", properties: { dealname: "other contact" } },
          ],
        },
        associations: [{ from: { type: "deals", id: "1" }, to: { type: "contacts", id: "123" } }],
      },
      version,
    );
    const won = await h.call("POST", "/crm/v3/objects/deals", {
      properties: { dealname: "won", dealstage: "closedwon" },
      associations: [
        { to: { id: "123" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 3 }] },
      ],
    });
    await h.call("PATCH", "/crm/v3/objects/deals/1", { properties: { dealstage: "contractsent" } });
    const res = await search(h, "deals", {
      filterGroups: [
        {
          filters: [
            eq("associations.contact", "123"),
            eq("pipeline", "default"),
            eq("hs_is_closed", "false"),
          ],
        },
      ],
    });
    expect(ids(res.body)).toEqual(["1"]);
    const all = await search(h, "deals", {
      filterGroups: [{ filters: [eq("associations.contact", "123")] }],
    });
    expect(ids(all.body)).toEqual(["1", won.body.id]);
  });

  it("sorts and pages with an offset cursor", async () => {
    h = await start(transport, { records: { contacts } }, version);
    const first = await search(h, "contacts", {
      sorts: [{ propertyName: "firstname", direction: "DESCENDING" }],
      limit: 2,
    });
    expect(ids(first.body)).toEqual(["3", "2"]);
    expect(first.body.paging.next.after).toBe("2");
    const second = await search(h, "contacts", {
      sorts: [{ propertyName: "firstname", direction: "DESCENDING" }],
      limit: 2,
      after: "2",
    });
    expect(ids(second.body)).toEqual(["1"]);
    expect(second.body.paging).toBeUndefined();
  });

  it("enforces filter-group, filter, limit, 10,000-result and 3,000-character caps with 400", async () => {
    h = await start(transport, { limits: { searchPerSecond: 100 } }, version);
    const groups = (n: number, per: number) =>
      Array.from({ length: n }, () => ({ filters: Array.from({ length: per }, () => eq("email", "x")) }));
    const cases = [
      { filterGroups: groups(6, 1) },
      { filterGroups: groups(1, 7) },
      { filterGroups: groups(4, 5) },
      { limit: 201 },
      { after: "10000" },
      { query: "x".repeat(3001) },
    ];
    for (const body of cases) {
      const res = await search(h, "contacts", body);
      expect(res.status).toBe(400);
      expect(res.body.category).toBe("VALIDATION_ERROR");
    }
    expect(
      (await search(h, "contacts", { filterGroups: groups(3, 6), limit: 200, after: "9999" })).status,
    ).toBe(200);
  });

  it("makes new and updated records searchable only after searchLagMs", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, searchLagMs: 2000 }, version);
    const created = await h.call("POST", "/crm/v3/objects/contacts", {
      properties: { email: "lag@x.com", firstname: "Old" },
    });
    const byEmail = { filterGroups: [{ filters: [eq("email", "lag@x.com")] }], properties: ["firstname"] };
    expect((await search(h, "contacts", byEmail)).body.total).toBe(0);
    expect((await h.call("GET", `/crm/v3/objects/contacts/${created.body.id}`)).status).toBe(200);
    await clock.advance(2000);
    expect((await search(h, "contacts", byEmail)).body.results[0].properties.firstname).toBe("Old");
    await h.call("PATCH", `/crm/v3/objects/contacts/${created.body.id}`, {
      properties: { firstname: "New" },
    });
    expect((await search(h, "contacts", byEmail)).body.results[0].properties.firstname).toBe("Old");
    await clock.advance(2000);
    expect((await search(h, "contacts", byEmail)).body.results[0].properties.firstname).toBe("New");
  });
});
