import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type AccessToken,
  createOAuthTokenProvider,
  createTransport,
  type RequestEvent,
  type ResponseEvent,
  type RetryEvent,
  staticToken,
  type TokenProvider,
  type TransportOptions,
} from "../../src/adapter/index.js";
import { createFakeClock, type FakeClock } from "../../src/testing/fake-clock.js";
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
    limiter,
    clock,
    retry: { random: () => 0 },
    ...overrides,
  });
}

/** A provider that hands out `token-1`, `token-2`, … and counts refreshes. */
function countingProvider(): TokenProvider & { refreshes: number } {
  let current: AccessToken | undefined;
  const provider = {
    refreshes: 0,
    async getToken() {
      if (current === undefined) {
        provider.refreshes++;
        current = { value: `access-token-${provider.refreshes}` };
      }
      return current;
    },
    invalidate(token: AccessToken) {
      if (current?.value === token.value) current = undefined;
    },
  };
  return provider;
}

describe("createTransport: auth headers", () => {
  it("sends Authorization: Bearer <token> for bearer auth", async () => {
    server.route("GET", "/me", { json: {} });
    await settle(
      transport({ auth: { type: "bearer", token: "pat-na1-abcdef" } }).request({ method: "GET", path: "me" }),
      clock,
    );
    expect(server.requests[0]?.headers["authorization"]).toBe("Bearer pat-na1-abcdef");
  });

  it("uses the configured scheme (Zoho-oauthtoken) over the token's", async () => {
    server.route("GET", "/me", { json: {} });
    const token = staticToken("1000.zoho.token", { scheme: "Bearer" });
    await settle(
      transport({ auth: { type: "bearer", token, scheme: "Zoho-oauthtoken" } }).request({
        method: "GET",
        path: "me",
      }),
      clock,
    );
    expect(server.requests[0]?.headers["authorization"]).toBe("Zoho-oauthtoken 1000.zoho.token");
  });

  it("sends the bare token in a custom header (Pipedrive x-api-token)", async () => {
    server.route("GET", "/v1/users/me", { json: {} });
    await settle(
      transport({ auth: { type: "header", name: "x-api-token", token: "pd-token-123" } }).request({
        method: "GET",
        path: "v1/users/me",
      }),
      clock,
    );
    expect(server.requests[0]?.headers["x-api-token"]).toBe("pd-token-123");
    expect(server.requests[0]?.headers["authorization"]).toBeUndefined();
  });

  it("resolves a baseUrl function with the current token (Salesforce instance_url)", async () => {
    server.route("GET", "/services/data/v66.0/limits", { json: { ok: true } });
    const provider: TokenProvider = {
      getToken: async () => ({ value: "00Dxx!token", instanceUrl: server.url }),
    };
    const result = await settle(
      transport({
        auth: { type: "bearer", token: provider },
        baseUrl: (token) => `${token?.instanceUrl}/services/data/v66.0`,
      }).request({ method: "GET", path: "/limits" }),
      clock,
    );
    expect(result._unsafeUnwrap().body).toEqual({ ok: true });
  });

  it("refuses to send credentials to an absolute URL on another origin", async () => {
    const result = await settle(
      transport({ auth: { type: "bearer", token: "secret-token-1" } }).request({
        method: "GET",
        path: "https://evil.example/steal",
      }),
      clock,
    );
    expect(result._unsafeUnwrapErr().reason).toBe("configuration_error");
    expect(server.requests).toHaveLength(0);
  });
});

