import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  createPipedriveAdapter,
  type PipedriveAdapterOptions,
} from "../../../src/adapters/pipedrive/index.js";
import { createSync } from "../../../src/executor/index.js";
import { createMemoryIdempotencyStore } from "../../../src/idempotency/index.js";
import { createMemoryJournal } from "../../../src/journal/index.js";
import { createPlanPolicy, formatPlan } from "../../../src/planner/index.js";
import { createRateLimiter, pipedriveLimits } from "../../../src/ratelimit/index.js";
import {
  createPipedriveEmulator,
  type PipedriveEmulatorOptions,
} from "../../../src/testing/emulators/pipedrive/index.js";
import { createFakeClock } from "../../../src/testing/fake-clock.js";

// End to end: createSync with the Pipedrive adapter against the emulator, a memory idempotency store and journal.
// The emulator's clock stands still (its search index lags until advanced); the sync runs on real time.

const LEAD = JSON.parse(readFileSync("test/fixtures/events/diagnostic-lead.json", "utf8")) as Record<
  string,
  unknown
>;
const AE = "ae@crmkit.test";

function setup(
  emulatorOptions: PipedriveEmulatorOptions = {},
  adapterOptions: Partial<PipedriveAdapterOptions> = {},
) {
  const emulatorClock = createFakeClock({ start: "2026-03-02T09:00:00.000Z" });
  const emulator = createPipedriveEmulator({
    clock: emulatorClock,
    users: [{ id: 1, name: "Ann Exec", email: AE }],
    // The emulator's clock stands still, so its 2-second windows would never slide: the adapter's own limiter
    // (on real time) is what paces the requests here.
    limits: { burst: 100_000, search: 100_000 },
    ...emulatorOptions,
  });
  const adapter = createPipedriveAdapter({
    apiToken: "e2e-token",
    apiDomain: emulator.baseUrl,
    fetch: emulator.fetch,
    limits: { plan: "growth" },
    ...adapterOptions,
  });
  const journal = createMemoryJournal();
  const sync = createSync({
    adapter,
    idempotency: createMemoryIdempotencyStore(),
    journal,
    policy: createPlanPolicy({ routing: [{ role: "account_executive", owner: AE }] }),
  });
  return { emulator, emulatorClock, adapter, journal, sync };
}

const leadFor = (n: number, domain: string) => ({
  ...LEAD,
  event_id: `evt_lead_${n}`,
  source_record_id: `form_${n}`,
  contact: { ...(LEAD["contact"] as object), email: `person${n}@${domain}` },
  company: { name: "Shared Co", domain },
});

