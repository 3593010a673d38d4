import { describe, expect, it } from "vitest";
import { createPipedriveAdapter, toPipedriveCrmError } from "../../../src/adapters/pipedrive/index.js";
import { createPipedriveEmulator } from "../../../src/testing/emulators/pipedrive/index.js";
import { createFakeClock } from "../../../src/testing/fake-clock.js";

// Every error body of vendor-facts §3.5 (and §3.1/§3.2), literally, through the adapter's mapping.

const map = toPipedriveCrmError();
const respond = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  map({
    status,
    body,
    headers: new Headers(headers),
    request: { method: "POST", url: "https://api.pipedrive.com/api/v2/persons" },
    now: Date.parse("2026-03-02T09:00:00.000Z"),
    secrets: ["secret-api-token"],
  });

const ERROR_INFO = "Please check developers.pipedrive.com for more information about Pipedrive API.";

describe("toPipedriveCrmError", () => {
  it("maps 401 unauthorized access to invalid_token (alert)", () => {
    const error = respond(401, {
      success: false,
      error: "unauthorized access",
      errorCode: 401,
      error_info: "Please check developers.pipedrive.com",
    });
    expect([error.reason, error.action, error.status, error.provider]).toEqual([
      "invalid_token",
      "alert",
      401,
      "pipedrive",
    ]);
  });

  it("maps 403 Scope and URL mismatch to missing_scope", () => {
    const error = respond(403, { success: false, error: "Scope and URL mismatch", errorCode: 403 });
    expect([error.reason, error.action]).toEqual(["missing_scope", "alert"]);
  });

  it("maps a 403 permission body to permission_denied, keeping feature-capping codes", () => {
    const body = {
      success: false,
      error: "You don't have permission to change this resource.",
      errorCode: 403,
    };
    expect(respond(403, body).reason).toBe("permission_denied");
    const capped = respond(403, { ...body, code: "feature_capping_deals_limit" });
    expect([capped.reason, capped.code]).toEqual(["permission_denied", "feature_capping_deals_limit"]);
  });

  it("maps a 403 Cloudflare HTML page to rate_limited with a long backoff instead of a permission problem", () => {
    const page = "<!DOCTYPE html>\n<html><head><title>Attention Required! | Cloudflare</title></head></html>";
    const error = respond(403, page, { "content-type": "text/html" });
    expect([error.reason, error.action, error.code, error.retryAfterMs]).toEqual([
      "rate_limited",
      "retry",
      "edge_block",
      60_000,
    ]);
  });

  it("maps 402 payment required to permission_denied", () => {
    expect(respond(402, { success: false, error: "Upgrade your plan", errorCode: 402 }).reason).toBe(
      "permission_denied",
    );
  });

  it("maps the v2 404 Entity was not found to not_found (review)", () => {
    const error = respond(404, {
      success: false,
      error: "Entity was not found",
      error_info: "Object was not found.",
      data: null,
      additional_data: null,
    });
    expect([error.reason, error.action]).toEqual(["not_found", "review"]);
  });

  it("maps 410 for a removed v1 endpoint to api_version_deprecated (alert)", () => {
    const error = respond(410, {
      success: false,
      error: "/v1/persons is no longer supported; use API v2",
      errorCode: 410,
      error_info: ERROR_INFO,
      data: null,
      additional_data: null,
    });
    expect([error.reason, error.action]).toEqual(["api_version_deprecated", "alert"]);
  });

  it("maps the spec's 400 validation example to missing_required_field naming the field", () => {
    const error = respond(400, {
      success: false,
      error: '"outcome" is required.',
      error_info: ERROR_INFO,
      data: null,
      additional_data: null,
    });
    expect([error.reason, error.action, error.fields]).toEqual([
      "missing_required_field",
      "review",
      ["outcome"],
    ]);
  });

  it("maps other 400 and 422 validation bodies to their most specific reason", () => {
    const body = (error: string) => ({
      success: false,
      error,
      error_info: ERROR_INFO,
      data: null,
      additional_data: null,
    });
    expect(
      respond(400, body("Inserting ID with POST request is not allowed. Use PATCH request instead.")).reason,
    ).toBe("invalid_property");
    expect(respond(400, body('"favourite" is not allowed')).fields).toEqual(["favourite"]);
    expect(
      respond(
        400,
        body('Invalid value for custom field "Lead source" (abc): 9 is not an option id of this field.'),
      ).reason,
    ).toBe("invalid_enum");
    expect(respond(400, body('"owner_id" refers to an inactive user')).reason).toBe("inactive_owner");
    expect(respond(422, body("Stage 9 does not belong to pipeline 2.")).reason).toBe("validation_failed");
  });

  it("maps the daily-budget 429 to quota_exhausted retryable after retry-after seconds", () => {
    const error = respond(
      429,
      { success: false, error: "daily request budget exceeded", errorCode: 429 },
      { "retry-after": "3939" },
    );
    expect([error.reason, error.action, error.code, error.retryAfterMs]).toEqual([
      "quota_exhausted",
      "retry",
      "daily_budget",
      3_939_000,
    ]);
  });

  it("maps a burst 429 to rate_limited after retry-after, else x-ratelimit-reset, else one 2-second window", () => {
    const body = { success: false, error: "Request over limit", errorCode: 429 };
    expect(respond(429, body, { "retry-after": "1" }).retryAfterMs).toBe(1_000);
    expect(respond(429, body, { "x-ratelimit-reset": "2" }).retryAfterMs).toBe(2_000);
    const bare = respond(429, body);
    expect([bare.reason, bare.code, bare.retryAfterMs]).toEqual(["rate_limited", "burst", 2_000]);
  });

  it("maps 5xx to server_error (retry) with retry-after when sent", () => {
    const body = { success: false, error: "Internal server error", errorCode: 500 };
    expect([respond(500, body).reason, respond(500, body).action]).toEqual(["server_error", "retry"]);
    expect(respond(503, body, { "retry-after": "5" }).retryAfterMs).toBe(5_000);
  });

  it("never puts the credential into the message or the serialised error", () => {
    const error = map({
      status: 400,
      body: { success: false, error: "bad api_token=secret-api-token" },
      headers: new Headers(),
      request: { method: "GET", url: "https://api.pipedrive.com/v1/users?api_token=secret-api-token" },
      now: 0,
      secrets: ["secret-api-token"],
    });
    expect(JSON.stringify(error.toJSON())).not.toContain("secret-api-token");
    expect(error.message).not.toContain("secret-api-token");
  });
});

