import { createHubSpotAdapter, type HubSpotAdapter } from "../src/adapters/hubspot/index.js";
import { createSync } from "../src/executor/index.js";
import { createMemoryIdempotencyStore } from "../src/idempotency/index.js";
import type { Clock } from "../src/internal/clock.js";
import { createMemoryJournal } from "../src/journal/index.js";
import { createPlanPolicy } from "../src/planner/index.js";
import { createHubSpotEmulator, type HubSpotEmulator } from "../src/testing/emulators/hubspot/index.js";
import { createFakeClock, type FakeClock } from "../src/testing/fake-clock.js";
import { createCountingFetch } from "../test/helpers/counting-fetch.js";
import type { BenchRow, BenchSuite } from "./harness.js";

// HubSpot calls per new lead, measured at the HubSpot emulator over real HTTP with the Professional tier's limits
// enforced (190 per rolling 10 s, 5 searches per second). The emulator, the adapter's limiter and the executor
// share a fake clock that moves to the next timer only while no request is in flight, so limiter waits cost no
// real time and the reported duration is simulated seconds.

const LEADS = 1_000;
const SHARED_DOMAINS = 5;
const START = "2026-03-02T09:00:00.000Z";
const TOKEN = "pat-na1-bench-token";
const OWNER = { id: "101", email: "ae@crmkit.test", firstName: "Ann" };
const policy = createPlanPolicy({ routing: [{ role: "account_executive", owner: OWNER.email }] });

/** Lead `n`: a distinct email; every tenth lead works at one of a few shared companies. */
function lead(n: number): Record<string, unknown> {
  const domain = n % 10 === 0 ? `shared${(n / 10) % SHARED_DOMAINS}.test` : `company${n}.test`;
  return {
    event_id: `evt_${n}`,
    event_type: "lead.submitted",
    contract_version: "1.0",
    source_system: "bench",
    source_record_id: `form_${n}`,
    occurred_at: "2026-03-02T08:00:00Z",
    correlation_id: `req_${n}`,
    contact: { email: `lead${n}@${domain}`, first_name: "Ada", last_name: `Lead ${n}` },
    company: { name: `Company ${domain}`, domain },
    lead: { consent_to_contact: true, pain_summary: "Leads sit in a spreadsheet" },
    routing: {
      qualification_status: "qualified",
      lead_score: 80,
      routing_tier: "priority",
      target_pipeline: "Sales Pipeline",
      target_owner_role: "account_executive",
      confidence: 0.9,
    },
  };
}

/** One emulator, one fake clock and a `drive` that moves the clock whenever nothing is in flight. */
interface Stage {
  readonly emulator: HubSpotEmulator;
  readonly clock: Clock;
  readonly fake: FakeClock;
  adapter(options?: { limiter?: false; additionalDomains?: boolean }): HubSpotAdapter;
  drive<T>(work: PromiseLike<T>): Promise<T>;
  close(): Promise<void>;
}

async function createStage(): Promise<Stage> {
  const fake = createFakeClock({ start: START });
  const clock: Clock = fake;
  const emulator = createHubSpotEmulator({
    tier: "professional",
    owners: [OWNER],
    tokens: [{ token: TOKEN }],
    clock,
  });
  const url = await emulator.listen();
  const counting = createCountingFetch();
  const countingFetch = counting.fetch;
  const adapters: HubSpotAdapter[] = [];
  return {
    emulator,
    clock,
    fake,
    adapter(options = {}) {
      const adapter = createHubSpotAdapter({
        accessToken: TOKEN,
        baseUrl: url,
        fetch: countingFetch,
        clock,
        accountId: "62515",
        ...(options.limiter === false ? { limiter: false } : { limits: { tier: "professional" } }),
        ...(options.additionalDomains === undefined ? {} : { additionalDomains: options.additionalDomains }),
      });
      adapters.push(adapter);
      return adapter;
    },
    async drive(work) {
      let settled = false;
      const watched = Promise.resolve(work).finally(() => {
        settled = true;
      });
      watched.catch(() => undefined);
      let idleTurns = 0;
      while (!settled) {
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        if (counting.inFlight > 0 || ++idleTurns < 3) {
          if (counting.inFlight > 0) idleTurns = 0;
          continue;
        }
        idleTurns = 0;
        const next = fake.nextTimerAt();
        if (next !== undefined) await fake.setTime(Math.max(next, fake.now()));
      }
      return watched;
    },
    async close() {
      for (const adapter of adapters) await adapter.close();
      await emulator.close();
    },
  };
}

/** Requests per endpoint (ids folded), most frequent first, for the note and the console. */
function breakdown(emulator: HubSpotEmulator): string {
  const counts = new Map<string, number>();
  for (const request of emulator.requests) {
    const key = `${request.method} ${request.path.replace(/\/\d+(?=\/|$)/g, "/{id}")}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} ${count}`)
    .join(", ");
}

interface Measured {
  readonly callsPerEvent: number;
  readonly simulatedSeconds: number;
  readonly rateLimited: number;
  readonly breakdown: string;
}

