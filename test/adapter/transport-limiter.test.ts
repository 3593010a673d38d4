import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTransport } from "../../src/adapter/index.js";
import { createRateLimiter } from "../../src/ratelimit/index.js";
import { createFakeClock, type FakeClock } from "../../src/testing/fake-clock.js";
import { startHttpServer, type TestHttpServer } from "../helpers/http-server.js";
import { settle } from "./drive.js";

// The transport against the real limiter (memory store), not the recording one.
let server: TestHttpServer;
let clock: FakeClock;

beforeAll(async () => {
  server = await startHttpServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  clock = createFakeClock();
});

function setup() {
  const limiter = createRateLimiter({
    policies: [{ id: "burst", kind: "sliding", limit: 3, windowMs: 10_000 }],
    headroom: 1,
    clock,
  });
  const transport = createTransport({
    provider: "acme",
    baseUrl: server.url,
    limiter,
    scope: "acme:1",
    clock,
    retry: { random: () => 0 },
  });
  return { limiter, transport };
}

describe("createTransport with createRateLimiter", () => {
  it("holds the fourth call of a 3-per-10 s window until the window frees, and reports the wait", async () => {
    server.route("GET", "/x", { json: {} });
    const { limiter, transport } = setup();
    const start = clock.now();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await settle(transport.request({ method: "GET", path: "x" }), clock);
      waits.push(result._unsafeUnwrap().limiterWaitMs);
    }
    expect(server.requests).toHaveLength(4);
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThanOrEqual(10_000);
    expect(clock.now() - start).toBeGreaterThanOrEqual(10_000);
    await limiter.close();
  });

  it("sends no attempt before a 429's Retry-After, and cools the whole scope down for it", async () => {
    server.route("GET", "/limited", { status: 429, headers: { "retry-after": "5" } }, { json: {} });
    const { limiter, transport } = setup();
    const start = clock.now();
    const pending = transport.request({ method: "GET", path: "limited" });
    while (clock.pendingTimers() === 0) await new Promise((r) => setTimeout(r, 2));
    const paused = (await limiter.stats("acme:1"))._unsafeUnwrap();
    expect(paused.cooldownUntil).toBeGreaterThanOrEqual(start + 5000);
    const first = await settle(pending, clock);
    expect(first._unsafeUnwrap().attempts).toBe(2);
    expect(clock.now() - start).toBeGreaterThanOrEqual(5000);
    const stats = (await limiter.stats("acme:1"))._unsafeUnwrap();
    expect(stats.policies[0]?.used).toBe(2);
    await limiter.close();
  });
});
