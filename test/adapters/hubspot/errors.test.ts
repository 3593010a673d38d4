import { describe, expect, it } from "vitest";
import type { ErrorResponse } from "../../../src/adapter/index.js";
import { hubSpotItemError, toHubSpotCrmError } from "../../../src/adapters/hubspot/errors.js";

// Each case feeds the literal body from vendor-facts §1.1, §1.2 and §1.5.
const NOW = Date.parse("2026-03-10T22:00:00.000Z");
const map = toHubSpotCrmError({ timeZone: "America/New_York" });

function response(status: number, body: unknown, headers: Record<string, string> = {}): ErrorResponse {
  return {
    status,
    headers: new Headers(headers),
    body,
    request: { method: "POST", url: "https://api.hubapi.com/crm/v3/objects/contacts" },
    now: NOW,
    secrets: ["pat-na1-secret-token"],
  };
}

describe("toHubSpotCrmError", () => {
  it("maps VALIDATION_ERROR with PROPERTY_DOESNT_EXIST to invalid_property naming the property", () => {
    const body = {
      status: "error",
      message:
        'Property values were not valid: [{"isValid":false,"message":"Property \\"foo\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"foo"}]',
      correlationId: "c-1",
      category: "VALIDATION_ERROR",
    };
    const error = map(response(400, body));
    expect([error.reason, error.action, error.fields, error.code]).toEqual([
      "invalid_property",
      "review",
      ["foo"],
      "VALIDATION_ERROR",
    ]);
    expect(error.requestId).toBe("c-1");
  });

  it("maps VALIDATION_ERROR with INVALID_OPTION to invalid_enum", () => {
    const body = {
      status: "error",
      message:
        'Property values were not valid: [{"isValid":false,"message":"reports was not one of the allowed options: [label: \\"Billing\\" value: \\"BILLING_ISSUE\\"]","error":"INVALID_OPTION","name":"hs_ticket_category"}]',
      correlationId: "c-2",
      category: "VALIDATION_ERROR",
    };
    const error = map(response(400, body));
    expect([error.reason, error.fields]).toEqual(["invalid_enum", ["hs_ticket_category"]]);
  });

  it("maps the generic VALIDATION_ERROR with errors[].code INVALID_INTEGER to validation_failed with the field", () => {
    const body = {
      status: "error",
      message: "This will be a human readable message with details about the error.",
      errors: [
        {
          message: "discount was not a valid number",
          code: "INVALID_INTEGER",
          context: { propertyName: ["discount"] },
        },
      ],
      category: "VALIDATION_ERROR",
      correlationId: "a43683b0-5717-4ceb-80b4-104d02915d8c",
    };
    const error = map(response(400, body));
    expect([error.reason, error.action, error.fields]).toEqual(["validation_failed", "review", ["discount"]]);
  });

  it("maps a 409 CONFLICT to duplicate_conflict carrying the existing id", () => {
    const body = {
      status: "error",
      message: "Contact already exists. Existing ID: 37765128953",
      correlationId: "2dea5219-07f2-40ce-82ec-9c2e302317a4",
      category: "CONFLICT",
    };
    const error = map(response(409, body));
    expect([error.reason, error.action, error.existingId]).toEqual([
      "duplicate_conflict",
      "review",
      "37765128953",
    ]);
  });

  it("maps a 404 OBJECT_NOT_FOUND to not_found", () => {
    const error = map(
      response(404, {
        status: "error",
        message: "Object not found.",
        correlationId: "c",
        category: "OBJECT_NOT_FOUND",
      }),
    );
    expect([error.reason, error.action]).toEqual(["not_found", "review"]);
  });

  it("maps a 401 EXPIRED_AUTHENTICATION to expired_token and INVALID_AUTHENTICATION to invalid_token", () => {
    const expired = map(
      response(401, {
        status: "error",
        message: "The OAuth token used to make this call expired 0 second(s) ago.",
        correlationId: "4f6b",
        category: "EXPIRED_AUTHENTICATION",
        context: { "expire time": ["2026-03-10T23:04:41.164Z"] },
      }),
    );
    const invalid = map(
      response(401, {
        status: "error",
        message: "Authentication credentials not found. This API supports OAuth 2.0 authentication",
        correlationId: "x",
        category: "INVALID_AUTHENTICATION",
      }),
    );
    expect([expired.reason, expired.action, invalid.reason, invalid.action]).toEqual([
      "expired_token",
      "alert",
      "invalid_token",
      "alert",
    ]);
  });

  it("maps a 403 MISSING_SCOPES to missing_scope and names the required scopes", () => {
    const error = map(
      response(403, {
        status: "error",
        message: "This app hasn't been granted all required scopes to make this call.",
        correlationId: "x",
        errors: [
          {
            message: "One or more of the following scopes are required.",
            context: { requiredScopes: ["crm.objects.owners.read"] },
          },
        ],
        links: { scopes: "https://developers.hubspot.com/scopes" },
        category: "MISSING_SCOPES",
      }),
    );
    expect([error.reason, error.action]).toEqual(["missing_scope", "alert"]);
    expect(error.message).toContain("crm.objects.owners.read");
  });

  it("maps a DAILY 429 to quota_exhausted retryable at the next midnight in the account's time zone", () => {
    const error = map(
      response(429, {
        status: "error",
        message: "You have reached your daily limit.",
        errorType: "RATE_LIMIT",
        correlationId: "c033cdaa-2c40-4a64-ae48-b4cec88dad24",
        policyName: "DAILY",
        requestId: "3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd",
      }),
    );
    // 22:00 UTC on 10 March is 18:00 in New York (EDT since 8 March): midnight is 6 hours away.
    expect([error.reason, error.action, error.code, error.retryAfterMs]).toEqual([
      "quota_exhausted",
      "retry",
      "DAILY",
      6 * 3_600_000,
    ]);
  });

  it("maps a TEN_SECONDLY_ROLLING 429 to rate_limited for the interval header", () => {
    const body = {
      status: "error",
      message: "You have reached your ten_secondly_rolling limit.",
      errorType: "RATE_LIMIT",
      correlationId: "c",
      policyName: "TEN_SECONDLY_ROLLING",
      groupName: "publicapi:hapikey-api-calls-ten-secondly:6748263",
    };
    expect(
      map(response(429, body, { "X-HubSpot-RateLimit-Interval-Milliseconds": "10000" })).retryAfterMs,
    ).toBe(10_000);
    const error = map(response(429, body));
    expect([error.reason, error.action, error.retryAfterMs]).toEqual(["rate_limited", "retry", 10_000]);
  });

  it("maps the search API's secondly 429 to rate_limited for one second", () => {
    const error = map(
      response(429, {
        status: "error",
        message: "You have reached your secondly limit.",
        errorType: "RATE_LIMIT",
        correlationId: "c",
      }),
    );
    expect([error.reason, error.retryAfterMs]).toEqual(["rate_limited", 1_000]);
  });

  it("maps 423 to locked for at least 2 seconds and 477 to locked for its Retry-After", () => {
    const locked = map(
      response(423, { status: "error", message: "locked", correlationId: "c", category: "LOCKED" }),
    );
    const migrating = map(
      response(
        477,
        { status: "error", message: "Migration in progress.", correlationId: "c" },
        { "Retry-After": "120" },
      ),
    );
    expect([locked.reason, locked.action, locked.retryAfterMs]).toEqual(["locked", "retry", 2_000]);
    expect([migrating.reason, migrating.action, migrating.retryAfterMs]).toEqual([
      "locked",
      "retry",
      120_000,
    ]);
  });

  it.each([500, 502, 503, 504, 521, 523, 524])("maps HTTP %i to a retryable server_error", (status) => {
    const error = map(response(status, { status: "error", message: "internal error", correlationId: "c" }));
    expect([error.reason, error.action]).toEqual(["server_error", "retry"]);
  });

  it("maps a non-JSON body to its HTTP reason and never copies the token into the error", () => {
    const error = map(response(502, "<html>Bad gateway pat-na1-secret-token</html>"));
    expect(error.reason).toBe("server_error");
    expect(JSON.stringify(error.toJSON())).not.toContain("pat-na1-secret-token");
  });
});

describe("hubSpotItemError", () => {
  it("maps a 207 error item by its category, keeping its fields", () => {
    const item = {
      status: "error",
      category: "VALIDATION_ERROR",
      message:
        'Property values were not valid: [{"isValid":false,"message":"Property \\"missing\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"missing"}]',
      context: { objectWriteTraceId: ["549b1c2a9351"] },
    };
    const error = hubSpotItemError(item, NOW);
    expect([error.reason, error.status, error.fields]).toEqual(["invalid_property", 400, ["missing"]]);
  });
});
