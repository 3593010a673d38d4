import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";
import { type Harness, start, TRANSPORTS } from "./helpers.js";

describe.each(TRANSPORTS)("Pipedrive emulator v1 endpoints over %s", (transport) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("creates notes with content and a link, in the v1 shape with v1 timestamps", async () => {
    const clock = createFakeClock({ start: "2026-02-02T09:30:00.000Z" });
    h = await start(transport, { clock });
    const deal = (await h.call("POST", "/api/v2/deals", { title: "Big deal" })).body.data;
    const res = await h.call("POST", "/v1/notes", {
      content: "<p>Hello</p>",
      deal_id: deal.id,
      pinned_to_deal_flag: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      content: "<p>Hello</p>",
      deal_id: deal.id,
      deal: { title: "Big deal" },
      person_id: null,
      pinned_to_deal_flag: true,
      active_flag: true,
      add_time: "2026-02-02 09:30:00",
      user_id: 1,
    });
    const form = await h.call(
      "POST",
      "/api/v1/notes",
      { content: "form note", deal_id: String(deal.id) },
      { form: true },
    );
    expect(form.body.data.deal_id).toBe(deal.id);
  });

  it("rejects notes without content or without any link with v1 error bodies", async () => {
    h = await start(transport);
    const noContent = await h.call("POST", "/v1/notes", { deal_id: 1 });
    expect(noContent.status).toBe(400);
    expect(noContent.body).toMatchObject({
      success: false,
      error: "Content is required.",
      errorCode: 400,
      data: null,
    });
    const noLink = await h.call("POST", "/v1/notes", { content: "orphan" });
    expect(noLink.status).toBe(400);
    const dangling = await h.call("POST", "/v1/notes", { content: "x", person_id: 999 });
    expect(dangling.status).toBe(400);
    expect(h.emulator.list("notes")).toHaveLength(0);
  });

  it("pages notes with start/limit and additional_data.pagination, filtered by person", async () => {
    h = await start(transport);
    const person = (await h.call("POST", "/api/v2/persons", { name: "P" })).body.data;
    const other = (await h.call("POST", "/api/v2/persons", { name: "Q" })).body.data;
    for (let i = 0; i < 5; i++) await h.call("POST", "/v1/notes", { content: `n${i}`, person_id: person.id });
    await h.call("POST", "/v1/notes", { content: "other", person_id: other.id });
    const first = await h.call("GET", `/v1/notes?person_id=${person.id}&limit=2`);
    expect(first.body.data.map((n: { content: string }) => n.content)).toEqual(["n0", "n1"]);
    expect(first.body.additional_data).toEqual({
      pagination: { start: 0, limit: 2, more_items_in_collection: true, next_start: 2 },
    });
    const last = await h.call("GET", `/v1/notes?person_id=${person.id}&start=4&limit=2`);
    expect(last.body.data.map((n: { content: string }) => n.content)).toEqual(["n4"]);
    expect(last.body.additional_data.pagination).toEqual({
      start: 4,
      limit: 2,
      more_items_in_collection: false,
    });
    const desc = await h.call("GET", `/v1/notes?person_id=${person.id}&sort=id%20DESC&limit=1`);
    expect(desc.body.data[0].content).toBe("n4");
  });

  it("lists users with active_flag and is_deleted, finds them by name or email", async () => {
    h = await start(transport, {
      users: [
        { id: 1, name: "Ada Admin", email: "ada@x.test", isAdmin: true },
        { id: 2, name: "Gone Gary", email: "gary@x.test", activeFlag: false, isDeleted: true },
      ],
    });
    const users = (await h.call("GET", "/v1/users")).body.data;
    expect(
      users.map((u: { id: number; active_flag: boolean; is_deleted: boolean }) => [
        u.id,
        u.active_flag,
        u.is_deleted,
      ]),
    ).toEqual([
      [1, true, false],
      [2, false, true],
    ]);
    const byName = await h.call("GET", "/v1/users/find?term=gary");
    expect(byName.body.data.map((u: { id: number }) => u.id)).toEqual([2]);
    const byEmail = await h.call("GET", "/v1/users/find?term=ADA%40x.test&search_by_email=1");
    expect(byEmail.body.data.map((u: { id: number }) => u.id)).toEqual([1]);
    expect((await h.call("GET", "/v1/users/find?term=nobody")).body.data).toBeNull();
    expect((await h.call("GET", "/v1/users/me")).body.data).toMatchObject({ id: 1, email: "ada@x.test" });
    const inactiveOwner = await h.call("POST", "/api/v2/persons", { name: "P", owner_id: 2 });
    expect(inactiveOwner.status).toBe(400);
  });

  it("creates, lists and deletes webhooks without echoing the Basic-auth password", async () => {
    h = await start(transport);
    const created = await h.call("POST", "/v1/webhooks", {
      subscription_url: "https://hooks.example/pd",
      event_action: "create",
      event_object: "person",
      name: "persons",
      http_auth_user: "hook",
      http_auth_password: "hook-pass-secret",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: "ok",
      success: true,
      data: { id: 1, event_action: "create", event_object: "person", version: "2.0", http_auth_user: "hook" },
    });
    expect(JSON.stringify(created.body)).not.toContain("hook-pass-secret");
    expect((await h.call("GET", "/v1/webhooks")).body.data).toHaveLength(1);
    const missing = await h.call("POST", "/v1/webhooks", { subscription_url: "https://x.example" });
    expect(missing.status).toBe(400);
    expect((await h.call("DELETE", "/v1/webhooks/1")).body).toEqual({ status: "ok", success: true });
    expect((await h.call("DELETE", "/v1/webhooks/1")).status).toBe(404);
    expect(h.emulator.state.webhooks).toHaveLength(0);
  });

  it("answers 410 for the v1 endpoints that went out of support (emulator choice)", async () => {
    h = await start(transport);
    for (const path of [
      "/v1/persons",
      "/v1/deals/1",
      "/v1/persons/search?term=ab",
      "/api/v1/organizations",
      "/v1/itemSearch",
    ]) {
      const res = await h.call("GET", path);
      expect(res.status).toBe(410);
      expect(res.body).toMatchObject({ success: false, errorCode: 410 });
    }
    expect((await h.call("GET", "/v1/persons", undefined, { auth: null })).status).toBe(401);
  });
});