describe("Pipedrive adapter errors over HTTP", () => {
  it("stops a write with quota_exhausted when the emulator's daily budget is spent, without a second attempt", async () => {
    const clock = createFakeClock({ start: "2026-03-02T09:00:00.000Z" });
    // 12 tokens: the person field list (10) fits, the create (5) does not.
    const emulator = createPipedriveEmulator({ clock, limits: { dailyTokens: 12 } });
    const adapter = createPipedriveAdapter({
      apiToken: "t",
      apiDomain: emulator.baseUrl,
      fetch: emulator.fetch,
      limiter: false,
      retry: false,
    });
    await expect(adapter.create("contact", { properties: { email: "a@example.com" } })).rejects.toMatchObject(
      {
        reason: "quota_exhausted",
        status: 429,
      },
    );
    expect(emulator.count({ method: "POST" })).toBe(1);
    expect(emulator.list("persons")).toHaveLength(0);
  });

  it("reports a 401 from Pipedrive as invalid_token without replaying an API-token request", async () => {
    const emulator = createPipedriveEmulator({ tokens: [{ token: "good" }] });
    const adapter = createPipedriveAdapter({
      apiToken: "bad",
      apiDomain: emulator.baseUrl,
      fetch: emulator.fetch,
      limiter: false,
    });
    await expect(adapter.listOwners()).rejects.toMatchObject({ reason: "invalid_token", action: "alert" });
    expect(emulator.requests).toHaveLength(1);
  });
});
