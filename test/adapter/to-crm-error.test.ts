import { describe, expect, it } from "vitest";
import { defaultToCrmError } from "../../src/adapter/index.js";

const now = Date.parse("2026-01-01T00:00:00Z");
const request = { method: "GET", url: "https://api.example.test/x" };

describe("defaultToCrmError", () => {
  it("maps the status with reasonForStatus and keeps status, request id and the redacted body", () => {
    const error = defaultToCrmError("acme")({
      status: 422,
      headers: new Headers(),
      body: { message: "bad", access_token: "leak-me-please" },
      request,
      now,
      requestId: "r-1",
      secrets: [],
    });
    expect(error).toMatchObject({
      reason: "validation_failed",
      action: "review",
      provider: "acme",
      status: 422,
      requestId: "r-1",
    });
    expect(error.responseBody).toEqual({ message: "bad", access_token: "[REDACTED]" });
  });

  it("takes retryAfterMs from Retry-After, and from reset headers only on 429", () => {
    const map = defaultToCrmError("acme");
    const base = { body: "", request, now, secrets: [] };
    expect(map({ ...base, status: 503, headers: new Headers({ "retry-after": "9" }) }).retryAfterMs).toBe(
      9000,
    );
    expect(
      map({ ...base, status: 429, headers: new Headers({ "x-ratelimit-reset": "2" }) }).retryAfterMs,
    ).toBe(2000);
    expect(
      map({ ...base, status: 503, headers: new Headers({ "x-ratelimit-reset": "2" }) }).retryAfterMs,
    ).toBeUndefined();
  });

  it("scrubs the request's secrets from the body", () => {
    const error = defaultToCrmError("acme")({
      status: 500,
      headers: new Headers(),
      body: { echo: "token was abcdef-123456" },
      request,
      now,
      secrets: ["abcdef-123456"],
    });
    expect(JSON.stringify(error.toJSON())).not.toContain("abcdef-123456");
  });

  it("throws at construction without a provider", () => {
    expect(() => defaultToCrmError("")).toThrow(/`provider`/);
  });
});