describe("createTransport: 401 and token refresh", () => {
  it("invalidates, refreshes once and replays a 401 (also for POST, outside the retry budget)", async () => {
    server.route("POST", "/contacts", (req) =>
      req.headers["authorization"] === "Bearer access-token-2"
        ? { status: 201, json: { id: "7" } }
        : { status: 401 },
    );
    const provider = countingProvider();
    const result = await settle(
      transport({ auth: { type: "bearer", token: provider }, retry: false }).request({
        method: "POST",
        path: "contacts",
        json: {},
      }),
      clock,
    );
    expect(result._unsafeUnwrap().status).toBe(201);
    expect(result._unsafeUnwrap().attempts).toBe(2);
    expect(provider.refreshes).toBe(2);
    expect(server.requestsTo("/contacts").map((r) => r.headers["authorization"])).toEqual([
      "Bearer access-token-1",
      "Bearer access-token-2",
    ]);
    expect(limiter.acquires).toHaveLength(2);
  });

  it("reports expired_token with action alert when the refreshed token is rejected too", async () => {
    server.route("GET", "/contacts", { status: 401, json: { message: "expired" } });
    const provider = countingProvider();
    const result = await settle(
      transport({ auth: { type: "bearer", token: provider } }).request({ method: "GET", path: "contacts" }),
      clock,
    );
    expect(server.requestsTo("/contacts")).toHaveLength(2);
    expect(result._unsafeUnwrapErr().reason).toBe("expired_token");
    expect(result._unsafeUnwrapErr().action).toBe("alert");
  });

  it("reports a 401 with a static token once, without refreshing", async () => {
    server.route("GET", "/contacts", { status: 401 });
    const result = await settle(
      transport({ auth: { type: "bearer", token: "static-1234567" } }).request({
        method: "GET",
        path: "contacts",
      }),
      clock,
    );
    expect(server.requestsTo("/contacts")).toHaveLength(1);
    expect(result._unsafeUnwrapErr().reason).toBe("invalid_token");
    expect(result._unsafeUnwrapErr().action).toBe("alert");
  });

  it("turns 100 concurrent 401s into one refresh call with the OAuth provider", async () => {
    server.route("POST", "/oauth/token", {
      delayMs: 50,
      json: { access_token: "fresh-access-token", refresh_token: "rotated-refresh", expires_in: 1800 },
    });
    server.route("GET", "/deals", (req) =>
      req.headers["authorization"] === "Bearer fresh-access-token" ? { json: { ok: true } } : { status: 401 },
    );
    const saved: string[] = [];
    const tokens = createOAuthTokenProvider({
      tokenUrl: `${server.url}/oauth/token`,
      clientId: "client-1",
      clientSecret: "client-secret-xyz",
      refreshToken: "refresh-1",
      accessToken: "stale-access-token",
      clock,
      onTokens: (t) => {
        saved.push(t.refreshToken);
      },
    });
    const t = transport({ auth: { type: "bearer", token: tokens } });
    const results = await settle(
      Promise.all(Array.from({ length: 100 }, () => t.request({ method: "GET", path: "deals" }))),
      clock,
    );
    expect(results.every((r) => r.isOk())).toBe(true);
    expect(server.requestsTo("/oauth/token")).toHaveLength(1);
    expect(saved).toEqual(["rotated-refresh"]);
    const calls = server.requestsTo("/deals").length;
    expect(calls).toBeGreaterThanOrEqual(101);
    expect(calls).toBeLessThanOrEqual(200);
  });
});

