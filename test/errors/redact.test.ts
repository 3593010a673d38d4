import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, redact, redactHeaders, redactString, redactUrl } from "../../src/errors/index.js";

describe("redactString", () => {
  it("removes bearer, basic and Zoho tokens but keeps the scheme", () => {
    expect(redactString("Authorization: Bearer pat-na1-abc.def")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactString("basic dXNlcjpwYXNz")).toBe(`basic ${REDACTED}`);
    expect(redactString("Zoho-oauthtoken 1000.aaaa.bbbb")).toBe(`Zoho-oauthtoken ${REDACTED}`);
  });

  it("removes secret query parameters and form fields", () => {
    expect(redactUrl("https://x.pipedrive.com/v1/deals?api_token=t0k3n&limit=5")).toBe(
      `https://x.pipedrive.com/v1/deals?api_token=${REDACTED}&limit=5`,
    );
    expect(redactUrl("https://api.hubapi.com/contacts/v1?hapikey=abc")).toBe(
      `https://api.hubapi.com/contacts/v1?hapikey=${REDACTED}`,
    );
    expect(redactString("grant_type=refresh_token&client_secret=s3cr3t&refresh_token=r1")).toBe(
      `grant_type=refresh_token&client_secret=${REDACTED}&refresh_token=${REDACTED}`,
    );
  });

  it("removes exact secret values passed in options wherever they appear", () => {
    const token = "CJ0aB1c2D3e4F5";
    expect(redactString(`token ${token} was rejected (${token})`, { secrets: [token] })).toBe(
      `token ${REDACTED} was rejected (${REDACTED})`,
    );
  });

  it("ignores very short secrets so ordinary words survive", () => {
    expect(redactString("a tiny secret", { secrets: ["a"] })).toBe("a tiny secret");
  });
});

describe("redactHeaders", () => {
  it("redacts credential headers case-insensitively and keeps the rest", () => {
    const headers = new Headers({
      Authorization: "Bearer abc123",
      "X-Api-Token": "pd-token",
      "content-type": "application/json",
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: REDACTED,
      "x-api-token": REDACTED,
      "content-type": "application/json",
    });
    expect(redactHeaders({ cookie: "sid=1", accept: "*/*" })).toEqual({ cookie: REDACTED, accept: "*/*" });
  });
});

describe("redact", () => {
  it("redacts nested secret keys in any spelling", () => {
    const out = redact({
      request: { headers: { Authorization: "Bearer x", "x-api-token": "y" } },
      body: { refresh_token: "r", client_secret: "c", accessToken: "a", hapikey: "h", name: "Ann" },
      list: [{ api_token: "z" }],
    });
    expect(out).toEqual({
      request: { headers: { Authorization: REDACTED, "x-api-token": REDACTED } },
      body: {
        refresh_token: REDACTED,
        client_secret: REDACTED,
        accessToken: REDACTED,
        hapikey: REDACTED,
        name: "Ann",
      },
      list: [{ api_token: REDACTED }],
    });
  });

  it("does not mutate its input", () => {
    const input = { authorization: "Bearer x" };
    redact(input);
    expect(input.authorization).toBe("Bearer x");
  });

  it("handles cycles, errors, dates and depth limits", () => {
    const cyclic: Record<string, unknown> = { name: "a" };
    cyclic["self"] = cyclic;
    expect(redact(cyclic)).toEqual({ name: "a", self: "[Circular]" });
    expect(redact(new Error("Bearer abc failed"))).toEqual({
      name: "Error",
      message: `Bearer ${REDACTED} failed`,
    });
    const date = new Date(0);
    expect(redact({ at: date })).toEqual({ at: date });
    expect(redact({ a: { b: { c: 1 } } }, { maxDepth: 2 })).toEqual({ a: { b: "[Truncated]" } });
  });

  it("keeps a __proto__ key as data instead of changing the copy's prototype", () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as object;
    const out = redact(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
  });

  it("never lets a known secret value through, whatever the surrounding structure (property)", () => {
    const secret = "sk_live_0123456789abcdef";
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, prefix) => {
        const out = JSON.stringify(
          redact({ value, note: `${prefix}${secret}${prefix}` }, { secrets: [secret] }),
        );
        return !out.includes(secret);
      }),
    );
  });
});
