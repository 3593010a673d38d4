import { describe, expect, it } from "vitest";
import { CrmError } from "../../src/errors/index.js";
import { defaultFailureClass, idempotencyError, serializeError } from "../../src/idempotency/index.js";

const crmError = (reason: "validation_failed" | "rate_limited") =>
  new CrmError({
    reason,
    provider: "hubspot",
    status: reason === "rate_limited" ? 429 : 400,
    message: reason,
  });

describe("defaultFailureClass", () => {
  it("makes review errors (bad data) terminal and everything else retryable", () => {
    expect(defaultFailureClass(crmError("validation_failed"))).toBe("terminal");
    expect(defaultFailureClass(crmError("rate_limited"))).toBe("retryable");
    expect(defaultFailureClass(new Error("socket hang up"))).toBe("retryable");
  });
});

describe("serializeError", () => {
  it("keeps a CrmError's JSON as data and its reason as code", () => {
    const serialized = serializeError(crmError("rate_limited"));
    expect(serialized).toMatchObject({ name: "CrmError", code: "rate_limited" });
    expect(serialized.data).toMatchObject({ reason: "rate_limited", provider: "hubspot", status: 429 });
  });

  it("names idempotency errors by type, keeps a string code, and scrubs secrets from every message", () => {
    expect(
      serializeError(idempotencyError("LeaseLost", { scope: "s", key: "k", state: "missing" })),
    ).toMatchObject({
      name: "IdempotencyError",
      code: "LeaseLost",
    });
    const error = Object.assign(new TypeError("Authorization: Bearer sk_live_abcdef123456 refused"), {
      code: "E_AUTH",
    });
    const serialized = serializeError(error);
    expect(serialized).toMatchObject({ name: "TypeError", code: "E_AUTH" });
    expect(serialized.message).not.toContain("sk_live_abcdef123456");
    expect(serializeError("api_token=abcdef123456 leaked").message).not.toContain("abcdef123456");
    expect(serializeError(42)).toEqual({ name: "number", message: "42" });
  });
});