describe("createTransport: secrets", () => {
  it("never puts the token in a hook event, a log line, or an error", async () => {
    const secret = "tok-SUPER-secret-123456";
    server.route("GET", "/echo", {
      status: 500,
      json: { message: `bad token ${secret}`, authorization: `Bearer ${secret}` },
    });
    server.route("GET", "/slow", { delayMs: 3000, json: {} });
    const events: Array<RequestEvent | ResponseEvent | RetryEvent> = [];
    const lines: unknown[] = [];
    const record =
      (level: string) =>
      (message: string, fields?: Record<string, unknown>): void => {
        lines.push({ level, message, fields });
      };
    const t = transport({
      auth: { type: "bearer", token: secret },
      retry: { retries: 1, random: () => 0 },
      timeoutMs: 100,
      hooks: {
        onRequest: (e) => events.push(e),
        onResponse: (e) => events.push(e),
        onRetry: (e) => events.push(e),
      },
      logger: { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") },
    });
    const echoed = await settle(
      t.request({ method: "GET", path: "echo", searchParams: { api_token: secret, q: secret } }),
      clock,
    );
    const timedOut = await settle(t.request({ method: "GET", path: "slow" }), clock);
    expect(server.requests.length).toBeGreaterThanOrEqual(4);
    expect(events.length).toBeGreaterThanOrEqual(8);
    expect(lines.length).toBeGreaterThan(0);
    const errors = [echoed._unsafeUnwrapErr(), timedOut._unsafeUnwrapErr()];
    const dumps = [
      JSON.stringify(events),
      JSON.stringify(lines),
      ...errors.map((e) => JSON.stringify(e.toJSON())),
      ...errors.map((e) => inspect(e, { depth: 10 })),
    ];
    for (const dump of dumps) expect(dump).not.toContain(secret);
    expect(errors[1]?.reason).toBe("network_timeout");
  });

  it("emits onRequest, onResponse and onRetry with method, redacted URL, status, attempt and durations", async () => {
    server.route(
      "GET",
      "/x",
      { status: 503, headers: { "x-request-id": "req-1" } },
      { json: {}, headers: { "x-request-id": "req-2" } },
    );
    const events: Array<[string, unknown]> = [];
    await settle(
      transport({
        hooks: {
          onRequest: (e) => events.push(["request", e]),
          onResponse: (e) => events.push(["response", e]),
          onRetry: (e) => events.push(["retry", e]),
        },
      }).request({ method: "get", path: "x", searchParams: { api_token: "abc123456" } }),
      clock,
    );
    const url = `${server.url}/x?api_token=[REDACTED]`;
    expect(events.map(([kind]) => kind)).toEqual(["request", "response", "retry", "request", "response"]);
    expect(events[1]?.[1]).toMatchObject({
      method: "GET",
      url,
      attempt: 1,
      status: 503,
      requestId: "req-1",
      reason: "server_error",
    });
    expect(events[2]?.[1]).toMatchObject({
      attempt: 1,
      status: 503,
      reason: "server_error",
      consumesRetry: true,
      delayMs: 0,
    });
    expect(events[4]?.[1]).toMatchObject({ attempt: 2, status: 200, requestId: "req-2", limiterWaitMs: 0 });
  });

  it("keeps a request alive when a hook throws", async () => {
    server.route("GET", "/x", { json: { ok: 1 } });
    const result = await settle(
      transport({
        hooks: {
          onRequest: () => {
            throw new Error("hook bug");
          },
        },
      }).request({ method: "GET", path: "x" }),
      clock,
    );
    expect(result._unsafeUnwrap().body).toEqual({ ok: 1 });
  });
});

describe("createTransport: bodies", () => {
  it("sends JSON and form bodies and query parameters", async () => {
    server.route("POST", "/json", { json: {} });
    server.route("POST", "/form", { json: {} });
    const t = transport();
    await settle(
      t.request({
        method: "POST",
        path: "json?fixed=1",
        searchParams: { a: [1, 2], skip: undefined },
        json: { name: "Ada" },
      }),
      clock,
    );
    await settle(t.request({ method: "POST", path: "form", form: { grant: "x", n: 2 } }), clock);
    const [json, form] = server.requests;
    expect(json?.url).toBe("/json?fixed=1&a=1&a=2");
    expect(json?.parsed).toEqual({ name: "Ada" });
    expect(json?.headers["content-type"]).toContain("application/json");
    expect(form?.parsed).toEqual({ grant: "x", n: "2" });
  });

  it("reads json, text and none, and exposes status, headers and request id", async () => {
    server.route("GET", "/j", { json: { a: 1 }, headers: { "x-hubspot-correlation-id": "corr-9" } });
    server.route("GET", "/t", { body: "plain" });
    server.route("DELETE", "/n", { status: 204 });
    const t = transport();
    const j = (await settle(t.request({ method: "GET", path: "j" }), clock))._unsafeUnwrap();
    const text = (
      await settle(t.request({ method: "GET", path: "t", expect: "text" }), clock)
    )._unsafeUnwrap();
    const none = (
      await settle(t.request({ method: "DELETE", path: "n", expect: "none" }), clock)
    )._unsafeUnwrap();
    expect(j).toMatchObject({ status: 200, body: { a: 1 }, requestId: "corr-9", attempts: 1 });
    expect(j.headers.get("content-type")).toBe("application/json");
    expect(text.body).toBe("plain");
    expect(none).toMatchObject({ status: 204, body: undefined });
  });

  it("returns unknown_response (alert) for a 2xx that is not the JSON it promised, without retrying", async () => {
    server.route("GET", "/html", { body: "<html>maintenance</html>" });
    const result = await settle(transport().request({ method: "GET", path: "html" }), clock);
    expect(result._unsafeUnwrapErr()).toMatchObject({
      reason: "unknown_response",
      action: "alert",
      status: 200,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("uses the adapter's toCrmError for error responses", async () => {
    server.route("POST", "/x", {
      status: 400,
      json: { category: "VALIDATION_ERROR", message: "Property values were not valid" },
    });
    const { CrmError } = await import("../../src/errors/index.js");
    const result = await settle(
      transport({
        toCrmError: (r) =>
          new CrmError({
            reason: "invalid_property",
            provider: "acme",
            status: r.status,
            code: (r.body as { category: string }).category,
          }),
      }).request({ method: "POST", path: "x", json: {} }),
      clock,
    );
    expect(result._unsafeUnwrapErr()).toMatchObject({
      reason: "invalid_property",
      action: "review",
      code: "VALIDATION_ERROR",
    });
  });
});

describe("createTransport: configuration", () => {
  it.each([
    [{ provider: "" }, "provider"],
    [{ baseUrl: "api.example.com" }, "baseUrl"],
    [{ timeoutMs: 0 }, "timeoutMs"],
    [{ retry: { retries: -1 } }, "retry.retries"],
    [{ retry: { retries: 1.5 } }, "retry.retries"],
    [{ retry: { minDelayMs: 10, maxDelayMs: 5 } }, "retry.maxDelayMs"],
    [{ retry: { maxRetryTimeMs: Number.POSITIVE_INFINITY } }, "retry.maxRetryTimeMs"],
    [{ auth: { type: "bearer", token: "" } }, "auth.token"],
    [{ auth: { type: "header", name: "bad header", token: "x" } }, "auth.name"],
    [{ auth: { type: "basic" } }, "auth.type"],
  ] as Array<[Partial<TransportOptions>, string]>)(
    "throws at construction naming the option (%j)",
    (overrides, name) => {
      expect(() => transport(overrides)).toThrow(new RegExp(`\`${name.replace(".", "\\.")}\``));
    },
  );
});
