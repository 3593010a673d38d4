import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";
import { CUSTOM_FIELDS, type Harness, KEY, start, TRANSPORTS } from "./helpers.js";

describe.each(TRANSPORTS)("Pipedrive emulator search over %s", (transport) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  const seedPeople = async () => {
    const org = (await h.call("POST", "/api/v2/organizations", { name: "Acme Inc", website: "acme.test" }))
      .body.data;
    await h.call("POST", "/api/v2/persons", {
      name: "Jane Doe",
      org_id: org.id,
      emails: [{ value: "Jane@Pipedrive.com" }],
      phones: [{ value: "+372 555 5555" }],
    });
    await h.call("POST", "/api/v2/persons", {
      name: "Janet Roe",
      emails: [{ value: "janet@pipedrive.com" }],
    });
    return org;
  };

  it("finds a person by email with exact_match case-insensitively, in the documented item shape", async () => {
    h = await start(transport);
    const org = await seedPeople();
    const res = await h.call(
      "GET",
      "/api/v2/persons/search?term=jane%40pipedrive.com&fields=email&exact_match=true",
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      data: {
        items: [
          {
            result_score: 1,
            item: {
              id: 1002,
              type: "person",
              name: "Jane Doe",
              phones: ["+372 555 5555"],
              emails: ["Jane@Pipedrive.com"],
              visible_to: 3,
              owner: { id: 1 },
              organization: { id: org.id, name: "Acme Inc", address: null },
              custom_fields: [],
              notes: [],
            },
          },
        ],
      },
      additional_data: { next_cursor: null },
    });
  });

  it("matches substrings without exact_match and ranks the closer match first", async () => {
    h = await start(transport);
    await seedPeople();
    const res = await h.call("GET", "/api/v2/persons/search?term=jane&fields=name");
    const items = res.body.data.items as { result_score: number; item: { name: string } }[];
    expect(items.map((i) => i.item.name)).toEqual(["Jane Doe", "Janet Roe"]);
    expect(items[0]?.result_score).toBeGreaterThan(items[1]?.result_score ?? 1);
    const exact = await h.call("GET", "/api/v2/persons/search?term=jane&fields=name&exact_match=true");
    expect(exact.body.data.items).toEqual([]);
    const phone = await h.call("GET", "/api/v2/persons/search?term=3725555555&fields=phone&exact_match=true");
    expect(phone.body.data.items).toHaveLength(1);
  });

  it("searches organizations by name, address and custom fields but never by website", async () => {
    h = await start(transport, { customFields: CUSTOM_FIELDS });
    await h.call("POST", "/api/v2/organizations", {
      name: "Globex",
      website: "globex.example",
      address: { value: "1 Main St, Springfield" },
      custom_fields: { [KEY.domain]: "globex.example" },
    });
    const byWebsite = await h.call(
      "GET",
      "/api/v2/organizations/search?term=globex.example&fields=name,address,notes",
    );
    expect(byWebsite.body.data.items).toEqual([]);
    const byCustom = await h.call(
      "GET",
      "/api/v2/organizations/search?term=GLOBEX.EXAMPLE&fields=custom_fields&exact_match=true",
    );
    expect(byCustom.body.data.items[0].item).toMatchObject({
      type: "organization",
      custom_fields: ["globex.example"],
    });
    const byAddress = await h.call("GET", "/api/v2/organizations/search?term=springfield&fields=address");
    expect(byAddress.body.data.items[0].item.address).toBe("1 Main St, Springfield");
    const website = await h.call("GET", "/api/v2/organizations/search?term=globex&fields=website");
    expect(website.status).toBe(400);
  });

  it("searches deals by title with person and status filters", async () => {
    h = await start(transport);
    const person = (await h.call("POST", "/api/v2/persons", { name: "P" })).body.data;
    await h.call("POST", "/api/v2/deals", { title: "Website redesign", person_id: person.id });
    await h.call("POST", "/api/v2/deals", { title: "Website hosting", status: "won" });
    const res = await h.call("GET", `/api/v2/deals/search?term=website&person_id=${person.id}&status=open`);
    expect(res.body.data.items).toHaveLength(1);
    expect(res.body.data.items[0].item).toMatchObject({
      type: "deal",
      title: "Website redesign",
      status: "open",
      stage: { id: 1, name: "Qualified" },
      person: { id: person.id, name: "P" },
      organization: null,
    });
  });

  it("finds records by the content of their notes", async () => {
    h = await start(transport);
    const person = (await h.call("POST", "/api/v2/persons", { name: "Quiet Person" })).body.data;
    await h.call("POST", "/v1/notes", { content: "<p>Met at the Berlin expo</p>", person_id: person.id });
    const res = await h.call("GET", "/api/v2/persons/search?term=berlin&fields=notes");
    expect(res.body.data.items[0].item).toMatchObject({ id: person.id, notes: ["Met at the Berlin expo"] });
  });

  it("hides new and changed records from search until the index lag has passed", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, searchLagMs: 3_000 });
    const person = (await h.call("POST", "/api/v2/persons", { name: "Lagging Larry" })).body.data;
    const search = async (term: string) =>
      (await h.call("GET", `/api/v2/persons/search?term=${term}&fields=name`)).body.data.items.length;
    expect(await search("larry")).toBe(0);
    await clock.advance(3_000);
    expect(await search("larry")).toBe(1);
    await h.call("PATCH", `/api/v2/persons/${person.id}`, { name: "Renamed Rita" });
    expect([await search("larry"), await search("rita")]).toEqual([1, 0]);
    await clock.advance(3_000);
    expect([await search("larry"), await search("rita")]).toEqual([0, 1]);
  });

  it("pages search results with a cursor and validates term and limit", async () => {
    h = await start(transport);
    for (let i = 0; i < 5; i++) await h.call("POST", "/api/v2/persons", { name: `Same Name ${i}` });
    const first = await h.call("GET", "/api/v2/persons/search?term=same&limit=3");
    expect(first.body.data.items).toHaveLength(3);
    const next = first.body.additional_data.next_cursor;
    const second = await h.call("GET", `/api/v2/persons/search?term=same&limit=3&cursor=${next}`);
    expect(second.body.data.items).toHaveLength(2);
    expect(second.body.additional_data.next_cursor).toBeNull();
    expect((await h.call("GET", "/api/v2/persons/search?term=s")).status).toBe(400);
    expect((await h.call("GET", "/api/v2/persons/search?term=s&exact_match=true")).status).toBe(200);
    expect((await h.call("GET", "/api/v2/persons/search?term=same&limit=501")).body.error).toBe(
      '"limit" must be less than or equal to 500',
    );
  });
});
