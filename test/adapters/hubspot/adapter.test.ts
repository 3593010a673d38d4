import { afterEach, describe, expect, it } from "vitest";
import {
  createHubSpotAdapter,
  type HubSpotAdapter,
  type HubSpotAdapterOptions,
} from "../../../src/adapters/hubspot/index.js";
import { isCrmError } from "../../../src/errors/index.js";
import { createRateLimiter, hubspotLimits } from "../../../src/ratelimit/index.js";
import {
  createHubSpotEmulator,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
} from "../../../src/testing/emulators/hubspot/index.js";
import { createFakeClock, type FakeClock } from "../../../src/testing/fake-clock.js";
import { settle } from "../../adapter/drive.js";

// Adapter behaviour beyond the conformance suite, against the emulator over real HTTP on 127.0.0.1.

let emulator: HubSpotEmulator | undefined;
let adapter: HubSpotAdapter | undefined;
afterEach(async () => {
  await adapter?.close();
  await emulator?.close();
  emulator = undefined;
  adapter = undefined;
});

async function start(
  emulatorOptions: HubSpotEmulatorOptions = {},
  adapterOptions: Partial<HubSpotAdapterOptions> = {},
): Promise<{ hubspot: HubSpotEmulator; crm: HubSpotAdapter }> {
  emulator = createHubSpotEmulator({ clock: createFakeClock(), ...emulatorOptions });
  const url = await emulator.listen();
  const credentials =
    adapterOptions.oauth === undefined && adapterOptions.tokenProvider === undefined
      ? { accessToken: "pat-na1-test-token" }
      : {};
  adapter = createHubSpotAdapter({ ...credentials, baseUrl: url, limiter: false, ...adapterOptions });
  return { hubspot: emulator, crm: adapter };
}

const contact = (id: string, email: string, extra: Record<string, string> = {}) => ({
  id,
  properties: { email, firstname: "X", ...extra },
});

describe("lookups that spare the search API", () => {
  it("finds a contact by email with one batch read by idProperty=email and no search", async () => {
    const { hubspot, crm } = await start({ records: { contacts: [contact("11", "ada@example.com")] } });
    const found = await crm.find({ type: "contact", field: "email", value: " ADA@example.com " });
    expect(found.map((r) => r.id)).toEqual(["11"]);
    expect(hubspot.count({ path: /\/search$/ })).toBe(0);
    expect(
      hubspot.requests.map((r) => [r.method, r.path, (r.body as { idProperty?: string })?.idProperty]),
    ).toEqual([["POST", "/crm/v3/objects/contacts/batch/read", "email"]]);
  });

  it("reads 250 emails with three batch reads of at most 100", async () => {
    const records = Array.from({ length: 250 }, (_, i) => contact(String(1000 + i), `p${i}@example.com`));
    const { hubspot, crm } = await start({ records: { contacts: records } });
    const emails = records.map((r) => r.properties.email.toUpperCase());
    const found = await crm.findMany("contact", "email", emails);
    expect([...found.values()].filter((list) => list.length === 1).length).toBe(250);
    const sizes = hubspot.requests.map((r) => (r.body as { inputs: unknown[] }).inputs.length);
    expect(sizes).toEqual([100, 100, 50]);
  });

  it("finds a company by a secondary domain in hs_additional_domains, and not by a domain that merely shares tokens", async () => {
    const { crm } = await start({
      records: {
        companies: [
          {
            id: "21",
            properties: {
              name: "Multi",
              domain: "multi.example",
              hs_additional_domains: "acme.example;other.example",
            },
          },
          { id: "22", properties: { name: "Lookalike", domain: "example.acme" } },
        ],
      },
    });
    const found = await crm.find({ type: "company", field: "domain", value: "ACME.example" });
    expect(found.map((r) => r.id)).toEqual(["21"]);
  });

  it("reads open deals through associations and reads by id, never through search", async () => {
    const { hubspot, crm } = await start({ searchLagMs: 60_000 });
    const person = await crm.create("contact", { properties: { email: "buyer@example.com" } });
    const open = await crm.create("deal", {
      properties: { name: "Open", pipeline_id: "Sales Pipeline", stage_id: "Qualified To Buy" },
      associations: [{ type: "contact", id: person.id }],
    });
    await crm.create("deal", {
      properties: { name: "Won", pipeline_id: "default", stage_id: "closedwon" },
      associations: [{ type: "contact", id: person.id }],
    });
    const found = await crm.findOpenDeals({ contactId: person.id, pipelineId: "default" });
    expect(found.map((d) => d.id)).toEqual([open.id]);
    expect(hubspot.count({ path: /\/search$/ })).toBe(0);
  });
});

