import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { createTransport } from "../src/adapter/index.js";
import { createRateLimiter } from "../src/ratelimit/index.js";
import { type BenchRow, type BenchSuite, median } from "./harness.js";

// Per-call overhead of the transport (token, limiter acquire/observe/release, ky, body parsing, hooks) over a
// plain fetch of the same loopback endpoint, measured sequentially so the difference is latency, not throughput.
async function latencies(call: () => Promise<unknown>, iterations: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) await call();
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await call();
    out.push(performance.now() - start);
  }
  return out;
}

export const suite: BenchSuite = {
  title: "HTTP transport overhead",
  description:
    "Sequential GETs of a small JSON body from a node:http server on 127.0.0.1. The transport runs with a bearer " +
    "token, the memory rate limiter (a 10 s sliding window far above the load) and retries on; the anchor is " +
    "`fetch` + `response.json()` of the same URL in the same run. The target is research P15 (≤ 1 ms p50 SDK overhead).",
  async run(): Promise<BenchRow[]> {
    const body = JSON.stringify({ results: [{ id: "1", properties: { email: "ada@example.com" } }] });
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const limiter = createRateLimiter({
      policies: [{ id: "burst", kind: "sliding", limit: 1_000_000, windowMs: 10_000 }],
    });
    const transport = createTransport({
      provider: "bench",
      baseUrl: url,
      auth: { type: "bearer", token: "bench-token-123456" },
      limiter,
      scope: "bench:1",
    });
    const iterations = 2000;
    const rounds: Array<{ plain: number; viaTransport: number }> = [];
    try {
      for (let r = 0; r < 5; r++) {
        const plain = median(
          await latencies(async () => (await fetch(`${url}/contacts`)).json(), iterations),
        );
        const viaTransport = median(
          await latencies(async () => {
            const result = await transport.request({ method: "GET", path: "contacts" });
            if (result.isErr()) throw result.error;
          }, iterations),
        );
        rounds.push({ plain, viaTransport });
      }
    } finally {
      await limiter.close();
      server.close();
    }
    const plain = median(rounds.map((r) => r.plain));
    const viaTransport = median(rounds.map((r) => r.viaTransport));
    return [
      {
        name: "transport.request p50 latency",
        value: viaTransport,
        unit: "ms",
        better: "lower",
        anchor: { name: "plain fetch", value: plain },
        note: `${iterations} sequential calls × 5 rounds`,
      },
      {
        name: "transport overhead per call (p50 difference)",
        value: Math.max(0, viaTransport - plain),
        unit: "ms",
        better: "lower",
        target: 1,
      },
    ];
  },
};
