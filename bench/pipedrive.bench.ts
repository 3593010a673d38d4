import { readFileSync } from "node:fs";
import { createPipedriveAdapter, type PipedriveAdapterOptions } from "../src/adapters/pipedrive/index.js";
import { createSync } from "../src/executor/index.js";
import { createMemoryIdempotencyStore } from "../src/idempotency/index.js";
import { type Clock, sleep } from "../src/internal/clock.js";
import { createPlanPolicy } from "../src/planner/index.js";
import { createPipedriveEmulator, type PipedriveEmulator } from "../src/testing/emulators/pipedrive/index.js";
import { createFakeClock, type FakeClock } from "../src/testing/fake-clock.js";
import type { BenchRow, BenchSuite } from "./harness.js";

// Calls and daily-budget tokens per new lead against the Pipedrive emulator, on one fake clock shared by the
// emulator, the adapter's limiter and the sync, so every wait (the limiter's, a 429's retry-after, a request's
// latency) is simulated and the figures do not depend on the machine's speed. Each scenario gets a fresh emulator.

/** Leads per scenario; `PD_BENCH_LEADS=50 npx tsx bench/run.ts pipedrive` for a quick look. */
const LEADS = Number(process.env["PD_BENCH_LEADS"] ?? 1_000);
/** Leads of the trickle scenario (one a minute: 100 minutes of simulated time). */
const TRICKLE_LEADS = Math.min(LEADS, 100);
/** Simulated round trip of one request; it is what makes time pass between a lead's calls. */
const LATENCY_MS = 100;
/** How far the pump moves the fake clock per turn of the event loop. */
const STEP_MS = 10;
const PLAN = { plan: "lite", seats: 5 } as const;
const AE = "ae@crmkit.test";
const START = "2026-03-02T08:00:00.000Z";

const FIXTURE = JSON.parse(
  readFileSync(new URL("../test/fixtures/events/diagnostic-lead.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

/** A new lead: distinct email and domain, so each one creates a person, an organization and a deal. */
function lead(n: number): Record<string, unknown> {
  return {
    ...FIXTURE,
    event_id: `evt_bench_${n}`,
    source_record_id: `form_${n}`,
    idempotency_key: `bench:${n}`,
    contact: { ...(FIXTURE["contact"] as object), email: `lead${n}@company${n}.example` },
    company: { name: `Company ${n}`, domain: `company${n}.example` },
  };
}

interface World {
  /** How many leads the scenario sends. */
  readonly leads: number;
  readonly clock: FakeClock;
  readonly emulator: PipedriveEmulator;
  /** The emulator's fetch behind a simulated network round trip. */
  readonly fetch: typeof fetch;
}

function world(leads: number): World {
  const clock = createFakeClock({ start: START });
  const emulator = createPipedriveEmulator({
    clock,
    ...PLAN,
    searchLagMs: 10_000,
    users: [{ id: 1, name: "Ann Exec", email: AE }],
  });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    await sleep(clock, LATENCY_MS / 2);
    const response = await emulator.fetch(input, init);
    await sleep(clock, LATENCY_MS / 2);
    return response;
  };
  return { leads, clock, emulator, fetch };
}

/** Runs `work` while moving the fake clock forward whenever the event loop has turned. */
async function pump<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  while (!done) await clock.advance(STEP_MS);
  return settled;
}

async function inParallel(count: number, concurrency: number, fn: (n: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let n = next++; n < count; n = next++) await fn(n);
    }),
  );
}

interface Measured {
  leads: number;
  calls: number;
  tokens: number;
  rateLimited: number;
  simulatedSeconds: number;
}

function measure(w: World, started: number): Measured {
  const { emulator, leads } = w;
  if (emulator.list("persons").length !== leads || emulator.list("organizations").length !== leads)
    throw new Error(
      `expected ${leads} persons and organizations, got ${emulator.list("persons").length} and ${emulator.list("organizations").length}`,
    );
  return {
    leads,
    calls: emulator.requests.length / leads,
    // Summed from the request log: a long scenario may cross the company's midnight, which resets tokensUsed().
    tokens: emulator.requests.reduce((sum, r) => sum + r.cost, 0) / leads,
    rateLimited: emulator.count({ status: 429 }),
    simulatedSeconds: (w.clock.now() - started) / 1000,
  };
}