describe("Pipedrive end to end with createSync", () => {
  it("applies the diagnostic lead: one person, organization, deal and note, linked and owned", async () => {
    const { emulator, adapter, sync, journal } = setup();
    const outcome = (await sync.run(LEAD))._unsafeUnwrap();
    expect(outcome.status).toBe("applied");
    expect(outcome.reviews).toEqual([]);
    const [person] = emulator.list("persons");
    const [org] = emulator.list("organizations");
    const [deal] = emulator.list("deals");
    expect(emulator.list("persons")).toHaveLength(1);
    expect(emulator.list("organizations")).toHaveLength(1);
    expect(emulator.list("deals")).toHaveLength(1);
    expect(emulator.list("notes")).toHaveLength(1);
    expect(person).toMatchObject({
      name: "Ops Lead",
      job_title: "Head of Operations",
      org_id: org?.["id"],
      owner_id: 1,
    });
    expect(person?.["emails"]).toEqual([{ value: "ops@example.com", primary: true, label: "work" }]);
    expect(org).toMatchObject({ name: "Example Inc", website: "https://example.com" });
    expect(deal).toMatchObject({
      person_id: person?.["id"],
      org_id: org?.["id"],
      owner_id: 1,
      status: "open",
    });
    expect(emulator.list("notes")[0]).toMatchObject({ person_id: person?.["id"] });
    expect((await journal.get("evt_01HZX3K9Q7M2"))._unsafeUnwrap()?.status).toBe("applied");
    // No request was refused, and every one was a v2 call except notes and users (v1 only).
    expect(emulator.requests.filter((r) => r.status !== 200)).toEqual([]);
    expect(
      emulator.requests
        .filter((r) => r.path.startsWith("/v1/"))
        .map((r) => r.path)
        .sort(),
    ).toEqual(["/v1/notes", "/v1/users"]);
    await adapter.close();
  });

  it("creates the organization first so the person's create carries org_id: four writes, no PATCH", async () => {
    const { emulator, adapter, sync } = setup();
    (await sync.run(LEAD))._unsafeUnwrap();
    const writes = emulator.requests.filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/v2/organizations",
      "POST /api/v2/persons",
      "POST /api/v2/deals",
      "POST /v1/notes",
    ]);
    const orgId = emulator.list("organizations")[0]?.["id"];
    expect(writes[1]?.body).toMatchObject({ org_id: orgId });
    await adapter.close();
  });

  it("shows in the dry run how each search was answered: list index or search, and what it cost", async () => {
    const { adapter, sync } = setup();
    const planned = (await sync.plan(LEAD))._unsafeUnwrap();
    expect(planned.plan.lookups).toEqual([
      {
        type: "contact",
        field: "email",
        keys: 1,
        via: "index",
        detail: "list index built now (1 list page, 10 tokens) instead of 1 × search (20 tokens)",
      },
      {
        type: "company",
        field: "domain",
        keys: 1,
        via: "index",
        detail: "list index built now (1 list page, 10 tokens) instead of 1 × search (20 tokens)",
      },
    ]);
    expect(formatPlan(planned.plan)).toContain(
      "Lookups:\n    contact by email (1 key) via index: list index built now (1 list page, 10 tokens)",
    );
    // Within the search lag the index answers without a call.
    const again = (await sync.plan(LEAD))._unsafeUnwrap();
    expect(again.plan.lookups?.map((l) => l.detail)).toEqual([
      "list index, already current (no call) instead of 1 × search (20 tokens)",
      "list index, already current (no call) instead of 1 × search (20 tokens)",
    ]);
    await adapter.close();

    const searching = setup({}, { listIndex: false });
    const viaSearch = (await searching.sync.plan(LEAD))._unsafeUnwrap();
    expect(viaSearch.plan.lookups).toEqual([
      {
        type: "contact",
        field: "email",
        keys: 1,
        via: "search",
        detail: "1 search (20 tokens): the list index is off (`listIndex: false`)",
      },
      {
        type: "company",
        field: "domain",
        keys: 1,
        via: "search",
        detail: "1 search (20 tokens): the list index is off (`listIndex: false`)",
      },
    ]);
    await searching.adapter.close();
  });

  it("answers a redelivery from the idempotency store with no call to Pipedrive", async () => {
    const { emulator, adapter, sync } = setup();
    (await sync.run(LEAD))._unsafeUnwrap();
    const before = emulator.requests.length;
    const again = (await sync.run({ ...LEAD, received_at: "2024-05-01T10:05:00.000Z" }))._unsafeUnwrap();
    expect(again.status).toBe("replayed");
    expect(again.apiCalls).toBe(0);
    expect(emulator.requests.length).toBe(before);
    expect(emulator.list("persons")).toHaveLength(1);
    await adapter.close();
  });

  it("creates one organization for 20 concurrent leads sharing a domain while search lags every write", async () => {
    // No client-side limiter: 20 leads' 40 searches would take 8 s of real time at 10 per 2 s.
    const { emulator, adapter, sync } = setup(
      { searchLagMs: 3_600_000 },
      { limits: undefined, limiter: false },
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) => sync.run(leadFor(n, "shared.example"))),
    );
    expect(results.filter((r) => r.isErr())).toEqual([]);
    expect(emulator.list("organizations")).toHaveLength(1);
    expect(emulator.list("persons")).toHaveLength(20);
    const orgId = emulator.list("organizations")[0]?.["id"];
    expect(new Set(emulator.list("persons").map((p) => p["org_id"]))).toEqual(new Set([orgId]));
    expect(emulator.count({ method: "POST", path: "/api/v2/organizations" })).toBe(1);
    await adapter.close();
  });

  it("keeps an event that the daily token budget cannot afford and applies it once the budget resets", async () => {
    const limiterClock = createFakeClock({ start: "2026-03-02T09:00:00.000Z" });
    const preset = pipedriveLimits({ plan: "growth" });
    // A day of 80 tokens: the first run's lookups (two list pages, 20) and metadata reads (60) fit, its writes do
    // not; on the next day the metadata is cached, so the lookups' refresh (20) and the writes (40) fit.
    const policies = preset.policies.map((p) => (p.id === "daily-tokens" ? { ...p, limit: 80 } : p));
    const limiter = createRateLimiter({ ...preset, policies, clock: limiterClock, headroom: 1 });
    const { emulator, emulatorClock, sync, journal } = setup(
      {},
      { limits: undefined, limiter, retry: { maxRetryTimeMs: 1_000 }, searchLagMs: 50 },
    );
    const failure = (await sync.run(LEAD))._unsafeUnwrapErr();
    expect([failure.action, failure.reason]).toEqual(["retry", "quota_exhausted"]);
    // The limiter refused before Pipedrive was asked: no 429 and nothing half-written beyond the budget.
    expect(emulator.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(emulator.tokensUsed()).toBe(80);
    expect(emulator.list("persons")).toHaveLength(0);
    const record = (await journal.get("evt_01HZX3K9Q7M2"))._unsafeUnwrap();
    expect(record?.eventId).toBe("evt_01HZX3K9Q7M2");
    // The next day, for Pipedrive too: its remaining-budget headers feed the limiter, so both must agree.
    await limiterClock.advance(24 * 3_600_000);
    await emulatorClock.advance(24 * 3_600_000);
    const second = await sync.run(LEAD);
    const outcome = second._unsafeUnwrap();
    expect(outcome.status).toBe("applied");
    expect(emulator.list("persons")).toHaveLength(1);
    expect(emulator.list("organizations")).toHaveLength(1);
    expect(emulator.list("deals")).toHaveLength(1);
    await limiter.close();
  });
});
