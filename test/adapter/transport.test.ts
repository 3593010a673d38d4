import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTransport, type TransportOptions } from "../../src/adapter/index.js";
import { CrmError } from "../../src/errors/index.js";
import { createFakeClock, type FakeClock } from "../../src/testing/fake-clock.js";
import { freePort } from "../helpers/free-port.js";
import { startHttpServer, type TestHttpServer } from "../helpers/http-server.js";
import { settle } from "./drive.js";
import { createRecordingLimiter, type RecordingLimiter } from "./recording-limiter.js";

let server: TestHttpServer;
let clock: FakeClock;
let limiter: RecordingLimiter;

beforeAll(async () => {
  server = await startHttpServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  clock = createFakeClock();
  limiter = createRecordingLimiter(clock);
});

function transport(overrides: Partial<TransportOptions> = {}) {
  return createTransport({
    provider: "acme",
    baseUrl: server.url,
    auth: { type: "bearer", token: "static-token-value" },
    limiter,
    scope: "acme:tenant-1",
    clock,
    retry: { random: () => 0.5 },
    ...overrides,
  });
}

describe("createTransport: attempt counts", () => {
  it("sends exactly retries + 1 requests on a persistent 503 (ky adds none)", async () => {
    server.route("GET", "/contacts", { status: 503, json: { message: "unavailable" } });
    const result = await settle(
      transport({ retry: { retries: 3, random: () => 0.5 } }).request({ method: "GET", path: "contacts" }),
      clock,
    );
    expect(server.requestsTo("/contacts")).toHaveLength(4);
    expect(result.isErr() && result.error.reason).toBe("server_error");
    expect(result.isErr() && result.error.status).toBe(503);
  });

  it("sends one request when retry is false", async () => {
    server.route("GET", "/contacts", { status: 503 });
    const result = await settle(
      transport({ retry: false }).request({ method: "GET", path: "contacts" }),
      clock,
    );
    expect(server.requestsTo("/contacts")).toHaveLength(1);
    expect(result.isErr()).toBe(true);
  });

  it.each([400, 401, 404, 422])("makes one call and returns a typed Err for HTTP %i", async (status) => {
    server.route("POST", "/contacts", { status, json: { message: "nope" } });
    server.route("GET", "/contacts", { status, json: { message: "nope" } });
    const t = transport();
    const get = await settle(t.request({ method: "GET", path: "contacts" }), clock);
    const post = await settle(t.request({ method: "POST", path: "contacts", json: { a: 1 } }), clock);
    expect(server.requestsTo("/contacts", "GET")).toHaveLength(1);
    expect(server.requestsTo("/contacts", "POST")).toHaveLength(1);
    for (const result of [get, post]) {
      expect(result.isErr()).toBe(true);
      const error = result._unsafeUnwrapErr();
      expect(error).toBeInstanceOf(CrmError);
      expect(error.status).toBe(status);
      expect(error.provider).toBe("acme");
      expect(error.action).not.toBe("retry");
    }
  });

  it("re-acquires the limiter for every attempt with the request's cost and tags, and releases each permit", async () => {
    server.route("POST", "/search", { status: 502 }, { status: 500 }, { json: { results: [1] } });
    const result = await settle(
      transport().request<{ results: number[] }>({
        method: "POST",
        path: "search",
        json: { q: "x" },
        idempotent: true,
        cost: 20,
        tags: ["search"],
      }),
      clock,
    );
    expect(result._unsafeUnwrap().body).toEqual({ results: [1] });
    expect(result._unsafeUnwrap().attempts).toBe(3);
    expect(limiter.acquires).toHaveLength(3);
    for (const acquire of limiter.acquires) {
      expect(acquire.scope).toBe("acme:tenant-1");
      expect(acquire.options?.cost).toBe(20);
      expect(acquire.options?.tags).toEqual(["search"]);
    }
    expect(limiter.releases).toBe(3);
  });

  it("feeds every response, success or error, to limiter.observe with status, headers, error body and tags", async () => {
    server.route(
      "GET",
      "/deals",
      {
        status: 429,
        headers: { "x-ratelimit-remaining": "0", "retry-after": "1" },
        json: { error: "slow down" },
      },
      { json: { ok: true }, headers: { "x-ratelimit-remaining": "9" } },
    );
    await settle(transport().request({ method: "GET", path: "deals", tags: ["list"] }), clock);
    expect(limiter.observed.map((o) => o.response.status)).toEqual([429, 200]);
    const [first, second] = limiter.observed;
    expect((first!.response.headers as Headers).get("x-ratelimit-remaining")).toBe("0");
    expect(first!.response.body).toEqual({ error: "slow down" });
    expect(first!.response.tags).toEqual(["list"]);
    expect((second!.response.headers as Headers).get("x-ratelimit-remaining")).toBe("9");
  });
});

