import { describe, expect, it } from "vitest";
import { createOAuthTokenProvider } from "../../../src/adapter/index.js";
import {
  createPipedriveAdapter,
  type PipedriveAdapterOptions,
} from "../../../src/adapters/pipedrive/index.js";
import { createRateLimiter, pipedriveLimits } from "../../../src/ratelimit/index.js";
import {
  createPipedriveEmulator,
  type PipedriveEmulatorOptions,
} from "../../../src/testing/emulators/pipedrive/index.js";
import { createFakeClock } from "../../../src/testing/fake-clock.js";

function setup(
  emulatorOptions: PipedriveEmulatorOptions = {},
  adapterOptions: Partial<PipedriveAdapterOptions> = {},
) {
  const clock = createFakeClock({ start: "2026-03-02T09:00:00.000Z" });
  const emulator = createPipedriveEmulator({
    clock,
    limits: { burst: 10_000, search: 10_000 },
    ...emulatorOptions,
  });
  const adapter = createPipedriveAdapter({
    apiToken: "token-1",
    apiDomain: emulator.baseUrl,
    fetch: emulator.fetch,
    limiter: false,
    ...adapterOptions,
  });
  return { clock, emulator, adapter };
}

describe("createPipedriveAdapter options", () => {
  it("throws at construction naming the option that is wrong", () => {
    expect(() => createPipedriveAdapter({} as PipedriveAdapterOptions)).toThrow(/option `apiToken`/);
    expect(() => createPipedriveAdapter({ apiToken: "t", companyDomain: "acme.pipedrive.com" })).toThrow(
      /option `companyDomain`/,
    );
    expect(() =>
      createPipedriveAdapter({ apiToken: "t", companyDomain: "a", apiDomain: "https://x" }),
    ).toThrow(/companyDomain/);
    expect(() =>
      createPipedriveAdapter({
        apiToken: "t",
        fieldMap: { contact: { lead_source: "dcf558aac1ae4e8c4f849ba5e668430d8df9be12" } },
      }),
    ).toThrow(/option `fieldMap.contact.lead_source` is a 40-character hash key/);
    expect(() => createPipedriveAdapter({ apiToken: "t", domainStrategy: "guess" as never })).toThrow(
      /option `domainStrategy`/,
    );
  });

  it("declares no upsert, batch reads only (findMany), activity tickets, company-first writes, its search lag and its own retries", () => {
    const { adapter } = setup({}, { searchLagMs: 4_000 });
    expect(adapter.capabilities).toEqual({
      objects: ["contact", "company", "deal", "note", "task"],
      upsertKeys: {},
      batchSizes: { read: 50 },
      tickets: "activity",
      recordOrder: ["company", "contact", "deal", "ticket"],
      searchLagMs: 4_000,
      retriesTransientErrors: true,
    });
    expect(setup({}, { retry: false }).adapter.capabilities.retriesTransientErrors).toBe(false);
    expect(adapter.upsert).toBeUndefined();
    expect(adapter.batchCreate).toBeUndefined();
    expect(typeof adapter.findMany).toBe("function");
  });

  it("sends the API token in x-api-token to https://<companyDomain>.pipedrive.com", async () => {
    const emulator = createPipedriveEmulator();
    const adapter = createPipedriveAdapter({
      apiToken: "token-x",
      companyDomain: "acme",
      fetch: emulator.fetch,
      limiter: false,
    });
    await adapter.listOwners();
    const [request] = emulator.requests;
    expect(request?.url).toBe("/v1/users");
    expect(request?.headers["x-api-token"]).toBe("[REDACTED]");
  });
});

