import { performance } from "node:perf_hooks";
import type { CrmAdapter } from "../src/adapter/index.js";
import { createSync } from "../src/executor/index.js";
import { createMemoryIdempotencyStore } from "../src/idempotency/index.js";
import { createMemoryJournal } from "../src/journal/index.js";
import { createFakeCrm, type FakeCrmOptions } from "../src/testing/fake-crm/index.js";
import { type BenchRow, type BenchSuite, median } from "./harness.js";

// New leads with distinct emails and domains: every one creates a contact, a company and a deal.
function lead(n: number): Record<string, unknown> {
  return {
    event_id: `evt_${n}`,
    event_type: "lead.submitted",
    contract_version: "1.0",
    source_system: "bench",
    source_record_id: `form_${n}`,
    occurred_at: "2025-03-04T10:00:00Z",
    correlation_id: `req_${n}`,
    contact: { email: `lead${n}@company${n}.test`, first_name: "Ada", last_name: "Lovelace" },
    company: { name: `Company ${n}`, domain: `company${n}.test` },
    lead: { consent_to_contact: true },
    routing: { qualification_status: "qualified", lead_score: 80, routing_tier: "priority", confidence: 0.9 },
  };
}

const BATCH_FAKE: FakeCrmOptions = { batch: true, upsertKeys: { contact: ["email"] } };

// Rounds run before measuring: V8 needs a few thousand runs before the hot paths are optimised (round 1 of 1,000
// events measured a third of the steady state), and a throughput figure is about the steady state.
const WARMUP_ROUNDS = 3;
const MEASURED_ROUNDS = 5;

async function throughput(withJournal: boolean): Promise<number> {
  const events = 1_000;
  const results: number[] = [];
  for (let round = 0; round < WARMUP_ROUNDS + MEASURED_ROUNDS; round++) {
    // A fresh CRM per round, so every round starts from the same state (the fake's search is indexed by value).
    const { adapter } = createFakeCrm();
    const sync = createSync({
      adapter,
      idempotency: createMemoryIdempotencyStore(),
      ...(withJournal ? { journal: createMemoryJournal() } : {}),
    });
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < events; i = next++) {
          const result = await sync.run(lead(round * events + i));
          if (result.isErr()) throw result.error.error;
        }
      }),
    );
    const elapsed = performance.now() - start;
    if (round >= WARMUP_ROUNDS) results.push((events / elapsed) * 1000);
  }
  return median(results);
}

async function callsPerEvent(mode: "run" | "runMany"): Promise<number> {
  const events = 200;
  const { adapter, probe } = createFakeCrm(BATCH_FAKE);
  const sync = createSync({ adapter, idempotency: createMemoryIdempotencyStore() });
  const inputs = Array.from({ length: events }, (_, i) => lead(i));
  if (mode === "run") {
    for (const input of inputs) (await sync.run(input))._unsafeUnwrap();
  } else {
    const results = (await sync.runMany(inputs))._unsafeUnwrap();
    if (results.some((result) => result.isErr())) throw new Error("runMany failed an event");
  }
  if (probe.duplicates("contact", "email").length > 0) throw new Error("duplicates");
  return probe.callCount() / events;
}

// The naive integration the issue compares against: one create per object and one call per association, no search
// (so it duplicates on every redelivery).
async function naiveCallsPerEvent(): Promise<number> {
  const events = 200;
  const { adapter, probe } = createFakeCrm(BATCH_FAKE);
  const naive = async (crm: CrmAdapter, n: number) => {
    const contact = await crm.create("contact", {
      properties: { email: `lead${n}@company${n}.test`, first_name: "Ada" },
    });
    const company = await crm.create("company", {
      properties: { domain: `company${n}.test`, name: `Company ${n}` },
    });
    const deal = await crm.create("deal", {
      properties: { name: `Company ${n} – inbound lead`, pipeline_id: "sales", stage_id: "new" },
    });
    await crm.associate(contact, company);
    await crm.associate(deal, contact);
    await crm.associate(deal, company);
    await crm.createNote({
      body: "Lead submitted",
      timestamp: "2025-03-04T10:00:00Z",
      associations: [contact, deal],
    });
  };
  for (let n = 0; n < events; n++) await naive(adapter, n);
  return probe.callCount() / events;
}

/** `run` throughput on the fake CRM and CRM calls per new lead for `run`, `runMany` and a naive baseline. */
export const suite: BenchSuite = {
  title: "Executor (createSync)",
  description:
    "`run` end to end (parse → lease → reads → plan → writes with checkpoints → complete) on the in-memory fake CRM " +
    "with the memory idempotency store, and again with the memory journal too (begin, plan, outcome and attempt " +
    "journaled per event), 16 runs in flight, 1,000 new leads per round on a fresh fake (its search is " +
    "indexed by value); median of 5 rounds after 3 warm-up rounds. Calls per event: 200 new leads on a batch-capable fake (`batch: true`, native upsert on contact " +
    "email), sequential `run` vs one `runMany`, beside a naive create-first integration (one create per object and " +
    "one call per association, no search, so every redelivery duplicates).",
  async run(): Promise<BenchRow[]> {
    const ops = await throughput(false);
    const opsJournal = await throughput(true);
    const run = await callsPerEvent("run");
    const many = await callsPerEvent("runMany");
    const naive = await naiveCallsPerEvent();
    return [
      { name: "run, new leads (memory stores, no journal)", value: ops, unit: "events/s", target: 5_000 },
      {
        name: "run, new leads (memory stores + memory journal)",
        value: opsJournal,
        unit: "events/s",
        target: 5_000,
      },
      {
        name: "CRM calls per new lead, run",
        value: run,
        unit: "calls/event",
        better: "lower",
        anchor: { name: "naive create-first", value: naive },
        note: "7 reads incl. metadata + 5 writes (the deal carries its 2 associations); metadata once per run",
      },
      {
        name: "CRM calls per new lead, runMany",
        value: many,
        unit: "calls/event",
        better: "lower",
        anchor: { name: "naive create-first", value: naive },
        note: "200 leads in waves of 100: findMany, batchUpsert, batchCreate (notes too), batchAssociate; metadata once",
      },
    ];
  },
};