describe("createTransport: waits", () => {
  it("starts no attempt before a Retry-After given in seconds", async () => {
    server.route("GET", "/owners", { status: 503, headers: { "retry-after": "7" } }, { json: [] });
    const result = await settle(
      transport({ retry: { random: () => 0 } }).request({ method: "GET", path: "owners" }),
      clock,
    );
    expect(result.isOk()).toBe(true);
    const [first, second] = limiter.acquires;
    expect(second!.at - first!.at).toBe(7000);
  });

  it("starts no attempt before a Retry-After given as an HTTP date, and cools the limiter down for it", async () => {
    const retryAt = new Date(clock.now() + 30_000).toUTCString();
    server.route("GET", "/owners", { status: 429, headers: { "retry-after": retryAt } }, { json: [] });
    const result = await settle(
      transport({ retry: { random: () => 0 } }).request({ method: "GET", path: "owners" }),
      clock,
    );
    expect(result.isOk()).toBe(true);
    expect(limiter.acquires[1]!.at - limiter.acquires[0]!.at).toBe(30_000);
    expect(limiter.cooldowns).toEqual([{ scope: "acme:tenant-1", ms: 30_000, at: limiter.acquires[0]!.at }]);
  });

  it("waits at least the backoff floor and at most maxDelayMs between attempts (full jitter)", async () => {
    server.route("GET", "/x", { status: 500 });
    const random = [0.99, 0.99, 0.99, 0.99];
    await settle(
      transport({
        retry: { retries: 4, minDelayMs: 1000, maxDelayMs: 3000, random: () => random.shift() ?? 0 },
      }).request({
        method: "GET",
        path: "x",
      }),
      clock,
    );
    const gaps = limiter.acquires.slice(1).map((a, i) => a.at - limiter.acquires[i]!.at);
    // caps: min(3000, 1000·2^n) → 1000, 2000, 3000, 3000; the waits are 0.99 of them, floored.
    expect(gaps).toEqual([990, 1980, 2970, 2970]);
  });

  it("does not count rate-limit waits against the retry budget", async () => {
    server.route(
      "GET",
      "/x",
      { status: 429, headers: { "retry-after": "1" } },
      { status: 429, headers: { "retry-after": "1" } },
      { status: 429, headers: { "retry-after": "1" } },
      { status: 503 },
    );
    const result = await settle(
      transport({ retry: { retries: 1, random: () => 0 } }).request({ method: "GET", path: "x" }),
      clock,
    );
    // three free 429 waits, then one 503 retried (the whole budget), then the second 503 ends it
    expect(server.requestsTo("/x")).toHaveLength(5);
    expect(result._unsafeUnwrapErr().reason).toBe("server_error");
  });

  it("respects maxRetryTimeMs: no wait that would end after it is started", async () => {
    server.route("GET", "/x", { status: 429, headers: { "retry-after": "4" } });
    const result = await settle(
      transport({ retry: { maxRetryTimeMs: 10_000, random: () => 0 } }).request({ method: "GET", path: "x" }),
      clock,
    );
    expect(limiter.acquires.map((a) => a.at - limiter.acquires[0]!.at)).toEqual([0, 4000, 8000]);
    expect(server.requestsTo("/x")).toHaveLength(3);
    expect(result._unsafeUnwrapErr().reason).toBe("rate_limited");
    expect(result._unsafeUnwrapErr().retryAfterMs).toBe(4000);
  });

  it("bounds the limiter's wait by the remaining retry time", async () => {
    server.route("GET", "/x", { status: 500 }, { json: {} });
    await settle(
      transport({ retry: { maxRetryTimeMs: 5000, minDelayMs: 1000, random: () => 1 - 1e-9 } }).request({
        method: "GET",
        path: "x",
      }),
      clock,
    );
    expect(limiter.acquires[0]?.options?.maxWaitMs).toBe(5000);
    expect(limiter.acquires[1]?.options?.maxWaitMs).toBe(5000 - 999);
  });

  it("retries a limiter rejection without sending, even for POST", async () => {
    limiter.failNextAcquire(new CrmError({ reason: "rate_limited", provider: "acme", retryAfterMs: 1500 }));
    server.route("POST", "/notes", { status: 201, json: { id: "n1" } });
    const result = await settle(
      transport({ retry: { random: () => 0 } }).request({ method: "POST", path: "notes", json: {} }),
      clock,
    );
    expect(result._unsafeUnwrap().body).toEqual({ id: "n1" });
    expect(server.requestsTo("/notes")).toHaveLength(1);
    expect(limiter.acquires[1]!.at - limiter.acquires[0]!.at).toBe(1500);
  });

  it("reports the limiter's wait per attempt and in total", async () => {
    limiter.reportWait(250);
    server.route("GET", "/x", { status: 500 }, { json: {} });
    const result = await settle(transport().request({ method: "GET", path: "x" }), clock);
    expect(result._unsafeUnwrap().limiterWaitMs).toBe(500);
  });

  it("stops at once, with reason aborted, when the caller aborts during a retry wait", async () => {
    server.route("GET", "/x", { status: 503, headers: { "retry-after": "60" } });
    const controller = new AbortController();
    const pending = transport().request({ method: "GET", path: "x", signal: controller.signal });
    while (clock.pendingTimers() === 0) await new Promise((r) => setTimeout(r, 2));
    controller.abort();
    const result = await pending;
    expect(result._unsafeUnwrapErr().reason).toBe("aborted");
    expect(server.requestsTo("/x")).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe("createTransport: idempotency rule", () => {
  it("does not retry a POST after a 5xx", async () => {
    server.route("POST", "/contacts", { status: 503 });
    const result = await settle(transport().request({ method: "POST", path: "contacts", json: {} }), clock);
    expect(server.requestsTo("/contacts")).toHaveLength(1);
    expect(result._unsafeUnwrapErr().reason).toBe("server_error");
  });

  it("retries a POST after a 5xx when the request is marked idempotent", async () => {
    server.route("POST", "/contacts", { status: 503 }, { status: 201, json: { id: "1" } });
    const result = await settle(
      transport().request({ method: "POST", path: "contacts", json: {}, idempotent: true }),
      clock,
    );
    expect(result._unsafeUnwrap().status).toBe(201);
    expect(server.requestsTo("/contacts")).toHaveLength(2);
  });

  it("retries a POST after a 429, which the vendor did not process", async () => {
    server.route("PATCH", "/contacts/1", { status: 429 }, { json: { id: "1" } });
    const result = await settle(
      transport().request({ method: "PATCH", path: "contacts/1", json: {} }),
      clock,
    );
    expect(result.isOk()).toBe(true);
    expect(server.requestsTo("/contacts/1")).toHaveLength(2);
  });

  it("retries a POST whose connection was refused, and reports network_error when it never connects", async () => {
    const port = await freePort();
    const result = await settle(
      transport({ baseUrl: `http://127.0.0.1:${port}`, retry: { retries: 2, random: () => 0 } }).request({
        method: "POST",
        path: "contacts",
        json: {},
      }),
      clock,
    );
    expect(limiter.acquires).toHaveLength(3);
    expect(result._unsafeUnwrapErr().reason).toBe("network_error");
    expect(result._unsafeUnwrapErr().code).toBe("ECONNREFUSED");
  });

  it("retries a GET that timed out but not a POST", async () => {
    server.route("*", "/slow", { delayMs: 3000, json: {} });
    const t = transport({ timeoutMs: 100, retry: { retries: 1, random: () => 0 } });
    const get = await settle(t.request({ method: "GET", path: "slow" }), clock);
    const post = await settle(t.request({ method: "POST", path: "slow", json: {} }), clock);
    expect(get._unsafeUnwrapErr().reason).toBe("network_timeout");
    expect(post._unsafeUnwrapErr().reason).toBe("network_timeout");
    expect(server.requestsTo("/slow", "GET")).toHaveLength(2);
    expect(server.requestsTo("/slow", "POST")).toHaveLength(1);
  });
});
