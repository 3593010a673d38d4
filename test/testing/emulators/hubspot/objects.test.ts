import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";
import { type Harness, start, TRANSPORTS_AND_VERSIONS } from "./helpers.js";

describe.each(TRANSPORTS_AND_VERSIONS)("HubSpot emulator objects over %s on %s", (transport, version) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  const owners = [
    { id: "10", email: "ada@example.com", firstName: "Ada" },
    { id: "11", email: "gone@example.com", archived: true },
  ];

  it("creates a contact with string properties and maintained system properties", async () => {
    const clock = createFakeClock({ start: "2026-03-01T10:00:00.000Z" });
    h = await start(transport, { clock, owners }, version);
    const res = await h.call("POST", "/crm/v3/objects/contacts", {
      properties: { email: "Ann@Example.com", firstname: "Ann", hubspot_owner_id: 10 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: "1001",
      properties: {
        email: "ann@example.com",
        firstname: "Ann",
        hubspot_owner_id: "10",
        hs_object_id: "1001",
        createdate: "2026-03-01T10:00:00.000Z",
        lastmodifieddate: "2026-03-01T10:00:00.000Z",
      },
      createdAt: "2026-03-01T10:00:00.000Z",
      updatedAt: "2026-03-01T10:00:00.000Z",
      archived: false,
    });
    expect(h.emulator.get("contacts", "1001")?.properties["email"]).toBe("ann@example.com");
  });

  it("answers 409 CONFLICT with the existing id when a contact email already exists (case-insensitive)", async () => {
    h = await start(
      transport,
      {
        records: { contacts: [{ id: "37765128953", properties: { email: "a@b.com" } }] },
      },
      version,
    );
    const res = await h.call("POST", "/crm/v3/objects/contacts", { properties: { email: "A@B.com" } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      status: "error",
      message: "Contact already exists. Existing ID: 37765128953",
      category: "CONFLICT",
    });
    expect(typeof res.body.correlationId).toBe("string");
    expect(h.emulator.list("contacts")).toHaveLength(1);
  });

  it("rejects unknown properties with the literal PROPERTY_DOESNT_EXIST body", async () => {
    h = await start(transport, { portalId: 777 }, version);
    const res = await h.call("POST", "/crm/v3/objects/contacts", {
      properties: { email: "x@y.com", foo: "1" },
    });
    expect(res.status).toBe(400);
    expect(res.body.category).toBe("VALIDATION_ERROR");
    expect(res.body.message).toBe(
      'Property values were not valid: [{"isValid":false,"message":"Property \\"foo\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"foo","localizedErrorMessage":"Property \\"foo\\" does not exist","portalId":777}]',
    );
  });

  it("rejects enumeration values that are not options with INVALID_OPTION, including archived owners", async () => {
    h = await start(transport, { owners }, version);
    const stage = await h.call("POST", "/crm/v3/objects/contacts", {
      properties: { lifecyclestage: "reports" },
    });
    expect(stage.status).toBe(400);
    expect(stage.body.message).toContain('"error":"INVALID_OPTION"');
    expect(stage.body.message).toContain("reports was not one of the allowed options: [label: ");
    const owner = await h.call("POST", "/crm/v3/objects/contacts", {
      properties: { hubspot_owner_id: "11" },
    });
    expect(owner.status).toBe(400);
    expect(owner.body.message).toContain('"name":"hubspot_owner_id"');
  });

  it("computes hs_is_closed from the stage metadata and requires internal pipeline and stage ids", async () => {
    h = await start(transport, {}, version);
    const won = await h.call("POST", "/crm/v3/objects/deals", {
      properties: { dealname: "D", dealstage: "closedwon" },
    });
    expect(won.status).toBe(201);
    expect(won.body.properties).toMatchObject({
      pipeline: "default",
      hs_is_closed: "true",
      hs_is_closed_won: "true",
    });
    const open = await h.call("PATCH", `/crm/v3/objects/deals/${won.body.id}`, {
      properties: { dealstage: "qualifiedtobuy" },
    });
    expect(open.body.properties).toMatchObject({ hs_is_closed: "false", hs_is_closed_won: "false" });
    const byLabel = await h.call("POST", "/crm/v3/objects/deals", {
      properties: { pipeline: "Sales Pipeline", dealstage: "Closed Won" },
    });
    expect(byLabel.status).toBe(400);
    expect(byLabel.body.message).toContain('"name":"pipeline"');
  });

  it("reads by id or by idProperty, limits properties and reports unset requested ones as null", async () => {
    h = await start(
      transport,
      {
        records: { contacts: [{ id: "51", properties: { email: "a@b.com", firstname: "A" } }] },
      },
      version,
    );
    const byEmail = await h.call(
      "GET",
      "/crm/v3/objects/contacts/A%40B.com?idProperty=email&properties=firstname,phone",
    );
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.id).toBe("51");
    expect(byEmail.body.properties).toMatchObject({ firstname: "A", phone: null, hs_object_id: "51" });
    expect(byEmail.body.properties.email).toBeUndefined();
    expect((await h.call("GET", "/crm/v3/objects/contacts/404404")).status).toBe(404);
    expect((await h.call("GET", "/crm/v3/objects/contacts/x?idProperty=firstname")).status).toBe(400);
  });

  it("updates through PATCH with idProperty and archives through DELETE", async () => {
    const clock = createFakeClock({ start: "2026-03-01T00:00:00.000Z" });
    h = await start(
      transport,
      {
        clock,
        records: { contacts: [{ id: "51", properties: { email: "a@b.com" } }] },
      },
      version,
    );
    await clock.advance(5000);
    const patched = await h.call("PATCH", "/crm/v3/objects/contacts/a@b.com?idProperty=email", {
      properties: { lastname: "B" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.properties).toMatchObject({
      lastname: "B",
      lastmodifieddate: "2026-03-01T00:00:05.000Z",
    });
    expect((await h.call("DELETE", "/crm/v3/objects/contacts/51")).status).toBe(204);
    expect((await h.call("GET", "/crm/v3/objects/contacts/51")).status).toBe(404);
    expect(h.emulator.list("contacts", { archived: true }).map((r) => r.id)).toEqual(["51"]);
  });

  it("uses hs_lastmodifieddate for companies and keeps domain non-unique", async () => {
    h = await start(transport, {}, version);
    const a = await h.call("POST", "/crm/v3/objects/companies", {
      properties: { name: "A", domain: "x.com", hs_additional_domains: "y.com;z.com" },
    });
    const b = await h.call("POST", "/crm/v3/objects/companies", {
      properties: { name: "B", domain: "x.com" },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.properties.hs_lastmodifieddate).toBeDefined();
    expect(a.body.properties.lastmodifieddate).toBeUndefined();
    expect(a.body.properties.hs_additional_domains).toBe("y.com;z.com");
  });

  it("requires hs_timestamp on notes and creates inline associations", async () => {
    h = await start(
      transport,
      { records: { contacts: [{ id: "51", properties: { email: "a@b.com" } }] } },
      version,
    );
    const missing = await h.call("POST", "/crm/v3/objects/notes", { properties: { hs_note_body: "x" } });
    expect(missing.status).toBe(400);
    const note = await h.call("POST", "/crm/v3/objects/notes", {
      properties: { hs_timestamp: "1777629600000", hs_note_body: "<p>hi</p>" },
      associations: [
        { to: { id: "51" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 202 }] },
      ],
    });
    expect(note.status).toBe(201);
    expect(note.body.properties.hs_timestamp).toBe("2026-05-01T10:00:00.000Z");
    expect(h.emulator.associations("contacts", "51", "notes")).toEqual([
      { toId: note.body.id, typeIds: [201] },
    ]);
    const wrongType = await h.call("POST", "/crm/v3/objects/notes", {
      properties: { hs_timestamp: "1777629600000" },
      associations: [
        { to: { id: "51" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 }] },
      ],
    });
    expect(wrongType.status).toBe(400);
  });

  it("lists with limit ≤ 100 and an after cursor, with associations on request", async () => {
    const records = Array.from({ length: 12 }, (_, i) => ({
      id: String(100 + i),
      properties: { email: `u${i}@x.com` },
    }));
    h = await start(
      transport,
      {
        records: { contacts: records, companies: [{ id: "9", properties: { name: "Co" } }] },
        associations: [{ from: { type: "contacts", id: "100" }, to: { type: "companies", id: "9" } }],
      },
      version,
    );
    const first = await h.call("GET", "/crm/v3/objects/contacts?limit=5&associations=companies");
    expect(first.body.results.map((r: { id: string }) => r.id)).toEqual(["100", "101", "102", "103", "104"]);
    expect(first.body.results[0].associations).toEqual({
      companies: { results: [{ id: "9", type: "contact_to_company_unlabeled" }] },
    });
    expect(first.body.paging.next.after).toBe("5");
    const last = await h.call("GET", "/crm/v3/objects/contacts?limit=5&after=10");
    expect(last.body.results).toHaveLength(2);
    expect(last.body.paging).toBeUndefined();
    expect((await h.call("GET", "/crm/v3/objects/contacts?limit=101")).status).toBe(400);
  });

  it("records every request with credentials redacted", async () => {
    h = await start(transport, {}, version);
    await h.call("GET", "/crm/v3/objects/contacts?limit=1");
    expect(h.emulator.count({ method: "GET", path: h.path("/crm/v3/objects/contacts") })).toBe(1);
    const [entry] = h.emulator.requests;
    expect(entry).toMatchObject({
      method: "GET",
      path: h.path("/crm/v3/objects/contacts"),
      query: { limit: "1" },
      status: 200,
    });
    expect(JSON.stringify(h.emulator.requests)).not.toContain("test-token");
  });
});