describe("writes", () => {
  it("resolves pipeline and stage labels to internal ids before writing a deal", async () => {
    const { hubspot, crm } = await start();
    const deal = await crm.create("deal", {
      properties: { name: "Labelled", pipeline_id: "Sales Pipeline", stage_id: "Closed Won", amount: 10 },
    });
    expect(hubspot.get("deals", deal.id)?.properties).toMatchObject({
      pipeline: "default",
      dealstage: "closedwon",
      amount: "10",
    });
    expect(deal.properties).toMatchObject({ pipeline_id: "default", stage_id: "closedwon", amount: 10 });
  });

  it("writes an enum option given by its label as the option's value", async () => {
    const { hubspot, crm } = await start();
    const created = await crm.create("contact", {
      properties: { email: "lab@example.com", lifecycle_stage: "Lead" },
    });
    expect(hubspot.get("contacts", created.id)?.properties["lifecyclestage"]).toBe("lead");
  });

  it("rejects an option outside an enum's list as invalid_enum without sending the write", async () => {
    const { hubspot, crm } = await start();
    const error = await crm
      .create("contact", { properties: { email: "bad@example.com", lifecycle_stage: "royalty" } })
      .catch((e: unknown) => e);
    expect(isCrmError(error) && [error.reason, error.fields]).toEqual(["invalid_enum", ["lifecyclestage"]]);
    expect(hubspot.count({ method: "POST", path: "/crm/v3/objects/contacts" })).toBe(0);
  });

  it("turns a 409 on a unique-key upsert into an update of the existing record", async () => {
    const { hubspot, crm } = await start(
      {
        properties: {
          contacts: [{ name: "customer_number", label: "Customer number", hasUniqueValue: true }],
        },
        records: { contacts: [contact("31", "taken@example.com")] },
      },
      { uniqueKeys: { contact: ["customer_number"] } },
    );
    const result = await crm.upsert("contact", {
      key: { field: "customer_number", value: "C-7" },
      properties: { email: "taken@example.com", first_name: "Tess" },
    });
    expect([result.created, result.record.id]).toEqual([false, "31"]);
    expect(hubspot.get("contacts", "31")?.properties).toMatchObject({
      customer_number: "C-7",
      firstname: "Tess",
    });
    expect(hubspot.list("contacts")).toHaveLength(1);
  });

  it("retries the inputs one by one when HubSpot fails a whole email upsert batch", async () => {
    const { hubspot, crm } = await start();
    hubspot.faults.inject({
      match: { path: "/crm/v3/objects/contacts/batch/upsert" },
      response: "validation",
    });
    const results = await crm.batchUpsert("contact", [
      { key: { field: "email", value: "one@example.com" }, properties: { first_name: "One" } },
      { key: { field: "email", value: "two@example.com" }, properties: { first_name: "Two" } },
    ]);
    expect(results.map((r) => r.ok && r.value.created)).toEqual([true, true]);
    expect(hubspot.count({ path: "/crm/v3/objects/contacts/batch/upsert" })).toBe(3);
  });

  it("creates a note with its associations in the create call itself", async () => {
    const { hubspot, crm } = await start({ records: { contacts: [contact("41", "noted@example.com")] } });
    const note = await crm.createNote({
      body: "Hello",
      timestamp: "2026-01-02T10:00:00.000Z",
      associations: [{ type: "contact", id: "41" }],
    });
    expect(hubspot.associations("notes", note.id, "contacts")).toEqual([{ toId: "41", typeIds: [202] }]);
    expect(hubspot.count({ path: /associations/ })).toBe(0);
  });

  it("sends task priority and status in HubSpot's upper case", async () => {
    const { hubspot, crm } = await start({ records: { contacts: [contact("51", "t@example.com")] } });
    const task = await crm.createTask({
      subject: "Call",
      dueAt: "2026-01-05T09:00:00.000Z",
      priority: "high",
      associations: [{ type: "contact", id: "51" }],
    });
    expect(hubspot.get("tasks", task.id)?.properties).toMatchObject({
      hs_task_priority: "HIGH",
      hs_task_status: "NOT_STARTED",
      hs_task_subject: "Call",
    });
  });
});

