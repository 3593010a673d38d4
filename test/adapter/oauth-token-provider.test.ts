import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createOAuthTokenProvider,
  type OAuthTokenProviderOptions,
  type OAuthTokens,
} from "../../src/adapter/index.js";
import { createFakeClock, type FakeClock } from "../../src/testing/fake-clock.js";
import { freePort } from "../helpers/free-port.js";
import { startHttpServer, type TestHttpServer } from "../helpers/http-server.js";

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

const SECRET = "client-secret-very-private";
const REFRESH = "refresh-token-original";

function provider(overrides: Partial<OAuthTokenProviderOptions> = {}) {
  return createOAuthTokenProvider({
    tokenUrl: `${server.url}/oauth/token`,
    clientId: "client-id-1",
    clientSecret: SECRET,
    refreshToken: REFRESH,
    provider: "acme",
    clock,
    ...overrides,
  });
}

describe("createOAuthTokenProvider", () => {
  it("refreshes on first use with the refresh_token grant and client credentials in the form body", async () => {
    server.route("POST", "/oauth/token", {
      json: { access_token: "at-1", token_type: "bearer", expires_in: 1800 },
    });
    const token = await provider({ extraParams: { redirect_uri: "https://app.test/cb" } }).getToken();
    expect(token).toEqual({ value: "at-1", scheme: "Bearer", expiresAt: clock.now() + 1_800_000 });
    expect(server.requests[0]?.parsed).toEqual({
      grant_type: "refresh_token",
      refresh_token: REFRESH,
      client_id: "client-id-1",
      client_secret: SECRET,
      redirect_uri: "https://app.test/cb",
    });
  });

  it("authenticates with HTTP Basic when clientAuth is basic (Pipedrive) and exposes api_domain", async () => {
    server.route("POST", "/oauth/token", {
      json: { access_token: "v1u:at", expires_in: 3599, api_domain: "https://acme.pipedrive.com" },
    });
    const tokens = provider({ clientAuth: "basic" });
    const token = await tokens.getToken();
    const request = server.requests[0];
    expect(request?.headers["authorization"]).toBe(
      `Basic ${Buffer.from(`client-id-1:${SECRET}`).toString("base64")}`,
    );
    expect(request?.parsed).toEqual({ grant_type: "refresh_token", refresh_token: REFRESH });
    expect(token.apiDomain).toBe("https://acme.pipedrive.com");
    expect(tokens.current()?.apiDomain).toBe("https://acme.pipedrive.com");
  });

  it("keeps the Salesforce instance_url, and keeps it when a later refresh omits it", async () => {
    server.route(
      "POST",
      "/oauth/token",
      {
        json: { access_token: "00D!a", instance_url: "https://acme.my.salesforce.com", token_type: "Bearer" },
      },
      { json: { access_token: "00D!b", token_type: "Bearer" } },
    );
    const tokens = provider();
    expect((await tokens.getToken()).instanceUrl).toBe("https://acme.my.salesforce.com");
    expect((await tokens.getToken()).value).toBe("00D!a");
    const second = await tokens.refresh();
    expect(second).toMatchObject({ value: "00D!b", instanceUrl: "https://acme.my.salesforce.com" });
    expect(second.expiresAt).toBeUndefined();
  });

  it("hands rotated refresh tokens to onTokens, awaits it, and uses the rotated token next time", async () => {
    server.route(
      "POST",
      "/oauth/token",
      { json: { access_token: "at-1", refresh_token: "rt-2", expires_in: 1800 } },
      { json: { access_token: "at-2", expires_in: 1800 } },
    );
    const saved: OAuthTokens[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tokens = provider({
      onTokens: async (t) => {
        saved.push(t);
        await gate;
      },
    });
    let resolved = false;
    const pending = tokens.getToken().then((t) => {
      resolved = true;
      return t;
    });
    while (saved.length === 0) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toBe(false);
    release();
    expect((await pending).value).toBe("at-1");
    expect(saved[0]).toMatchObject({ accessToken: "at-1", refreshToken: "rt-2", rotated: true });
    await tokens.refresh();
    expect(server.requests[1]?.parsed).toMatchObject({ refresh_token: "rt-2" });
    expect(saved[1]).toMatchObject({ accessToken: "at-2", refreshToken: "rt-2", rotated: false });
  });

  it("refreshes skewMs before expiry and not earlier", async () => {
    server.route(
      "POST",
      "/oauth/token",
      { json: { access_token: "at-1", expires_in: 3600 } },
      { json: { access_token: "at-2", expires_in: 3600 } },
    );
    const tokens = provider({ skewMs: 60_000 });
    expect((await tokens.getToken()).value).toBe("at-1");
    await clock.advance(3_600_000 - 60_001);
    expect((await tokens.getToken()).value).toBe("at-1");
    await clock.advance(1);
    expect((await tokens.getToken()).value).toBe("at-2");
    expect(server.requests).toHaveLength(2);
  });

  it("uses a stored access token until it nears its expiry", async () => {
    server.route("POST", "/oauth/token", { json: { access_token: "at-new", expires_in: 3600 } });
    const tokens = provider({ accessToken: "at-stored", expiresAt: clock.now() + 120_000 });
    expect((await tokens.getToken()).value).toBe("at-stored");
    await clock.advance(60_000);
    expect((await tokens.getToken()).value).toBe("at-new");
  });

  it("reads Zoho's legacy expires_in_sec (expires_in then being milliseconds)", async () => {
    server.route("POST", "/oauth/token", {
      json: {
        access_token: "1000.x",
        expires_in_sec: 3600,
        expires_in: 3_600_000,
        api_domain: "https://www.zohoapis.eu",
      },
    });
    const token = await provider().getToken();
    expect(token.expiresAt).toBe(clock.now() + 3_600_000);
    expect(token.apiDomain).toBe("https://www.zohoapis.eu");
  });

  it("makes one refresh call for 100 concurrent callers after an invalidate, and ignores stale invalidates", async () => {
    server.route(
      "POST",
      "/oauth/token",
      { json: { access_token: "at-1", expires_in: 1800 } },
      { delayMs: 30, json: { access_token: "at-2", expires_in: 1800 } },
    );
    const tokens = provider();
    const first = await tokens.getToken();
    tokens.invalidate(first);
    const all = await Promise.all(
      Array.from({ length: 100 }, () => {
        tokens.invalidate(first);
        return tokens.getToken();
      }),
    );
    expect(new Set(all.map((t) => t.value))).toEqual(new Set(["at-2"]));
    tokens.invalidate(first);
    expect(tokens.current()?.value).toBe("at-2");
    expect(server.requests).toHaveLength(2);
  });

  it("reports a rejected refresh as expired_token with action alert, provider named, and no secret", async () => {
    server.route("POST", "/oauth/token", {
      status: 400,
      json: {
        error: "invalid_grant",
        error_description: `refresh token ${REFRESH} is invalid`,
        refresh_token: REFRESH,
      },
    });
    const error = await provider()
      .getToken()
      .catch((e: unknown) => e as Error);
    expect(error).toMatchObject({
      reason: "expired_token",
      action: "alert",
      provider: "acme",
      status: 400,
      code: "invalid_grant",
    });
    const dump = `${JSON.stringify(error)}${inspect(error, { depth: 10 })}`;
    expect(dump).not.toContain(REFRESH);
    expect(dump).not.toContain(SECRET);
  });

  it("treats Zoho's HTTP 200 with an error field as a rejected refresh", async () => {
    server.route("POST", "/oauth/token", { json: { error: "invalid_code" } });
    await expect(provider().getToken()).rejects.toMatchObject({
      reason: "expired_token",
      action: "alert",
      code: "invalid_code",
    });
  });

  it("makes a failing or unreachable token endpoint retryable", async () => {
    server.route("POST", "/oauth/token", { status: 503, body: "down" });
    await expect(provider().getToken()).rejects.toMatchObject({
      reason: "server_error",
      action: "retry",
      status: 503,
    });
    const port = await freePort();
    await expect(
      provider({ tokenUrl: `http://127.0.0.1:${port}/oauth/token` }).getToken(),
    ).rejects.toMatchObject({
      reason: "network_error",
      action: "retry",
    });
  });

  it("fails the refresh with an alert when onTokens throws, but keeps the new token in use", async () => {
    server.route("POST", "/oauth/token", {
      json: { access_token: "at-1", refresh_token: "rt-2", expires_in: 1800 },
    });
    const tokens = provider({
      onTokens: () => {
        throw new Error("db down");
      },
    });
    await expect(tokens.getToken()).rejects.toMatchObject({ reason: "configuration_error", action: "alert" });
    expect((await tokens.getToken()).value).toBe("at-1");
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [{ tokenUrl: "oauth/token" }, "tokenUrl"],
    [{ clientId: "" }, "clientId"],
    [{ refreshToken: "" }, "refreshToken"],
    [{ clientAuth: "basic", clientSecret: undefined }, "clientSecret"],
    [{ skewMs: -1 }, "skewMs"],
  ] as Array<[Partial<OAuthTokenProviderOptions>, string]>)(
    "throws at construction naming the option (%j)",
    (o, name) => {
      expect(() => provider(o)).toThrow(new RegExp(`\`${name}\``));
    },
  );
});
