import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { createMemoryIdempotencyStore } from "../src/idempotency/index.js";
import { createPostgresIdempotencyStore } from "../src/postgres/index.js";
import { createRedisIdempotencyStore } from "../src/redis/idempotency-store.js";
import { hasPostgresServer, startPostgres } from "../test/helpers/postgres-server.js";
import { hasRedisServer, startRedis } from "../test/helpers/redis-server.js";
import {
  type BenchRow,
  type BenchSuite,
  measureConcurrentOps,
  measureOps,
  median,
  percentile,
} from "./harness.js";

const request = (scope: string, key: string) => ({
  scope,
  key,
  fingerprint: "fp",
  leaseMs: 30_000,
  ttlMs: 86_400_000,
});

async function memoryRows(): Promise<BenchRow[]> {
  // Steady state of a bounded store: at capacity, every new key evicts the oldest completed record.
  const store = createMemoryIdempotencyStore({ maxEntries: 50_000 });
  const scope = `bench:${randomUUID()}`;
  const result = { contactId: "101" };
  // The harness hands every round the same indices, so keys come from a counter of their own: every key is new,
  // and the warm-up fills the store to capacity first, so each measured round sees the steady state.
  let next = 0;
  const ours = await measureOps(
    async () => {
      const outcome = await store.acquire(request(scope, `k${next++}`));
      if (outcome.isOk() && outcome.value.kind === "acquired")
        await store.complete(outcome.value.lease, result);
    },
    { iterations: 100_000, rounds: 7, warmup: 60_000 },
  );
  // The raw anchor: a bare Map check-and-set (bounded by clearing), no leases, fencing, eviction order or validation.
  const raw = new Map<string, string>();
  let nextRaw = 0;
  const anchor = await measureOps(
    async () => {
      const key = `k${nextRaw++}`;
      if (!raw.has(key)) {
        if (raw.size >= 50_000) raw.clear();
        raw.set(key, JSON.stringify(result));
      }
    },
    { iterations: 100_000, rounds: 7, warmup: 60_000 },
  );
  await store.close();
  return [
    {
      name: "memory acquire+complete (new keys)",
      value: ours,
      unit: "ops/s",
      target: 500_000,
      anchor: { name: "Map has/set + JSON.stringify", value: anchor },
      note: "sequential, awaited ResultAsync; maxEntries 50k at capacity",
    },
  ];
}

async function redisRows(): Promise<BenchRow[]> {
  if (!hasRedisServer()) return [];
  const server = await startRedis();
  const clients = Array.from({ length: 50 }, () => new Redis(server.url));
  try {
    await Promise.all(clients.map((client) => client.ping()));
    const stores = clients.map((client) => createRedisIdempotencyStore({ client, prefix: "bench:" }));
    // The machine may be shared, so the store and its anchor take turns round by round and each figure is a
    // median: a burst of outside load then lands on both instead of on whichever ran during it.
    const once = { total: 40_000, concurrency: 50, rounds: 1 };
    const fresh: number[] = [];
    const duplicate: number[] = [];
    const anchor: number[] = [];
    for (let round = 0; round < 5; round++) {
      const scope = `bench:${randomUUID()}`;
      fresh.push(
        await measureConcurrentOps(async (i) => {
          await stores[i % 50]!.acquire(request(scope, `k${i}`));
        }, once),
      );
      // The same keys again: every record is now in progress, the answer a webhook redelivery gets.
      duplicate.push(
        await measureConcurrentOps(async (i) => {
          await stores[i % 50]!.acquire(request(scope, `k${i}`));
        }, once),
      );
      anchor.push(
        await measureConcurrentOps(async (i) => {
          await clients[i % 50]!.set(`raw:${scope}:k${i}`, "1", "PX", 86_400_000, "NX");
        }, once),
      );
    }
    const setNx = median(anchor);
    return [
      {
        name: "Redis acquire, 50 connections (new keys)",
        value: median(fresh),
        unit: "ops/s",
        target: 40_000,
        anchor: { name: "plain SET NX PX", value: setNx },
        note: "one EVALSHA per acquire, loopback redis-server; medians of 5 interleaved rounds",
      },
      {
        name: "Redis acquire, 50 connections (duplicates of in-progress keys)",
        value: median(duplicate),
        unit: "ops/s",
        anchor: { name: "plain SET NX PX", value: setNx },
        note: "answers in_progress with retryAfterMs; one EVALSHA, no write",
      },
    ];
  } finally {
    for (const client of clients) client.disconnect();
    await server.close();
  }
}