describe("limits, retries and auth", () => {
  it("tags searches so only they count against the 5/s search policy, and learns the burst budget from headers", async () => {
    const limiter = createRateLimiter({ ...hubspotLimits({ tier: "professional" }) });
    try {
      const { crm } = await start({}, { limiter, accountId: "62515" });
      await crm.find({ type: "company", field: "domain", value: "none.example" });
      await crm.listOwners();
      const stats = (await limiter.stats("hubspot:62515"))._unsafeUnwrap();
      const used = Object.fromEntries(stats.policies.map((p) => [p.id, p.used]));
      // One search: the hs_additional_domains group rides along with the domain filter.
      expect(used["search"]).toBe(1);
      expect(used["ten-secondly"]).toBe(3);
    } finally {
      await limiter.close();
    }
  });

  it("waits out a TEN_SECONDLY_ROLLING 429 for the interval and then succeeds", async () => {
    const clock: FakeClock = createFakeClock();
    const { hubspot, crm } = await start({}, { clock, retry: { random: () => 0 } });
    hubspot.faults.inject({ match: { path: "/crm/v3/owners" }, response: "rateLimit" });
    const started = clock.now();
    const owners = await settle(crm.listOwners(), clock);
    expect(owners).toEqual([]);
    expect(clock.now() - started).toBeGreaterThanOrEqual(10_000);
    expect(hubspot.count({ path: "/crm/v3/owners", status: 429 })).toBe(1);
  });

  it("does not retry a DAILY 429 within the retry budget and reports quota_exhausted", async () => {
    const clock = createFakeClock();
    const { hubspot, crm } = await start({}, { clock });
    hubspot.faults.inject({ match: { path: "/crm/v3/owners" }, response: "dailyLimit" });
    const error = await settle(crm.listOwners(), clock).catch((e: unknown) => e);
    expect(isCrmError(error) && [error.reason, error.action]).toEqual(["quota_exhausted", "retry"]);
    // Active and archived owners are two reads; the one that hit the daily limit was not retried.
    expect([
      hubspot.count({ path: "/crm/v3/owners", status: 429 }),
      hubspot.count({ path: "/crm/v3/owners" }),
    ]).toEqual([1, 2]);
  });

  it("refreshes an OAuth token through /oauth/v3/token and replays the request after EXPIRED_AUTHENTICATION", async () => {
    const clock = createFakeClock();
    const { hubspot, crm } = await start(
      {
        clock,
        oauth: { clientId: "cid", clientSecret: "client-secret-value", refreshTokens: ["rt-1"] },
        tokenTtlMs: 60_000,
      },
      { oauth: { clientId: "cid", clientSecret: "client-secret-value", refreshToken: "rt-1" }, clock },
    );
    await crm.listPipelines("deal");
    hubspot.faults.inject({ match: { path: "/crm/v3/owners" }, response: "expired" });
    await settle(crm.listOwners(), clock);
    expect(hubspot.count({ path: "/oauth/v3/token" })).toBe(2);
    expect(JSON.stringify(hubspot.requests)).not.toContain("client-secret-value");
  });

  it("keeps the access token out of errors", async () => {
    const { crm } = await start(
      { tokens: [{ token: "pat-na1-the-right-one" }] },
      { accessToken: "pat-na1-a-wrong-token" },
    );
    const error = await crm.listOwners().catch((e: unknown) => e);
    expect(isCrmError(error) && error.reason).toBe("invalid_token");
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain("pat-na1-a-wrong-token");
  });

  it("throws at construction naming the option when credentials are missing or doubled", () => {
    expect(() => createHubSpotAdapter({})).toThrow(/accessToken/);
    expect(() =>
      createHubSpotAdapter({
        accessToken: "a",
        oauth: { clientId: "c", clientSecret: "s", refreshToken: "r" },
      }),
    ).toThrow(/exactly one/);
    expect(() => createHubSpotAdapter({ accessToken: "a", timeZone: "Mars/Olympus" })).toThrow(/timeZone/);
  });
});

describe("listChanged", () => {
  it("yields more than 10,000 changed records exactly once, oldest first, by splitting the search window", async () => {
    const base = Date.parse("2026-01-01T00:00:00.000Z");
    // Records share modification instants in threes, so a window boundary falls inside a group.
    const contacts = Array.from({ length: 10_250 }, (_, i) =>
      contact(String(100_000 + i), `c${i}@example.com`, {
        lastmodifieddate: new Date(base + Math.floor(i / 3) * 1000).toISOString(),
      }),
    );
    const { hubspot, crm } = await start({
      records: { contacts },
      limits: { searchPerSecond: 100_000, tenSecondly: 100_000 },
    });
    const seen: string[] = [];
    for await (const record of crm.listChanged("contact", { since: "2025-12-31T00:00:00.000Z" }))
      seen.push(record.id);
    // Modification times grow with the id, so oldest first means ascending ids.
    expect(seen).toEqual([...seen].sort((a, b) => Number(a) - Number(b)));
    expect(seen.length).toBe(10_250);
    expect(new Set(seen).size).toBe(10_250);
    const afters = hubspot.requests.map(
      (r) => Number((r.body as { after?: string }).after ?? 0) + (r.body as { limit: number }).limit,
    );
    expect(Math.max(...afters)).toBeLessThanOrEqual(10_000);
    // 50 pages fill the first window; the second opens at the last instant read and needs 2 more.
    expect(hubspot.count({ path: /\/search$/ })).toBe(52);
  });
});
