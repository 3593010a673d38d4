import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { CrmAdapter } from "../../../src/adapter/index.js";
import {
  createHubSpotAdapter,
  type HubSpotAdapter,
  type HubSpotAdapterOptions,
} from "../../../src/adapters/hubspot/index.js";
import type { CrmError } from "../../../src/errors/index.js";
import { createSync, type SyncOptions } from "../../../src/executor/index.js";
import { createMemoryIdempotencyStore } from "../../../src/idempotency/index.js";
import { createMemoryJournal } from "../../../src/journal/index.js";
import { createPlanPolicy } from "../../../src/planner/index.js";
import { createRateLimiter, hubspotLimits } from "../../../src/ratelimit/index.js";
import {
  createHubSpotEmulator,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
} from "../../../src/testing/emulators/hubspot/index.js";
import { createFakeClock, type FakeClock } from "../../../src/testing/fake-clock.js";

// createSync + the HubSpot adapter + the HubSpot emulator over real HTTP on 127.0.0.1. Every component shares one
// fake clock; `drive` moves it to the next timer only while no HTTP request is in flight and the process is idle,
// so limiter waits, backoffs and day roll-overs take no real time and happen in a deterministic order.

const DIAGNOSTIC_LEAD = JSON.parse(
  readFileSync(new URL("../../fixtures/events/diagnostic-lead.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
const START = "2026-03-02T09:00:00.000Z";
const TOKEN = "pat-na1-e2e-token";
const AE = { id: "101", email: "ae@crmkit.test", firstName: "Ann", lastName: "Exec" };
const policy = createPlanPolicy({ routing: [{ role: "account_executive", owner: AE.email }] });

/** The diagnostic lead as new lead `n`: its own event ids, email and company domain. */
function lead(n: number): Record<string, unknown> {
  const domain = `company${n}.test`;
  return {
    ...DIAGNOSTIC_LEAD,
    event_id: `evt_e2e_${n}`,
    source_record_id: `form_${n}`,
    correlation_id: `req_${n}`,
    contact: { email: `lead${n}@${domain}`, first_name: "Lead", last_name: String(n) },
    company: { name: `Company ${domain}`, domain },
  };
}

/** The shared fake clock; `fake` kept as an alias so the driver reads as "the fake clock". */
interface DrivenClock extends FakeClock {
  readonly fake: FakeClock;
}

function createDrivenClock(): DrivenClock {
  const fake = createFakeClock({ start: START });
  return Object.assign(fake, { fake });
}

const realTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

interface World {
  readonly clock: DrivenClock;
  readonly emulator: HubSpotEmulator;
  /** An adapter on the emulator, sharing the clock; a private-app token and the Professional preset by default. */
  adapter(options?: Partial<HubSpotAdapterOptions>): HubSpotAdapter;
  sync(adapter: CrmAdapter, options?: Partial<SyncOptions>): ReturnType<typeof createSync>;
  /** Awaits `work`, moving the clock to the next timer whenever nothing is in flight. */
  drive<T>(work: PromiseLike<T>, maxSimulatedMs?: number): Promise<T>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function createWorld(options: HubSpotEmulatorOptions = {}): Promise<World> {
  const clock = createDrivenClock();
  const emulator = createHubSpotEmulator({
    owners: [AE],
    tokens: [{ token: TOKEN }],
    ...options,
    clock,
  });
  const url = await emulator.listen();
  cleanups.push(() => emulator.close());
  // Counts requests in flight and reads each body before resolving, so "nothing in flight" means the responses
  // are in the caller's hands.
  let inFlight = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    inFlight++;
    try {
      const response = await fetch(input, init);
      const body = await response.arrayBuffer();
      return new Response(body.byteLength === 0 ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      inFlight--;
    }
  };
  return {
    clock,
    emulator,
    adapter(overrides = {}) {
      const credentials =
        overrides.oauth === undefined && overrides.tokenProvider === undefined ? { accessToken: TOKEN } : {};
      const limits = overrides.limiter === undefined ? { limits: { tier: "professional" as const } } : {};
      const adapter = createHubSpotAdapter({
        ...credentials,
        ...limits,
        baseUrl: url,
        fetch: countingFetch,
        clock,
        accountId: "62515",
        ...overrides,
      });
      cleanups.push(() => adapter.close());
      return adapter;
    },
    sync: (adapter, overrides = {}) =>
      createSync({
        adapter,
        idempotency: createMemoryIdempotencyStore({ clock }),
        journal: createMemoryJournal({ clock }),
        policy,
        clock,
        ...overrides,
      }),
    async drive(work, maxSimulatedMs = 48 * 3_600_000) {
      let settled = false;
      const watched = Promise.resolve(work).finally(() => {
        settled = true;
      });
      watched.catch(() => undefined);
      const deadline = clock.now() + maxSimulatedMs;
      let idleTurns = 0;
      while (!settled) {
        await realTurn();
        if (inFlight > 0) {
          idleTurns = 0;
          continue;
        }
        // Three quiet turns: every continuation of the last response has run and parked on a timer or settled.
        if (++idleTurns < 3) continue;
        idleTurns = 0;
        const next = clock.nextTimerAt();
        if (next === undefined) continue;
        if (next > deadline) throw new Error(`drive: simulated time passed ${maxSimulatedMs} ms`);
        await clock.fake.setTime(Math.max(next, clock.now()));
      }
      return watched;
    },
  };
}

/** Ids of the `toType` records associated with a record in the emulator. */
const linked = (
  world: World,
  from: Parameters<HubSpotEmulator["associations"]>[0],
  id: string,
  to: Parameters<HubSpotEmulator["associations"]>[2],
) => world.emulator.associations(from, id, to).map((link) => link.toId);

/** The largest number of requests matching `include` that arrived within any rolling `windowMs`. */
function busiestWindow(world: World, windowMs: number, include: (path: string) => boolean): number {
  const times = world.emulator.requests.filter((r) => include(r.path)).map((r) => r.time);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe("the diagnostic lead end to end", () => {
  it("creates the contact, company and deal with the routed owner, links all three and notes the lead once", async () => {
    const world = await createWorld();
    const sync = world.sync(world.adapter());
    const outcome = (await world.drive(sync.run(DIAGNOSTIC_LEAD)))._unsafeUnwrap();

    expect(outcome.status).toBe("applied");
    expect(outcome.objects.map((o) => `${o.step}:${o.action}`)).toEqual([
      "contact:create",
      "company:create",
      "deal:create",
      "contact-company:associate",
      "deal-contact:associate",
      "deal-company:associate",
      "note:create",
    ]);
    const [contact, ...moreContacts] = world.emulator.list("contacts");
    const [company, ...moreCompanies] = world.emulator.list("companies");
    const [deal, ...moreDeals] = world.emulator.list("deals");
    const [note, ...moreNotes] = world.emulator.list("notes");
    expect([moreContacts, moreCompanies, moreDeals, moreNotes]).toEqual([[], [], [], []]);
    expect(contact?.properties).toMatchObject({
      email: "ops@example.com",
      firstname: "Ops",
      lastname: "Lead",
      phone: "+14155550132",
      jobtitle: "Head of Operations",
      hubspot_owner_id: AE.id,
    });
    expect(company?.properties).toMatchObject({ domain: "example.com", name: "Example Inc" });
    expect(deal?.properties).toMatchObject({
      pipeline: "default",
      hubspot_owner_id: AE.id,
      hs_is_closed: "false",
    });
    const ids = {
      contact: contact?.id ?? "",
      company: company?.id ?? "",
      deal: deal?.id ?? "",
      note: note?.id ?? "",
    };
    expect(linked(world, "contacts", ids.contact, "companies")).toEqual([ids.company]);
    expect(linked(world, "deals", ids.deal, "contacts")).toEqual([ids.contact]);
    expect(linked(world, "deals", ids.deal, "companies")).toEqual([ids.company]);
    expect(linked(world, "notes", ids.note, "contacts")).toEqual([ids.contact]);
    expect(linked(world, "notes", ids.note, "deals")).toEqual([ids.deal]);
    expect(note?.properties["hs_note_body"]).toContain("Pain: Leads from the website sit in a spreadsheet");
  });

  it("reads before it writes and never searches for what it wrote; contacts are looked up without the search API", async () => {
    const world = await createWorld();
    (await world.drive(world.sync(world.adapter()).run(DIAGNOSTIC_LEAD)))._unsafeUnwrap();
    const requests = world.emulator.requests;
    const firstWrite = requests.findIndex(
      (r) => r.method !== "GET" && !/\/(search|batch\/read)$/.test(r.path),
    );
    expect(firstWrite).toBeGreaterThan(0);
    expect(requests.slice(firstWrite).filter((r) => r.path.endsWith("/search"))).toEqual([]);
    expect(world.emulator.count({ path: "/crm/v3/objects/contacts/search" })).toBe(0);
    expect(world.emulator.count({ path: "/crm/v3/objects/contacts/batch/read" })).toBe(1);
    expect(world.emulator.count({ status: 429 })).toBe(0);
  });

  it("replays a redelivery from the idempotency store without one HubSpot call", async () => {
    const world = await createWorld();
    const sync = world.sync(world.adapter());
    const first = (await world.drive(sync.run(DIAGNOSTIC_LEAD)))._unsafeUnwrap();
    const seen = world.emulator.requests.length;
    const redelivery = {
      ...DIAGNOSTIC_LEAD,
      correlation_id: "req_redelivery",
      received_at: "2024-05-01T10:09:00Z",
    };
    const again = (await world.drive(sync.run(redelivery)))._unsafeUnwrap();

    expect(again.status).toBe("replayed");
    expect(again.apiCalls).toBe(0);
    expect(again.objects).toEqual(first.objects);
    expect(world.emulator.requests).toHaveLength(seen);
    expect(world.emulator.list("contacts")).toHaveLength(1);
    expect(world.emulator.list("notes")).toHaveLength(1);
  });

  it("a second lead for the same person while search still lags finds the contact, the open deal and the company", async () => {
    // Contacts come from batch reads and open deals from associations, neither of which lags behind writes; the
    // company is found by a search that cannot see it yet, so the adapter remembers what it wrote within the lag.
    const world = await createWorld({ searchLagMs: 60_000 });
    const sync = world.sync(world.adapter({ searchLagMs: 60_000 }));
    (await world.drive(sync.run(DIAGNOSTIC_LEAD)))._unsafeUnwrap();
    const followUp = { ...DIAGNOSTIC_LEAD, event_id: "evt_follow_up", source_record_id: "diag_form_second" };
    const outcome = (await world.drive(sync.run(followUp)))._unsafeUnwrap();

    const actions = Object.fromEntries(outcome.objects.map((o) => [o.step, o.action]));
    expect(actions).toMatchObject({ contact: "noop", company: "noop", deal: "noop", note: "create" });
    for (const type of ["contacts", "companies", "deals"] as const)
      expect(world.emulator.list(type)).toHaveLength(1);
    expect(world.emulator.list("notes")).toHaveLength(2);
  });
});

/** Resolves for everyone once `parties` callers are waiting: both racers have read before either writes. */
function barrier(parties: number): () => Promise<void> {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    if (++waiting === parties) open();
    await opened;
  };
}

describe("two processes racing on one new email", () => {
  const raceLead = (n: number) => ({
    ...lead(n),
    contact: { email: "race@gmail.com", first_name: "Race", last_name: `Event ${n}` },
    company: undefined,
  });

  it("native upserts by email: both events apply and HubSpot holds exactly one contact", async () => {
    const world = await createWorld();
    const bothRead = barrier(2);
    const racer = () => {
      const adapter = world.adapter();
      const upsert = adapter.upsert;
      // Hold the contact write until the other process has looked the email up as well.
      return world.sync({
        ...adapter,
        upsert: async (type, input, ctx) => {
          await bothRead();
          return upsert(type, input, ctx);
        },
      });
    };
    const [a, b] = await world.drive(Promise.all([racer().run(raceLead(1)), racer().run(raceLead(2))]));

    const contacts = world.emulator.list("contacts");
    expect(contacts).toHaveLength(1);
    const ids = [a, b].map((r) => r._unsafeUnwrap().objects.find((o) => o.step === "contact")?.id);
    expect(ids).toEqual([contacts[0]?.id, contacts[0]?.id]);
    expect(world.emulator.count({ path: "/crm/v3/objects/contacts/batch/read" })).toBe(2);
    expect(linked(world, "contacts", contacts[0]?.id ?? "", "notes")).toHaveLength(2);
  });

  it("plain creates: the loser's 409 CONFLICT names the winner's id and becomes an update of it", async () => {
    const world = await createWorld();
    const bothRead = barrier(2);
    const racer = () => {
      const { upsert: _native, batchUpsert: _batch, ...adapter } = world.adapter();
      const create = adapter.create;
      return world.sync({
        ...adapter,
        create: async (type, input, ctx) => {
          if (type === "contact") await bothRead();
          return create(type, input, ctx);
        },
      });
    };
    const results = await world.drive(Promise.all([racer().run(raceLead(1)), racer().run(raceLead(2))]));

    const contacts = world.emulator.list("contacts");
    expect(contacts).toHaveLength(1);
    expect(world.emulator.count({ method: "POST", path: "/crm/v3/objects/contacts", status: 409 })).toBe(1);
    const actions = results.map((r) => r._unsafeUnwrap().objects.find((o) => o.step === "contact"));
    expect(actions.map((o) => o?.action).sort()).toEqual(["create", "update"]);
    expect(actions.map((o) => o?.id)).toEqual([contacts[0]?.id, contacts[0]?.id]);
  });
});

describe("HubSpot's limits, respected before HubSpot says 429", () => {
  it("5 concurrent syncs sharing one limiter saturate the Free tier's 10-second window with 0 429s", async () => {
    const world = await createWorld({ tier: "free" });
    const limiter = createRateLimiter({ ...hubspotLimits({ tier: "free" }), clock: world.clock });
    const started = world.clock.now();
    const workers = Array.from({ length: 5 }, async (_, w) => {
      const sync = world.sync(world.adapter({ limiter }));
      const statuses: string[] = [];
      for (let i = 0; i < 7; i++) {
        const result = await sync.run(lead(w * 100 + i));
        statuses.push(result.isOk() ? result.value.status : result.error.reason);
      }
      return statuses;
    });
    const statuses = (await world.drive(Promise.all(workers))).flat();

    expect(statuses).toEqual(Array.from({ length: 35 }, () => "applied"));
    expect(world.emulator.list("contacts")).toHaveLength(35);
    expect(world.emulator.count({ status: 429 })).toBe(0);
    // More calls than three full windows hold, so the limiter made the syncs wait on the clock...
    expect(world.emulator.requests.length).toBeGreaterThan(3 * 90);
    expect(world.clock.now() - started).toBeGreaterThanOrEqual(30_000);
    // ...and never sent more than 90 % of HubSpot's 100 per rolling 10 s, nor more than 4 of its 5 searches a second.
    expect(busiestWindow(world, 10_000, () => true)).toBeLessThanOrEqual(90);
    expect(busiestWindow(world, 1_000, (path) => path.endsWith("/search"))).toBeLessThanOrEqual(4);
  });

  it("a DAILY 429 fails the run with quota_exhausted (retry, not alert) until the account's midnight; replay applies it the next day", async () => {
    // 20 calls a day: the first lead spends 16 (metadata included), the second runs out on its way.
    const timeZone = "America/New_York";
    const world = await createWorld({ timeZone, limits: { daily: 20 } });
    const journal = createMemoryJournal({ clock: world.clock });
    const sync = world.sync(world.adapter({ timeZone }), { journal });
    (await world.drive(sync.run(lead(1))))._unsafeUnwrap();
    const failure = (await world.drive(sync.run(lead(2))))._unsafeUnwrapErr();

    expect(world.emulator.count({ status: 429 })).toBe(1);
    expect(failure).toMatchObject({ action: "retry", reason: "quota_exhausted", replayable: true });
    // 09:00 UTC on 2 March is 04:00 in New York, whose midnight is 05:00 UTC on 3 March.
    const midnight = Date.parse("2026-03-03T05:00:00.000Z");
    expect(world.clock.now() + (failure.error as CrmError).retryAfterMs!).toBe(midnight);
    const record = (await journal.get("evt_e2e_2"))._unsafeUnwrap();
    expect(record).toMatchObject({ status: "dead_letter", reason: "quota_exhausted", action: "retry" });

    await world.clock.fake.setTime(midnight);
    (await world.drive(sync.replay("evt_e2e_2")))._unsafeUnwrap();
    expect((await journal.get("evt_e2e_2"))._unsafeUnwrap()?.status).toBe("replayed");
    // The replay resumed what the failed run had written: each lead has exactly one of everything.
    for (const type of ["contacts", "companies", "deals", "notes"] as const)
      expect(world.emulator.list(type)).toHaveLength(2);
    expect(world.emulator.count({ status: 429 })).toBe(1);
  });
});

describe("an OAuth access token that HubSpot expired", () => {
  const oauthApp = { clientId: "e2e-client", clientSecret: "e2e-client-secret" };
  const STALE = "CJstale-access-token";
  // The stored token's expiry was not persisted, so only HubSpot's 401 EXPIRED_AUTHENTICATION tells it is stale.
  const expiredWorld = () =>
    createWorld({
      appType: "public",
      oauth: { ...oauthApp, refreshTokens: ["e2e-refresh-token"] },
      tokens: [{ token: STALE, expiresAt: Date.parse(START) - 1, appId: oauthApp.clientId }],
    });
  const oauthAdapter = (world: World, onTokens: () => void) =>
    world.adapter({
      oauth: { ...oauthApp, refreshToken: "e2e-refresh-token", accessToken: STALE, onTokens },
      limits: { appType: "public" },
    });

  it("is refreshed exactly once for 50 concurrent adapter calls, and every call then succeeds", async () => {
    const world = await expiredWorld();
    let refreshes = 0;
    const adapter = oauthAdapter(world, () => refreshes++);
    const lookups = Array.from({ length: 50 }, (_, i) =>
      adapter.find({ type: "contact", field: "email", value: `nobody${i}@example.com` }),
    );
    const found = await world.drive(Promise.all(lookups));

    expect(found).toEqual(Array.from({ length: 50 }, () => []));
    expect(world.emulator.count({ path: "/oauth/v3/token" })).toBe(1);
    expect(refreshes).toBe(1);
    expect(world.emulator.count({ status: 401 })).toBe(50);
    expect(world.emulator.count({ path: "/crm/v3/objects/contacts/batch/read", status: 207 })).toBe(50);
    expect(JSON.stringify(world.emulator.requests)).not.toContain(oauthApp.clientSecret);
  });

  it("is refreshed exactly once for 50 concurrent syncs, which all apply", async () => {
    const world = await expiredWorld();
    let refreshes = 0;
    const sync = world.sync(oauthAdapter(world, () => refreshes++));
    const results = await world.drive(Promise.all(Array.from({ length: 50 }, (_, i) => sync.run(lead(i)))));

    expect(results.map((r) => (r.isOk() ? r.value.status : r.error.reason))).toEqual(
      Array.from({ length: 50 }, () => "applied"),
    );
    expect(world.emulator.count({ path: "/oauth/v3/token" })).toBe(1);
    expect(refreshes).toBe(1);
    expect(world.emulator.list("contacts")).toHaveLength(50);
    expect(world.emulator.count({ status: 429 })).toBe(0);
  });
});

describe("runMany over the HubSpot adapter", () => {
  it("merges 20 new leads' lookups and writes into batch calls, matching a company by its secondary domain", async () => {
    const world = await createWorld({
      records: {
        companies: [
          {
            id: "900",
            properties: {
              name: "Acme Group",
              domain: "acme-group.test",
              hs_additional_domains: "company3.test;company7.test",
            },
          },
        ],
      },
    });
    const sync = world.sync(world.adapter());
    const leads = Array.from({ length: 20 }, (_, n) => lead(n));
    const results = (await world.drive(sync.runMany(leads, { concurrency: 20 })))._unsafeUnwrap();

    expect(results.map((r) => (r.isOk() ? r.value.status : r.error.reason))).toEqual(
      Array.from({ length: 20 }, () => "applied"),
    );
    expect(world.emulator.list("contacts")).toHaveLength(20);
    expect(world.emulator.list("deals")).toHaveLength(20);
    // Leads 3 and 7 work at Acme Group: linked to it, no company of their own.
    expect(world.emulator.list("companies")).toHaveLength(19);
    for (const n of [3, 7]) {
      const contact = world.emulator
        .list("contacts")
        .find((c) => c.properties["email"] === `lead${n}@company${n}.test`);
      expect(linked(world, "contacts", contact?.id ?? "", "companies")).toEqual(["900"]);
    }
    const calls = (path: string) => world.emulator.count({ path });
    expect(calls("/crm/v3/objects/contacts/batch/read")).toBe(1);
    // One search for the 20 domains (with four secondary-domain groups) and one listing the multi-domain companies.
    expect(calls("/crm/v3/objects/companies/search")).toBe(2);
    // Records and associations are written in batches only (notes still go one per lead: the executor sends them).
    expect(world.emulator.count({ path: /^\/crm\/v3\/objects\/(contacts|companies|deals)$/ })).toBe(0);
    expect(world.emulator.count({ method: "PUT" })).toBe(0);
    expect(calls("/crm/v3/objects/contacts/batch/upsert")).toBe(1);
    expect(calls("/crm/v3/objects/companies/batch/create")).toBe(1);
    expect(world.emulator.count({ status: 429 })).toBe(0);
  });
});
