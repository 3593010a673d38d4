import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createSync, type SyncFailure, type SyncOutcome } from "../../src/executor/index.js";
import { createMemoryIdempotencyStore, type IdempotencyStore } from "../../src/idempotency/index.js";
import { createMemoryJournal, type JournalStatus } from "../../src/journal/index.js";
import { createRedisIdempotencyStore } from "../../src/redis/index.js";
import { createFakeCrm } from "../../src/testing/fake-crm/index.js";
import { rawLead } from "../executor/helpers.js";
import { type RedisServer, redisAvailable, startRedis } from "../helpers/redis-server.js";

// The reliability scenario: 2,000 events, each delivered 1–5 times concurrently in shuffled order, 20 % of
// CRM calls failing with transient errors and 1 % with terminal ones. Every event must end settled or in the
// journal with its reason; no record may exist twice; nothing may be lost.

const EVENTS = 2_000;
// 400 of the events share a contact (and company) with another event: a second lead for the same person.
const PEOPLE = 1_600;
const IN_FLIGHT = 64;

// mulberry32, seeded: the same deliveries and order on every run and machine.
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function events() {
  return Array.from({ length: EVENTS }, (_, i) => {
    const person = i % PEOPLE;
    return rawLead(i, {
      contact: { email: `lead${person}@company${person}.test`, first_name: `Lead ${person}` },
      company: { name: `Company ${person}`, domain: `company${person}.test` },
    });
  });
}

async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await run(items[index] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const SETTLED: readonly string[] = ["applied", "replayed", "noop", "partial_review"];

async function scenario(idempotency: IdempotencyStore) {
  const { adapter, probe } = createFakeCrm();
  probe.faults.random({ rate: 0.2, reasons: ["rate_limited", "server_error", "network_timeout"], seed: 7 });
  probe.faults.random({ rate: 0.01, reasons: ["validation_failed", "invalid_enum"], seed: 11 });
  const journal = createMemoryJournal();
  const sync = createSync({ adapter, idempotency, journal, retry: { minDelayMs: 1, maxDelayMs: 20 } });

  const all = events();
  const random = prng(42);
  const deliveries = all.flatMap((event) =>
    Array.from({ length: 1 + Math.floor(random() * 5) }, () => event),
  );
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }

  const succeeded = new Map<string, SyncOutcome>();
  const failures = new Map<string, SyncFailure[]>();
  await pool(deliveries, IN_FLIGHT, async (delivery) => {
    const result = await sync.run(delivery);
    const eventId = delivery["event_id"] as string;
    if (result.isOk()) succeeded.set(eventId, result.value);
    else failures.set(eventId, [...(failures.get(eventId) ?? []), result.error]);
  });

  // Classify every logical event by where it ended.
  const ended = new Map<string, string>();
  for (const event of all) {
    const eventId = event["event_id"] as string;
    const record = (await journal.get(eventId))._unsafeUnwrap();
    expect(record, `journal record of ${eventId}`).toBeDefined();
    const outcome = succeeded.get(eventId);
    if (outcome !== undefined) {
      expect(SETTLED).toContain(outcome.status);
      expect(SETTLED).toContain(record!.status);
      ended.set(eventId, outcome.status === "replayed" ? record!.status : outcome.status);
    } else {
      expect(["review", "dead_letter"] as JournalStatus[]).toContain(record!.status);
      expect(record!.reason, `reason of ${eventId}`).toBeDefined();
      ended.set(eventId, record!.status);
    }
  }
  return { all, deliveries, probe, journal, sync, succeeded, failures, ended };
}

function countBy(values: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function checkNoDuplicates(probe: ReturnType<typeof createFakeCrm>["probe"]) {
  expect(probe.duplicates("contact", "email")).toEqual([]);
  expect(probe.duplicates("company", "domain")).toEqual([]);
}

const stores: [string, () => Promise<{ store: IdempotencyStore; close: () => Promise<void> }>][] = [
  ["memory", async () => ({ store: createMemoryIdempotencyStore(), close: async () => {} })],
];

let redis: RedisServer | undefined;
const withRedis = redisAvailable();
if (withRedis) {
  stores.push([
    "redis",
    async () => {
      redis ??= await startRedis();
      const client = new Redis(redis.port, { lazyConnect: false, maxRetriesPerRequest: 1 });
      await client.flushall();
      return {
        store: createRedisIdempotencyStore({ client, prefix: "reliability:" }),
        close: async () => {
          client.disconnect();
        },
      };
    },
  ]);
}

afterAll(async () => {
  await redis?.close();
});

describe.each(stores)("reliability with the %s idempotency store", (_name, open) => {
  it("settles or journals every one of 2,000 events delivered 1–5 times under 20 % transient and 1 % terminal faults, with no duplicates", async () => {
    const { store, close } = await open();
    try {
      const { all, deliveries, probe, journal, sync, succeeded, ended } = await scenario(store);
      const counts = countBy(ended.values());
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      expect(total).toBe(EVENTS);
      expect(deliveries.length).toBeGreaterThan(EVENTS * 2);
      expect((await journal.count())._unsafeUnwrap()).toBe(EVENTS);
      // Faults really fired, transient ones were absorbed, terminal ones ended in review.
      expect(probe.callCount({ failed: true })).toBeGreaterThan(1_000);
      expect(succeeded.size).toBeGreaterThan(EVENTS * 0.7);
      expect(counts["review"] ?? 0).toBeGreaterThan(0);
      checkNoDuplicates(probe);

      // Every contact belongs to an event that wrote one, and there is one per distinct email.
      const records = await Promise.all(
        all.map(async (event) => (await journal.get(event["event_id"] as string))._unsafeUnwrap()!),
      );
      const emailsWritten = new Set(
        records
          .filter((r) => r.objects.some((o) => o.step === "contact"))
          .map((r) => (r.event as { contact: { email: string } }).contact.email),
      );
      const emailsApplied = new Set(
        records
          .filter((r) => SETTLED.includes(r.status))
          .map((r) => (r.event as { contact: { email: string } }).contact.email),
      );
      expect(probe.list("contact")).toHaveLength(emailsWritten.size);
      expect(emailsWritten.size).toBeGreaterThanOrEqual(emailsApplied.size);
      for (const email of emailsApplied) expect(probe.findBy("contact", "email", email)).toHaveLength(1);

      // Nothing is lost: after the faults stop, replaying every dead letter and review settles all 2,000.
      probe.faults.clear();
      const waiting = records.filter((r) => r.status === "review" || r.status === "dead_letter");
      for (const record of waiting) (await sync.replay(record.eventId))._unsafeUnwrap();
      const settled = (
        await journal.count({ statuses: ["applied", "replayed", "noop", "partial_review"] })
      )._unsafeUnwrap();
      expect(settled).toBe(EVENTS);
      checkNoDuplicates(probe);
      expect(probe.list("contact")).toHaveLength(PEOPLE);
      expect(probe.list("company")).toHaveLength(PEOPLE);
      console.info(
        `[reliability ${_name}] ${deliveries.length} deliveries, ${probe.callCount()} CRM calls (${probe.callCount({ failed: true })} failed); ended ${JSON.stringify(counts)}; ${waiting.length} replayed after the storm`,
      );
    } finally {
      await close();
    }
  }, 120_000);
});
