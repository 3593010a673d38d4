import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";
import { type Harness, start, TRANSPORTS } from "./helpers.js";

const ENVELOPE_INFO = "Please check developers.pipedrive.com for more information about Pipedrive API.";

describe.each(TRANSPORTS)("Pipedrive emulator v2 entities over %s", (transport) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("creates a person with typed values, RFC3339 Z timestamps and primary email defaults", async () => {
    const clock = createFakeClock({ start: "2026-03-01T10:00:00.000Z" });
    h = await start(transport, { clock });
    const res = await h.call("POST", "/api/v2/persons", {
      name: "Jane Doe",
      emails: [{ value: "jane@example.com" }, { value: "j@home.example", label: "home" }],
      phones: [{ value: "+15550100", primary: true, label: "mobile" }],
    });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data).toMatchObject({
      id: 1001,
      name: "Jane Doe",
      first_name: "Jane",
      last_name: "Doe",
      owner_id: 1,
      org_id: null,
      add_time: "2026-03-01T10:00:00Z",
      update_time: "2026-03-01T10:00:00Z",
      is_deleted: false,
      emails: [
        { value: "jane@example.com", primary: true, label: "work" },
        { value: "j@home.example", primary: false, label: "home" },
      ],
      phones: [{ value: "+15550100", primary: true, label: "mobile" }],
      custom_fields: {},
    });
  });

  it("allows exact duplicates: two identical creates make two persons", async () => {
    h = await start(transport);
    const body = { name: "Dup", emails: [{ value: "dup@example.com" }] };
    const a = await h.call("POST", "/api/v2/persons", body);
    const b = await h.call("POST", "/api/v2/persons", body);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.data.id).not.toBe(b.body.data.id);
    expect(h.emulator.list("persons")).toHaveLength(2);
  });

  it("answers 400 in the documented envelope for a missing required field and unknown fields", async () => {
    h = await start(transport);
    const missing = await h.call("POST", "/api/v2/deals", { value: 10 });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      success: false,
      error: '"title" is required.',
      error_info: ENVELOPE_INFO,
      data: null,
      additional_data: null,
    });
    const unknown = await h.call("POST", "/api/v2/organizations", { name: "Acme", email: "x" });
    expect(unknown.body.error).toBe('"email" is not allowed');
    const typed = await h.call("POST", "/api/v2/organizations", { name: "Acme", employee_count: "10" });
    expect(typed.body.error).toBe('"employee_count" must be an integer');
    const dangling = await h.call("POST", "/api/v2/persons", { name: "X", org_id: 999 });
    expect(dangling.status).toBe(400);
    expect(h.emulator.list("persons")).toHaveLength(0);
  });

  it("answers 404 Entity was not found for missing and deleted records", async () => {
    h = await start(transport);
    const missing = await h.call("GET", "/api/v2/persons/4242");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      success: false,
      error: "Entity was not found",
      error_info: "Object was not found.",
      data: null,
      additional_data: null,
    });
    const org = await h.call("POST", "/api/v2/organizations", { name: "Acme" });
    const deleted = await h.call("DELETE", `/api/v2/organizations/${org.body.data.id}`);
    expect(deleted.body).toEqual({ success: true, data: { id: org.body.data.id } });
    expect((await h.call("GET", `/api/v2/organizations/${org.body.data.id}`)).status).toBe(404);
    expect(h.emulator.get("organizations", org.body.data.id)?.["is_deleted"]).toBe(true);
  });

  it("patches partially, clears with null and links persons to organizations", async () => {
    const clock = createFakeClock({ start: "2026-03-01T10:00:00.000Z" });
    h = await start(transport, { clock });
    const org = (await h.call("POST", "/api/v2/organizations", { name: "Acme", website: "acme.test" })).body
      .data;
    const person = (await h.call("POST", "/api/v2/persons", { name: "Ann", job_title: "CTO" })).body.data;
    await clock.advance(5_000);
    const patched = await h.call("PATCH", `/api/v2/persons/${person.id}`, {
      org_id: org.id,
      job_title: null,
    });
    expect(patched.body.data).toMatchObject({
      name: "Ann",
      org_id: org.id,
      job_title: null,
      add_time: "2026-03-01T10:00:00Z",
      update_time: "2026-03-01T10:00:05Z",
    });
    const list = await h.call("GET", `/api/v2/persons?org_id=${org.id}`);
    expect(list.body.data.map((p: { id: number }) => p.id)).toEqual([person.id]);
  });

  it("puts new deals in the first stage, derives the pipeline from the stage and stamps status times", async () => {
    const clock = createFakeClock({ start: "2026-03-01T10:00:00.000Z" });
    h = await start(transport, {
      clock,
      pipelines: [
        {
          id: 1,
          name: "Sales",
          stages: [
            { id: 10, name: "New" },
            { id: 11, name: "Won-ish" },
          ],
        },
        { id: 2, name: "Renewals", stages: [{ id: 20, name: "Due" }] },
      ],
    });
    const deal = (await h.call("POST", "/api/v2/deals", { title: "D1", value: 120.5 })).body.data;
    expect(deal).toMatchObject({
      pipeline_id: 1,
      stage_id: 10,
      status: "open",
      value: 120.5,
      currency: "USD",
    });
    const moved = (await h.call("PATCH", `/api/v2/deals/${deal.id}`, { stage_id: 20 })).body.data;
    expect(moved).toMatchObject({ pipeline_id: 2, stage_id: 20, stage_change_time: "2026-03-01T10:00:00Z" });
    const mismatch = await h.call("PATCH", `/api/v2/deals/${deal.id}`, { stage_id: 10, pipeline_id: 2 });
    expect(mismatch.status).toBe(400);
    const won = (await h.call("PATCH", `/api/v2/deals/${deal.id}`, { status: "won" })).body.data;
    expect(won).toMatchObject({
      status: "won",
      won_time: "2026-03-01T10:00:00Z",
      close_time: "2026-03-01T10:00:00Z",
    });
    const bad = await h.call("PATCH", `/api/v2/deals/${deal.id}`, { status: "closed" });
    expect(bad.body.error).toBe('"status" must be one of [open, won, lost]');
  });

  it("filters deals by person, pipeline and a comma list of statuses, excluding deleted ones by default", async () => {
    h = await start(transport);
    const person = (await h.call("POST", "/api/v2/persons", { name: "P" })).body.data;
    const open = (await h.call("POST", "/api/v2/deals", { title: "open", person_id: person.id })).body.data;
    const lost = (
      await h.call("POST", "/api/v2/deals", { title: "lost", person_id: person.id, status: "lost" })
    ).body.data;
    const other = (await h.call("POST", "/api/v2/deals", { title: "other" })).body.data;
    const gone = (await h.call("POST", "/api/v2/deals", { title: "gone", person_id: person.id })).body.data;
    await h.call("DELETE", `/api/v2/deals/${gone.id}`);
    const ids = async (query: string) =>
      (await h.call("GET", `/api/v2/deals?${query}`)).body.data.map((d: { id: number }) => d.id);
    expect(await ids(`person_id=${person.id}&pipeline_id=1&status=open`)).toEqual([open.id]);
    expect(await ids(`person_id=${person.id}&status=open,lost`)).toEqual([open.id, lost.id]);
    expect(await ids("")).toEqual([open.id, lost.id, other.id]);
    expect(await ids("status=deleted")).toEqual([gone.id]);
    expect(await ids(`ids=${other.id},${open.id}&sort_direction=desc`)).toEqual([other.id, open.id]);
    expect((await h.call("GET", "/api/v2/deals?status=closed")).status).toBe(400);
  });

  it("pages lists with an opaque cursor that survives inserts between pages", async () => {
    h = await start(transport);
    for (let i = 0; i < 5; i++) await h.call("POST", "/api/v2/organizations", { name: `Org ${i}` });
    const first = await h.call("GET", "/api/v2/organizations?limit=2");
    expect(first.body.data.map((o: { name: string }) => o.name)).toEqual(["Org 0", "Org 1"]);
    const cursor = first.body.additional_data.next_cursor as string;
    expect(JSON.parse(Buffer.from(cursor, "base64url").toString())).toMatchObject({ field: "id", id: 1002 });
    await h.call("POST", "/api/v2/organizations", { name: "Org late" });
    const second = await h.call("GET", `/api/v2/organizations?limit=2&cursor=${cursor}`);
    expect(second.body.data.map((o: { name: string }) => o.name)).toEqual(["Org 2", "Org 3"]);
    const third = await h.call(
      "GET",
      `/api/v2/organizations?limit=2&cursor=${second.body.additional_data.next_cursor}`,
    );
    expect(third.body.data.map((o: { name: string }) => o.name)).toEqual(["Org 4", "Org late"]);
    expect(third.body.additional_data.next_cursor).toBeNull();
    expect((await h.call("GET", "/api/v2/organizations?limit=501")).status).toBe(400);
    expect((await h.call("GET", "/api/v2/organizations?cursor=%%%")).status).toBe(400);
  });

  it("creates activities linked to deals and derives the person from the primary participant", async () => {
    h = await start(transport);
    const person = (await h.call("POST", "/api/v2/persons", { name: "P" })).body.data;
    const deal = (await h.call("POST", "/api/v2/deals", { title: "D" })).body.data;
    const created = await h.call("POST", "/api/v2/activities", {
      type: "call",
      deal_id: deal.id,
      due_date: "2026-05-01",
      due_time: "14:00",
      participants: [{ person_id: person.id, primary: true }],
    });
    expect(created.body.data).toMatchObject({
      subject: "Call",
      type: "call",
      deal_id: deal.id,
      person_id: person.id,
      done: false,
      owner_id: 1,
      creator_user_id: 1,
    });
    const done = await h.call("PATCH", `/api/v2/activities/${created.body.data.id}`, { done: true });
    expect(done.body.data.done).toBe(true);
    expect(done.body.data.marked_as_done_time).toMatch(/Z$/);
    const list = await h.call("GET", `/api/v2/activities?deal_id=${deal.id}&done=true`);
    expect(list.body.data).toHaveLength(1);
  });

  it("lists pipelines and the stages of one pipeline", async () => {
    h = await start(transport);
    const pipelines = await h.call("GET", "/api/v2/pipelines");
    expect(pipelines.body.data[0]).toMatchObject({
      id: 1,
      name: "Sales pipeline",
      order_nr: 1,
      is_deleted: false,
    });
    const stages = await h.call("GET", "/api/v2/stages?pipeline_id=1");
    expect(stages.body.data.map((s: { name: string }) => s.name)).toEqual([
      "Qualified",
      "Contact Made",
      "Demo Scheduled",
      "Proposal Made",
      "Negotiations Started",
    ]);
    expect(stages.body.data[0]).toMatchObject({ pipeline_id: 1, order_nr: 1, deal_probability: 100 });
    expect((await h.call("GET", "/api/v2/stages/3")).body.data.name).toBe("Demo Scheduled");
  });
});