describe("find-or-create without upsert", () => {
  it("finds a person it created a moment ago although Pipedrive's search has not indexed it yet", async () => {
    const { emulator, adapter } = setup({ searchLagMs: 60_000 }, { listIndex: false });
    const created = await adapter.create("contact", {
      properties: { email: "Ada@Example.com", first_name: "Ada" },
    });
    const found = await adapter.find({ type: "contact", field: "email", value: "ada@example.com" });
    expect(found.map((r) => r.id)).toEqual([created.id]);
    expect(emulator.count({ method: "GET", path: "/api/v2/persons/search" })).toBe(1);
  });

  it("turns concurrent creates of one email into one person updated by the later calls", async () => {
    const { emulator, adapter } = setup({ searchLagMs: 60_000 });
    const results = await Promise.all(
      ["A", "B", "C", "D", "E"].map((name) =>
        adapter.create("contact", { properties: { email: "ops@example.com", first_name: name } }),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(emulator.list("persons")).toHaveLength(1);
    expect(emulator.count({ method: "POST", path: "/api/v2/persons" })).toBe(1);
  });

  it("creates a second person with the same email when asked twice in a row (Pipedrive allows duplicates)", async () => {
    const { emulator, adapter } = setup();
    await adapter.create("contact", { properties: { email: "dup@example.com" } });
    await adapter.create("contact", { properties: { email: "dup@example.com" } });
    expect(emulator.list("persons")).toHaveLength(2);
  });

  it("matches organizations by website through a name search when the account has no domain field", async () => {
    const { emulator, adapter } = setup(
      {
        records: {
          organizations: [
            { id: 7, fields: { name: "Acme Inc", website: "https://www.acme.com/about" } },
            { id: 8, fields: { name: "Acme Rockets", website: "https://acme-rockets.com" } },
          ],
        },
      },
      { listIndex: false },
    );
    const found = await adapter.find({ type: "company", field: "domain", value: "ACME.com" });
    expect(found.map((r) => [r.id, r.properties["domain"]])).toEqual([["7", "acme.com"]]);
    const search = emulator.requests.find((r) => r.path === "/api/v2/organizations/search");
    expect(search?.query).toMatchObject({ term: "acme", fields: "name" });
  });

  it("matches organizations by an exact search on a custom Domain field when the account has one", async () => {
    const { emulator, adapter } = setup(
      { customFields: { organization: [{ name: "Domain" }] } },
      { listIndex: false },
    );
    const created = await adapter.create("company", {
      properties: { name: "Globex", domain: "globex.example" },
    });
    const key = emulator.state.fields.organization.find((f) => f.name === "Domain")?.key as string;
    expect(emulator.get("organizations", Number(created.id))?.["custom_fields"]).toMatchObject({
      [key]: "globex.example",
    });
    expect(created.properties["domain"]).toBe("globex.example");
    const found = await adapter.find({ type: "company", field: "domain", value: "globex.example" });
    expect(found.map((r) => r.id)).toEqual([created.id]);
    const search = emulator.requests.find((r) => r.path === "/api/v2/organizations/search");
    expect(search?.query).toMatchObject({
      term: "globex.example",
      fields: "custom_fields",
      exact_match: "true",
    });
  });
});

describe("custom fields by label", () => {
  it("writes a labelled enum field under its 40-hex key with the option id and reads the label back", async () => {
    const { emulator, adapter } = setup(
      {
        customFields: {
          person: [{ name: "Lead source", type: "enum", options: [{ label: "Web" }, { label: "Referral" }] }],
        },
      },
      { fieldMap: { contact: { lead_source: "Lead source" } } },
    );
    const created = await adapter.create("contact", {
      properties: { email: "x@example.com", lead_source: "referral" },
    });
    const field = emulator.state.fields.person.find((f) => f.name === "Lead source");
    const post = emulator.requests.find((r) => r.method === "POST");
    expect((post?.body as { custom_fields: Record<string, unknown> } | undefined)?.custom_fields).toEqual({
      [field?.key as string]: field?.options.find((o) => o.label === "Referral")?.id,
    });
    expect(created.properties["lead_source"]).toBe("Referral");
  });

  it("rejects an unknown option as invalid_enum before writing, without re-reading a field list younger than a minute", async () => {
    const { clock, emulator, adapter } = setup(
      { customFields: { person: [{ name: "Lead source", type: "enum", options: [{ label: "Web" }] }] } },
      {
        fieldMap: { contact: { lead_source: "Lead source" } },
        clock: createFakeClock({ start: "2026-03-02T09:00:00.000Z" }),
      },
    );
    void clock;
    await expect(
      adapter.create("contact", { properties: { email: "y@example.com", lead_source: "Carrier pigeon" } }),
    ).rejects.toMatchObject({ reason: "invalid_enum", action: "review", fields: ["lead_source"] });
    expect(emulator.count({ method: "GET", path: "/api/v2/personFields" })).toBe(1);
    expect(emulator.count({ method: "POST" })).toBe(0);
  });

  it("finds an option added in Pipedrive after the field list was cached", async () => {
    const adapterClock = createFakeClock({ start: "2026-03-02T09:00:00.000Z" });
    const { emulator, adapter } = setup(
      { customFields: { person: [{ name: "Lead source", type: "enum", options: [{ label: "Web" }] }] } },
      { fieldMap: { contact: { lead_source: "Lead source" } }, clock: adapterClock },
    );
    await adapter.describeFields("contact");
    emulator.state.fields.person
      .find((f) => f.name === "Lead source")
      ?.options.push({ id: 555, label: "Partner" });
    await adapterClock.advance(61_000);
    const created = await adapter.create("contact", {
      properties: { email: "z@example.com", lead_source: "Partner" },
    });
    expect(created.properties["lead_source"]).toBe("Partner");
    expect(emulator.count({ method: "GET", path: "/api/v2/personFields" })).toBe(2);
  });

  it("drops lifecycle_stage, which Pipedrive has no field for, unless fieldMap maps it", async () => {
    const { emulator, adapter } = setup();
    await adapter.create("contact", { properties: { email: "l@example.com", lifecycle_stage: "lead" } });
    expect(emulator.list("persons")).toHaveLength(1);
  });
});

describe("pipelines, deals and activities", () => {
  it("adds won and lost stages to every pipeline and writes them as the deal status", async () => {
    const { emulator, adapter } = setup({
      pipelines: [
        {
          id: 3,
          name: "Sales",
          stages: [
            { id: 31, name: "New" },
            { id: 32, name: "Demo" },
          ],
        },
      ],
    });
    const [pipeline] = await adapter.listPipelines("deal");
    expect(pipeline?.stages.map((s) => [s.id, s.label, s.order, s.closed, s.won])).toEqual([
      ["31", "New", 0, false, false],
      ["32", "Demo", 1, false, false],
      ["3:won", "Won", 2, true, true],
      ["3:lost", "Lost", 3, true, false],
    ]);
    expect(await adapter.listPipelines("ticket")).toEqual([]);
    const deal = await adapter.create("deal", {
      properties: { name: "D", pipeline_id: "Sales", stage_id: "Demo" },
    });
    const won = await adapter.update("deal", { id: deal.id, properties: { stage_id: "Won" } });
    expect(emulator.get("deals", Number(deal.id))).toMatchObject({
      status: "won",
      stage_id: 32,
      pipeline_id: 3,
    });
    expect(won.properties["stage_id"]).toBe("3:won");
  });

  it("writes a create's links in its own body where it holds the key, and reports every link it made", async () => {
    const { emulator, adapter } = setup();
    const person = await adapter.create("contact", { properties: { email: "p@links.example" } });
    const org = await adapter.create("company", {
      properties: { name: "Links", domain: "links.example" },
      associations: [{ type: "contact", id: person.id }],
    });
    const deal = await adapter.create("deal", {
      properties: { name: "Linked deal" },
      associations: [
        { type: "contact", id: person.id },
        { type: "company", id: org.id },
      ],
    });
    // The deal holds both keys: one POST, no PATCH. The person holds the organization key: one PATCH of the person.
    expect(emulator.requests.at(-1)?.body).toMatchObject({
      title: "Linked deal",
      person_id: Number(person.id),
      org_id: Number(org.id),
    });
    expect(emulator.count({ method: "PATCH", path: "/api/v2/deals" })).toBe(0);
    expect(emulator.count({ method: "PATCH", path: "/api/v2/persons" })).toBe(1);
    expect(emulator.get("persons", Number(person.id))?.["org_id"]).toBe(Number(org.id));
    expect(org.associations?.contact).toEqual([person.id]);
    expect(deal.associations).toMatchObject({ contact: [person.id], company: [org.id] });
  });

  it("creates a task as an activity of the configured type with due date, time and links", async () => {
    const { emulator, adapter } = setup(
      { records: { persons: [{ id: 5, fields: { name: "P" } }] } },
      { taskType: "call" },
    );
    const task = await adapter.createTask({
      subject: "Call back",
      body: "About onboarding",
      dueAt: "2026-01-05T09:30:00.000Z",
      priority: "high",
      associations: [{ type: "contact", id: "5" }],
    });
    expect(emulator.get("activities", Number(task.id))).toMatchObject({
      subject: "Call back",
      note: "About onboarding",
      type: "call",
      due_date: "2026-01-05",
      due_time: "09:30",
      person_id: 5,
      done: false,
    });
    expect(task.properties["due_at"]).toBe("2026-01-05T09:30:00.000Z");
  });
});

describe("costs and limits", () => {
  it("charges the limiter's daily budget exactly the tokens Pipedrive charged", async () => {
    const clock = createFakeClock({ start: "2026-03-02T09:00:00.000Z" });
    const emulator = createPipedriveEmulator({ clock });
    const limiter = createRateLimiter({ ...pipedriveLimits({ plan: "growth" }), clock });
    const adapter = createPipedriveAdapter({
      apiToken: "t",
      apiDomain: emulator.baseUrl,
      fetch: emulator.fetch,
      limiter,
      companyId: "c1",
    });
    const person = await adapter.create("contact", { properties: { email: "c@example.com" } });
    await adapter.find({ type: "contact", field: "email", value: "c@example.com" });
    await adapter.createNote({
      body: "n",
      timestamp: "2026-03-02T09:00:00.000Z",
      associations: [{ type: "contact", id: person.id }],
    });
    await adapter.listOwners();
    await adapter.listPipelines("deal");
    const stats = await limiter.stats("pipedrive:c1");
    const daily = stats._unsafeUnwrap().policies.find((p) => p.id === "daily-tokens");
    // Field list, create, the lookup (one list page of the index, not a 20-token search), the read by id,
    // the note, users, pipelines and stages.
    expect(emulator.tokensUsed()).toBe(10 + 5 + 10 + 1 + 10 + 20 + 5 + 5);
    expect(daily?.used).toBe(emulator.tokensUsed());
    await limiter.close();
  });
});

describe("OAuth", () => {
  it("calls the api_domain of the token response, not the configured host", async () => {
    const emulator = createPipedriveEmulator({
      baseUrl: "https://emulated-company.pipedrive.com",
      oauth: {
        clientId: "cid",
        clientSecret: "csecret",
        refreshTokens: ["r1"],
        apiDomain: "https://emulated-company.pipedrive.com",
      },
    });
    const tokens = createOAuthTokenProvider({
      provider: "pipedrive",
      tokenUrl: "https://emulated-company.pipedrive.com/oauth/token",
      clientAuth: "basic",
      clientId: "cid",
      clientSecret: "csecret",
      refreshToken: "r1",
      fetch: emulator.fetch,
    });
    const adapter = createPipedriveAdapter({ tokenProvider: tokens, fetch: emulator.fetch, limiter: false });
    const owners = await adapter.listOwners();
    expect(owners.length).toBeGreaterThan(0);
    const users = emulator.requests.find((r) => r.path === "/v1/users");
    expect(users?.headers["authorization"]).toBe("[REDACTED]");
  });
});

describe("listChanged", () => {
  it("yields records updated since an instant, oldest first, across cursor pages", async () => {
    const { clock, emulator, adapter } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      await clock.advance(1_000);
      ids.push((await adapter.create("company", { properties: { name: `Org ${i}` } })).id);
    }
    const seen: string[] = [];
    for await (const record of adapter.listChanged("company", { since: "2026-03-02T09:00:01.500Z" }))
      seen.push(record.id);
    expect(seen).toEqual(ids);
    const list = emulator.requests.find((r) => r.path === "/api/v2/organizations" && r.method === "GET");
    expect(list?.query).toMatchObject({
      updated_since: "2026-03-02T09:00:01Z",
      sort_by: "update_time",
      sort_direction: "asc",
    });
  });
});