function syncFor(w: World, options: Partial<PipedriveAdapterOptions> = {}) {
  const adapter = createPipedriveAdapter({
    apiToken: "bench-token",
    apiDomain: w.emulator.baseUrl,
    fetch: w.fetch,
    clock: w.clock,
    limits: PLAN,
    ...options,
  });
  const sync = createSync({
    adapter,
    idempotency: createMemoryIdempotencyStore({ clock: w.clock }),
    clock: w.clock,
    policy: createPlanPolicy({ routing: [{ role: "account_executive", owner: AE }] }),
  });
  return { adapter, sync };
}

/** `run` per event with `concurrency` webhook handlers in flight (a backfill). */
async function viaRun(concurrency: number, options: Partial<PipedriveAdapterOptions> = {}) {
  const w = world(LEADS);
  const started = w.clock.now();
  const { adapter, sync } = syncFor(w, options);
  await pump(
    w.clock,
    inParallel(LEADS, concurrency, async (n) => {
      const result = await sync.run(lead(n));
      if (result.isErr()) throw new Error(`lead ${n}: ${result.error.reason}: ${result.error.error.message}`);
    }),
  );
  await adapter.close();
  return measure(w, started);
}

/** One `run` every `gapMs` (leads trickling in from a form): every lookup finds the index older than the lag. */
async function viaTrickle(gapMs: number, options: Partial<PipedriveAdapterOptions> = {}) {
  const w = world(TRICKLE_LEADS);
  const started = w.clock.now();
  const { adapter, sync } = syncFor(w, options);
  for (let n = 0; n < TRICKLE_LEADS; n++) {
    const result = await pump(w.clock, Promise.resolve(sync.run(lead(n))));
    if (result.isErr()) throw new Error(`lead ${n}: ${result.error.reason}: ${result.error.error.message}`);
    await w.clock.advance(gapMs);
  }
  await adapter.close();
  return measure(w, started);
}

async function viaRunMany() {
  const w = world(LEADS);
  const started = w.clock.now();
  const { adapter, sync } = syncFor(w);
  const results = await pump(
    w.clock,
    Promise.resolve(sync.runMany(Array.from({ length: LEADS }, (_, n) => lead(n)))),
  );
  const failed = results._unsafeUnwrap().filter((r) => r.isErr());
  if (failed.length > 0) throw new Error(`runMany failed ${failed.length} events`);
  await adapter.close();
  return measure(w, started);
}

