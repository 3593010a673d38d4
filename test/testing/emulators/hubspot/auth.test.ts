import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";
import { type Harness, start, TRANSPORTS_AND_VERSIONS } from "./helpers.js";

const oauth = {
  clientId: "client-1",
  clientSecret: "shh-client-secret",
  refreshTokens: ["na1-refresh-0001"],
};
const refreshForm = (refresh_token: string) => ({
  grant_type: "refresh_token",
  client_id: "client-1",
  client_secret: "shh-client-secret",
  refresh_token,
});

describe.each(TRANSPORTS_AND_VERSIONS)("HubSpot emulator auth over %s on %s", (transport, version) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("answers 401 INVALID_AUTHENTICATION without a token or with an unknown one", async () => {
    h = await start(transport, { tokens: [{ token: "pat-na1-good" }] }, version);
    for (const token of [null, "pat-na1-bad"]) {
      const res = await h.call("GET", "/crm/v3/objects/contacts", undefined, { token });
      expect(res.status).toBe(401);
      expect(res.body.category).toBe("INVALID_AUTHENTICATION");
      expect(res.body.message).toMatch(/^Authentication credentials not found\./);
    }
    expect(
      (await h.call("GET", "/crm/v3/objects/contacts", undefined, { token: "pat-na1-good" })).status,
    ).toBe(200);
  });

  it("answers 401 EXPIRED_AUTHENTICATION once a token's expiresAt has passed", async () => {
    const clock = createFakeClock({ start: "2026-03-10T23:04:00.000Z" });
    h = await start(
      transport,
      { clock, tokens: [{ token: "t1", expiresAt: "2026-03-10T23:04:41.164Z" }] },
      version,
    );
    expect((await h.call("GET", "/crm/v3/owners", undefined, { token: "t1" })).status).toBe(200);
    await clock.advance(46_000);
    const res = await h.call("GET", "/crm/v3/owners", undefined, { token: "t1" });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      status: "error",
      message: "The OAuth token used to make this call expired 4 second(s) ago.",
      category: "EXPIRED_AUTHENTICATION",
      context: { "expire time": ["2026-03-10T23:04:41.164Z"] },
    });
  });

  it("answers 403 MISSING_SCOPES naming the endpoint's required scope", async () => {
    h = await start(transport, { tokens: [{ token: "t1", scopes: ["crm.objects.contacts.read"] }] }, version);
    expect((await h.call("GET", "/crm/v3/objects/contacts", undefined, { token: "t1" })).status).toBe(200);
    const write = await h.call("POST", "/crm/v3/objects/contacts", { properties: {} }, { token: "t1" });
    expect(write.status).toBe(403);
    expect(write.body.category).toBe("MISSING_SCOPES");
    expect(write.body.errors[0].context.requiredScopes).toEqual(["crm.objects.contacts.write"]);
    const owners = await h.call("GET", "/crm/v3/owners", undefined, { token: "t1" });
    expect(owners.body.errors[0].context.requiredScopes).toEqual(["crm.objects.owners.read"]);
    const props = await h.call("GET", "/crm/v3/properties/deals", undefined, { token: "t1" });
    expect(props.body.errors[0].context.requiredScopes).toEqual(["crm.schemas.deals.read"]);
  });

  it("refreshes through /oauth/v3/token; issued tokens expire after tokenTtlMs", async () => {
    const clock = createFakeClock();
    h = await start(
      transport,
      {
        clock,
        oauth: { ...oauth, scopes: ["crm.objects.contacts.read", "oauth"] },
        portalId: 123456,
      },
      version,
    );
    const res = await h.call("POST", "/oauth/v3/token", refreshForm("na1-refresh-0001"), {
      token: null,
      form: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token_type: "bearer",
      refresh_token: "na1-refresh-0001",
      expires_in: 1800,
      hub_id: 123456,
      scopes: ["crm.objects.contacts.read", "oauth"],
    });
    const token = res.body.access_token as string;
    expect((await h.call("GET", "/crm/v3/objects/contacts", undefined, { token })).status).toBe(200);
    await clock.advance(1_800_000);
    expect((await h.call("GET", "/crm/v3/objects/contacts", undefined, { token })).body.category).toBe(
      "EXPIRED_AUTHENTICATION",
    );
    expect(JSON.stringify(h.emulator.requests)).not.toContain("shh-client-secret");
    expect(JSON.stringify(h.emulator.requests)).not.toContain(token);
  });

  it("rotates refresh tokens when asked and rejects the old one with BAD_REFRESH_TOKEN", async () => {
    h = await start(transport, { oauth: { ...oauth, rotate: true } }, version);
    const first = await h.call("POST", "/oauth/v1/token", refreshForm("na1-refresh-0001"), {
      token: null,
      form: true,
    });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual([
      "access_token",
      "expires_in",
      "refresh_token",
      "token_type",
    ]);
    expect(first.body.refresh_token).not.toBe("na1-refresh-0001");
    const replay = await h.call("POST", "/oauth/v3/token", refreshForm("na1-refresh-0001"), {
      token: null,
      form: true,
    });
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ status: "BAD_REFRESH_TOKEN", error: "invalid_grant" });
    const next = await h.call("POST", "/oauth/v3/token", refreshForm(first.body.refresh_token), {
      token: null,
      form: true,
    });
    expect(next.status).toBe(200);
  });

  it("rejects a wrong client secret", async () => {
    h = await start(transport, { oauth }, version);
    const res = await h.call(
      "POST",
      "/oauth/v3/token",
      { ...refreshForm("na1-refresh-0001"), client_secret: "nope" },
      { token: null, form: true },
    );
    expect(res.status).toBe(400);
    expect(res.body.status).toBe("BAD_CLIENT_SECRET");
  });
});