async function postgresRows(): Promise<BenchRow[]> {
  if (!hasPostgresServer()) return [];
  const server = await startPostgres();
  const pool = new pg.Pool({ connectionString: server.url, max: 8 });
  try {
    const store = createPostgresIdempotencyStore({ client: pool });
    (await store.migrate())._unsafeUnwrap();
    await pool.query("CREATE TABLE raw_insert (scope text, key text, PRIMARY KEY (scope, key))");
    const scope = `bench:${randomUUID()}`;
    const pair = async (i: number): Promise<void> => {
      const outcome = await store.acquire(request(scope, `k${i}`));
      if (outcome.isOk() && outcome.value.kind === "acquired")
        await store.complete(outcome.value.lease, { id: i });
    };
    const latencies: number[] = [];
    const rawLatencies: number[] = [];
    for (let i = 0; i < 2_500; i++) {
      const start = performance.now();
      await pair(i);
      if (i >= 500) latencies.push(performance.now() - start);
      const rawStart = performance.now();
      await pool.query("INSERT INTO raw_insert VALUES ($1, $2) ON CONFLICT DO NOTHING", [scope, `k${i}`]);
      if (i >= 500) rawLatencies.push(performance.now() - rawStart);
    }
    const eight = await measureConcurrentOps((i) => pair(100_000 + i), {
      total: 4_000,
      concurrency: 8,
      rounds: 3,
    });
    const rawEight = await measureConcurrentOps(
      (i) => pool.query("INSERT INTO raw_insert VALUES ($1, $2) ON CONFLICT DO NOTHING", [scope, `r${i}`]),
      { total: 4_000, concurrency: 8, rounds: 3 },
    );
    return [
      {
        name: "Postgres acquire+complete p50, 1 client",
        value: percentile(latencies, 50),
        unit: "ms",
        better: "lower",
        target: 2,
        anchor: { name: "plain INSERT p50", value: percentile(rawLatencies, 50) },
        note: `p99 ${percentile(latencies, 99).toFixed(2)} ms; 2 statements`,
      },
      {
        name: "Postgres acquire+complete, 8 clients",
        value: eight,
        unit: "ops/s",
        target: 2_000,
        anchor: { name: "plain INSERT, 8 clients", value: rawEight },
        note: "pg.Pool max 8, fsync off (test server)",
      },
    ];
  } finally {
    await pool.end();
    await server.close();
  }
}

/** Idempotency store throughput and latency beside each backend's raw baseline, measured in the same run. */
export const suite: BenchSuite = {
  title: "Idempotency stores",
  description:
    "Acquire (+ complete) on new keys for the memory store, a loopback `redis-server` (also duplicates of in-progress keys) and a PostgreSQL 15 server started for the run, each beside the backend's raw baseline (Map set / plain `SET NX` / plain `INSERT`).",
  async run() {
    // IDEMPOTENCY_BENCH_ROWS=memory (comma-separated: memory, redis, postgres) runs only those backends while
    // iterating on one store; unset, every row is produced.
    const only = process.env["IDEMPOTENCY_BENCH_ROWS"]?.split(",").map((name) => name.trim());
    const wanted = (backend: string): boolean => only === undefined || only.includes(backend);
    return [
      ...(wanted("memory") ? await memoryRows() : []),
      ...(wanted("redis") ? await redisRows() : []),
      ...(wanted("postgres") ? await postgresRows() : []),
    ];
  },
};
