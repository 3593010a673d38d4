import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";
import { type Harness, start, TRANSPORTS } from "./helpers.js";

const UNAUTHORIZED = {
  success: false,
  error: "unauthorized access",
  errorCode: 401,
  error_info: "Please check developers.pipedrive.com",
};
const basic = (id: string, secret: string) => Buffer.from(`${id}:${secret}`).toString("base64");

describe.each(TRANSPORTS)("Pipedrive emulator auth over %s", (transport) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("answers the literal 401 for missing, unknown and wrongly-placed credentials", async () => {
    h = await start(transport, { tokens: [{ token: "good" }, { token: "oauth-good", kind: "oauth" }] });
    const none = await h.call("GET", "/api/v2/persons", undefined, { auth: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual(UNAUTHORIZED);
    expect((await h.call("GET", "/api/v2/persons", undefined, { auth: { apiToken: "bad" } })).body).toEqual(
      UNAUTHORIZED,
    );
    expect((await h.call("GET", "/api/v2/persons", undefined, { auth: { bearer: "good" } })).status).toBe(
      401,
    );
    expect((await h.call("GET", "/api/v2/persons", undefined, { auth: { apiToken: "good" } })).status).toBe(
      200,
    );
    expect(
      (await h.call("GET", "/api/v2/persons", undefined, { auth: { bearer: "oauth-good" } })).status,
    ).toBe(200);
    expect((await h.call("GET", "/api/v2/nothing", undefined, { auth: null })).status).toBe(401);
  });

  it("accepts the legacy api_token query parameter on v1 only and redacts it in the log", async () => {
    h = await start(transport, { tokens: [{ token: "legacy-secret" }] });
    expect((await h.call("GET", "/v1/users?api_token=legacy-secret", undefined, { auth: null })).status).toBe(
      200,
    );
    expect(
      (await h.call("GET", "/api/v2/persons?api_token=legacy-secret", undefined, { auth: null })).status,
    ).toBe(401);
    expect(JSON.stringify(h.emulator.requests)).not.toContain("legacy-secret");
  });

  it("answers Scope and URL mismatch when an OAuth token lacks every scope of the route", async () => {
    h = await start(transport, { tokens: [{ token: "narrow", kind: "oauth", scopes: ["deals:read"] }] });
    const denied = await h.call("GET", "/api/v2/persons", undefined, { auth: { bearer: "narrow" } });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ success: false, error: "Scope and URL mismatch", errorCode: 403 });
    expect((await h.call("GET", "/api/v2/deals", undefined, { auth: { bearer: "narrow" } })).status).toBe(
      200,
    );
    expect(
      (await h.call("POST", "/api/v2/deals", { title: "x" }, { auth: { bearer: "narrow" } })).status,
    ).toBe(403);
    expect(h.emulator.tokensUsed()).toBe(10);
  });

  it("refreshes through POST /oauth/token with Basic client auth, rotating refresh tokens and expiring access", async () => {
    const clock = createFakeClock();
    h = await start(transport, {
      clock,
      oauth: {
        clientId: "cid",
        clientSecret: "csecret",
        refreshTokens: ["r0"],
        scopes: ["base", "contacts:full"],
        apiDomain: "https://acme.pipedrive.com",
      },
    });
    const form = { grant_type: "refresh_token", refresh_token: "r0" };
    const badClient = await h.call("POST", "/oauth/token", form, {
      auth: { basic: basic("cid", "nope") },
      form: true,
    });
    expect(badClient.status).toBe(401);
    const res = await h.call("POST", "/oauth/token", form, {
      auth: { basic: basic("cid", "csecret") },
      form: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token_type: "Bearer",
      expires_in: 3599,
      scope: "base,contacts:full",
      api_domain: "https://acme.pipedrive.com",
    });
    expect(res.body.refresh_token).not.toBe("r0");
    const reuse = await h.call("POST", "/oauth/token", form, {
      auth: { basic: basic("cid", "csecret") },
      form: true,
    });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe("invalid_grant");
    const bearer = { bearer: res.body.access_token as string };
    expect((await h.call("GET", "/api/v2/persons", undefined, { auth: bearer })).status).toBe(200);
    expect((await h.call("GET", "/api/v2/deals", undefined, { auth: bearer })).status).toBe(403);
    await clock.advance(3_599_000);
    expect((await h.call("GET", "/api/v2/persons", undefined, { auth: bearer })).body).toEqual(UNAUTHORIZED);
    const next = await h.call(
      "POST",
      "/oauth/token",
      { grant_type: "refresh_token", refresh_token: res.body.refresh_token },
      { auth: { basic: basic("cid", "csecret") }, form: true },
    );
    expect(next.status).toBe(200);
    expect(JSON.stringify(h.emulator.requests)).not.toContain("csecret");
  });

  it("acts as the token's user for owner defaults and /v1/users/me", async () => {
    h = await start(transport, {
      users: [
        { id: 1, name: "Admin", email: "admin@x.test", isAdmin: true },
        { id: 2, name: "Rep", email: "rep@x.test" },
      ],
      tokens: [{ token: "rep-token", userId: 2 }],
    });
    const auth = { apiToken: "rep-token" };
    expect((await h.call("GET", "/v1/users/me", undefined, { auth })).body.data).toMatchObject({
      id: 2,
      is_you: true,
      company_id: 7_654_321,
    });
    expect((await h.call("POST", "/api/v2/persons", { name: "P" }, { auth })).body.data.owner_id).toBe(2);
  });
});
