import { describe, expect, it } from "vitest";
import {
  actionFor,
  CRM_ERROR_REASONS,
  isCrmErrorReason,
  REASON_ACTIONS,
  reasonForStatus,
} from "../../src/errors/index.js";

describe("reason → action table", () => {
  it("maps transient failures to retry", () => {
    for (const reason of [
      "rate_limited",
      "quota_exhausted",
      "server_error",
      "network_timeout",
      "network_error",
      "locked",
    ] as const) {
      expect(actionFor(reason)).toBe("retry");
    }
  });

  it("maps data and CRM-state problems to review", () => {
    for (const reason of [
      "invalid_property",
      "invalid_enum",
      "missing_required_field",
      "ambiguous_duplicate_match",
      "duplicate_conflict",
      "inactive_owner",
      "association_type_error",
    ] as const) {
      expect(actionFor(reason)).toBe("review");
    }
  });

  it("maps credential and configuration problems, and unknown responses, to alert", () => {
    for (const reason of [
      "expired_token",
      "invalid_token",
      "missing_scope",
      "permission_denied",
      "api_version_deprecated",
      "unknown_response",
    ] as const) {
      expect(actionFor(reason)).toBe("alert");
    }
  });

  it("covers every reason the issue requires and lists each reason once", () => {
    const required = [
      "rate_limited",
      "server_error",
      "network_timeout",
      "network_error",
      "locked",
      "invalid_property",
      "invalid_enum",
      "missing_required_field",
      "ambiguous_duplicate_match",
      "duplicate_conflict",
      "inactive_owner",
      "association_type_error",
      "not_found",
      "expired_token",
      "invalid_token",
      "missing_scope",
      "permission_denied",
      "api_version_deprecated",
      "payload_too_large",
      "unknown_response",
    ];
    for (const reason of required) expect(CRM_ERROR_REASONS).toContain(reason);
    expect(new Set(CRM_ERROR_REASONS).size).toBe(CRM_ERROR_REASONS.length);
    expect(Object.keys(REASON_ACTIONS)).toEqual([...CRM_ERROR_REASONS]);
  });

  it("recognises reasons and rejects other strings", () => {
    expect(isCrmErrorReason("rate_limited")).toBe(true);
    expect(isCrmErrorReason("toString")).toBe(false);
    expect(isCrmErrorReason("__proto__")).toBe(false);
    expect(isCrmErrorReason(42)).toBe(false);
  });
});

describe("reasonForStatus", () => {
  it.each([
    [408, "network_timeout"],
    [413, "payload_too_large"],
    [423, "locked"],
    [429, "rate_limited"],
    [401, "invalid_token"],
    [403, "permission_denied"],
    [404, "not_found"],
    [409, "duplicate_conflict"],
    [410, "api_version_deprecated"],
    [400, "validation_failed"],
    [422, "validation_failed"],
    [500, "server_error"],
    [503, "server_error"],
    [524, "server_error"],
    [302, "unknown_response"],
    [418, "unknown_response"],
  ] as const)("maps %i to %s", (status, reason) => {
    expect(reasonForStatus(status)).toBe(reason);
  });
});