// The anchor: a client written as the official SDK's README suggests, with no limiter: search before create per
// object (person by email, organization by name), the person's open deals, creates carrying their links, a note;
// a 429 waits its retry-after and is sent again.
async function naive(concurrency: number): Promise<Measured> {
  const w = world(LEADS);
  const started = w.clock.now();
  const base = w.emulator.baseUrl;
  const call = async (clock: Clock, method: string, path: string, body?: unknown): Promise<unknown> => {
    for (;;) {
      const response = await w.fetch(`${base}${path}`, {
        method,
        headers: { "x-api-token": "bench-token", "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (response.status === 429) {
        await sleep(clock, Number(response.headers.get("retry-after") ?? "2") * 1000);
        continue;
      }
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { data: unknown }).data;
    }
  };
  const idOf = (data: unknown) => (data as { id: number }).id;
  const firstHit = (data: unknown) => (data as { items?: { item: { id: number } }[] }).items?.[0]?.item.id;
  await pump(
    w.clock,
    inParallel(LEADS, concurrency, async (n) => {
      const email = `lead${n}@company${n}.example`;
      const person = firstHit(
        await call(w.clock, "GET", `/api/v2/persons/search?term=${email}&fields=email&exact_match=true`),
      );
      const org = firstHit(
        await call(
          w.clock,
          "GET",
          `/api/v2/organizations/search?term=Company%20${n}&fields=name&exact_match=true`,
        ),
      );
      const orgId =
        org ?? idOf(await call(w.clock, "POST", "/api/v2/organizations", { name: `Company ${n}` }));
      const personId =
        person ??
        idOf(
          await call(w.clock, "POST", "/api/v2/persons", {
            name: "Ops Lead",
            emails: [{ value: email, primary: true }],
            org_id: orgId,
          }),
        );
      const open = (await call(
        w.clock,
        "GET",
        `/api/v2/deals?person_id=${personId}&status=open`,
      )) as unknown[];
      const dealId =
        (open[0] as { id?: number } | undefined)?.id ??
        idOf(
          await call(w.clock, "POST", "/api/v2/deals", {
            title: `Company ${n} – inbound lead`,
            person_id: personId,
            org_id: orgId,
          }),
        );
      await call(w.clock, "POST", "/v1/notes", {
        content: "Lead submitted",
        person_id: personId,
        deal_id: dealId,
      });
    }),
  );
  return measure(w, started);
}

const note = (m: Measured) =>
  `${m.leads} leads, ${m.rateLimited} × 429, ${Math.round(m.simulatedSeconds)} s simulated`;

/** Calls and tokens per new lead: `run`, `runMany` and the naive SDK-style client, and the 429s each caused. */
export const suite: BenchSuite = {
  title: "Pipedrive: calls and tokens per new lead",
  description:
    `${LEADS.toLocaleString("en-US")} new leads (each a new person, organization and deal with a note) through ` +
    "`createSync` and the Pipedrive adapter against the Pipedrive emulator at its Lite preset (5 seats), every " +
    `request ${LATENCY_MS} ms of simulated round trip on one fake clock shared by emulator, limiter and sync. ` +
    "Calls and daily-budget tokens come from the emulator's request log (each request with its `x-token-cost`), " +
    "metadata included. " +
    "`run`: 8 events in flight (a webhook server under a backfill); trickle: one event per minute for " +
    `${TRICKLE_LEADS} minutes: every lookup refreshes the list index, so a lead costs at least 6 calls (persons and ` +
    "organizations lists, organization, person, deal, note) plus the metadata (users, pipelines, stages, three " +
    "field lists) re-read once per `metadataTtlMs` (default 5 min). " +
    "The anchor is a client written like the official SDK's README: one search per " +
    "object, the person's open deals, creates carrying their links, a note, no limiter (a 429 waits its retry-after).",
  async run(): Promise<BenchRow[]> {
    const run = await viaRun(8);
    const trickle = await viaTrickle(60_000);
    const trickleTtl = await viaTrickle(60_000, { metadataTtlMs: 3_600_000 });
    const searching = await viaRun(8, { listIndex: false });
    const many = await viaRunMany();
    const anchor = await naive(8);
    const rows: BenchRow[] = [];
    const pair = (name: string, m: Measured, calls?: number, tokens?: number) => {
      rows.push({
        name: `calls per new lead, ${name}`,
        value: m.calls,
        unit: "calls/event",
        better: "lower",
        ...(calls === undefined ? {} : { target: calls }),
        anchor: { name: "SDK-style client", value: anchor.calls },
        note: note(m),
      });
      rows.push({
        name: `tokens per new lead, ${name}`,
        value: m.tokens,
        unit: "tokens/event",
        better: "lower",
        ...(tokens === undefined ? {} : { target: tokens }),
        anchor: { name: "SDK-style client", value: anchor.tokens },
      });
    };
    pair("run (8 in flight)", run, 6, 65);
    // DESIGN's per-lead targets are for a flow of leads; a trickle cannot go below six calls (two lookups, four
    // writes) and adds the metadata refresh of every `metadataTtlMs` window, so it is shown without a target.
    pair("run, trickle (1 per minute)", trickle);
    pair("run, trickle, metadataTtlMs 1 h", trickleTtl);
    pair("run, list index off (search per lookup)", searching);
    pair("runMany", many, 4.2, 30);
    rows.push({
      name: "429s from Pipedrive, all crmkit scenarios above, at the preset",
      value: [run, trickle, trickleTtl, searching, many].reduce((sum, m) => sum + m.rateLimited, 0),
      unit: "429s",
      better: "lower",
      target: 0,
      anchor: { name: "SDK-style client", value: anchor.rateLimited },
      note: note(anchor),
    });
    return rows;
  },
};