async function measure(
  mode: "run" | "runMany",
  options: { additionalDomains?: boolean } = {},
): Promise<Measured> {
  const stage = await createStage();
  try {
    const hubspot = stage.adapter(
      options.additionalDomains === undefined ? {} : { additionalDomains: options.additionalDomains },
    );
    const sync = createSync({
      adapter: hubspot,
      idempotency: createMemoryIdempotencyStore({ clock: stage.clock }),
      journal: createMemoryJournal({ clock: stage.clock, maxRecords: LEADS * 2 }),
      policy,
      clock: stage.clock,
    });
    const inputs = Array.from({ length: LEADS }, (_, n) => lead(n));
    const started = stage.clock.now();
    const failed = await stage.drive(
      (async () => {
        if (mode === "runMany") {
          // Every lead in flight at once, so each step's calls of all leads meet in the same batches.
          const results = (await sync.runMany(inputs, { concurrency: LEADS }))._unsafeUnwrap();
          return results.filter((result) => result.isErr()).length;
        }
        let failures = 0;
        for (const input of inputs) if ((await sync.run(input)).isErr()) failures++;
        return failures;
      })(),
    );
    if (failed > 0) throw new Error(`${mode}: ${failed} of ${LEADS} leads failed`);
    if (stage.emulator.list("contacts").length !== LEADS)
      throw new Error(`${mode}: contacts were duplicated`);
    return {
      callsPerEvent: stage.emulator.requests.length / LEADS,
      simulatedSeconds: (stage.clock.now() - started) / 1000,
      rateLimited: stage.emulator.count({ status: 429 }),
      breakdown: breakdown(stage.emulator),
    };
  } finally {
    await stage.close();
  }
}

// The naive integration: one create per object and one call per association, no search and no limiter; on a 429 it
// waits as HubSpot says and sends again (the transport's retries), as an SDK with retries enabled does.
async function measureNaive(): Promise<Measured> {
  const stage = await createStage();
  try {
    const hubspot = stage.adapter({ limiter: false });
    const started = stage.clock.now();
    await stage.drive(
      (async () => {
        for (let n = 0; n < LEADS; n++) {
          const { contact, company } = lead(n) as { contact: { email: string }; company: { domain: string } };
          const c = await hubspot.create("contact", {
            properties: { email: contact.email, first_name: "Ada" },
          });
          const co = await hubspot.create("company", { properties: { domain: company.domain } });
          const deal = await hubspot.create("deal", {
            properties: {
              name: `${company.domain} – inbound lead`,
              pipeline_id: "default",
              stage_id: "appointmentscheduled",
            },
          });
          await hubspot.associate(c, co);
          await hubspot.associate(deal, c);
          await hubspot.associate(deal, co);
          await hubspot.createNote({
            body: "Lead submitted",
            timestamp: "2026-03-02T08:00:00Z",
            associations: [c, deal],
          });
        }
      })(),
    );
    return {
      callsPerEvent: stage.emulator.requests.length / LEADS,
      simulatedSeconds: (stage.clock.now() - started) / 1000,
      rateLimited: stage.emulator.count({ status: 429 }),
      breakdown: breakdown(stage.emulator),
    };
  } finally {
    await stage.close();
  }
}

/** HubSpot calls per new lead for `run` and `runMany`, the naive anchor, simulated duration and 429s. */
export const suite: BenchSuite = {
  title: "HubSpot adapter at the emulator (Professional preset)",
  description:
    `${LEADS.toLocaleString("en-US")} new leads (distinct emails; every tenth lead at one of ${SHARED_DOMAINS} shared ` +
    "company domains) through `createSync` + `createHubSpotAdapter` against the HubSpot emulator over HTTP on " +
    "127.0.0.1, which enforces the Professional tier (190 requests per rolling 10 s, 5 searches per second) and " +
    "answers 429 beyond it. Calls are the requests the emulator received (metadata reads included), per lead. " +
    "Durations are simulated seconds on a shared fake clock that advances only while no request is in flight. " +
    "The anchor is a naive create-first client on the same emulator: four creates and three association calls per " +
    "lead, no search and no limiter, retrying 429s after the interval HubSpot names.",
  async run(): Promise<BenchRow[]> {
    const naive = await measureNaive();
    const run = await measure("run");
    const many = await measure("runMany");
    const lean = await measure("runMany", { additionalDomains: false });
    for (const [name, m] of [
      ["naive", naive],
      ["run", run],
      ["runMany", many],
      ["runMany, additionalDomains: false", lean],
    ] as const)
      process.stdout.write(
        `    ${name}: ${m.callsPerEvent} calls/lead, ${m.simulatedSeconds} s simulated, ${m.rateLimited} × 429; ${m.breakdown}\n`,
      );
    const anchor = (value: number) => ({ name: "naive create-first", value });
    return [
      {
        name: "HubSpot calls per new lead, sequential run",
        value: run.callsPerEvent,
        unit: "calls/event",
        better: "lower",
        target: 8,
        anchor: anchor(naive.callsPerEvent),
        note: `${LEADS} leads; ${run.rateLimited} × 429`,
      },
      {
        name: "HubSpot calls per new lead, runMany",
        value: many.callsPerEvent,
        unit: "calls/event",
        better: "lower",
        target: 0.15,
        anchor: anchor(naive.callsPerEvent),
        note: `${LEADS} leads in flight; ${many.rateLimited} × 429`,
      },
      {
        name: "HubSpot calls per new lead, runMany, additionalDomains: false",
        value: lean.callsPerEvent,
        unit: "calls/event",
        better: "lower",
        target: 0.15,
        anchor: anchor(naive.callsPerEvent),
        note: `companies matched by primary domain only; ${lean.rateLimited} × 429`,
      },
      {
        name: "simulated duration, sequential run",
        value: run.simulatedSeconds,
        unit: "s",
        better: "lower",
        anchor: { name: "naive create-first", value: naive.simulatedSeconds },
      },
      {
        name: "simulated duration, runMany",
        value: many.simulatedSeconds,
        unit: "s",
        better: "lower",
        anchor: { name: "naive create-first", value: naive.simulatedSeconds },
      },
      {
        name: "429s from the emulator, every crmkit run above",
        value: run.rateLimited + many.rateLimited + lean.rateLimited,
        unit: "responses",
        better: "lower",
        target: 0,
        anchor: { name: "naive create-first", value: naive.rateLimited },
      },
    ];
  },
};
