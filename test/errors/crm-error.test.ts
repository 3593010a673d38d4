import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import {
  ContractError,
  CrmError,
  classify,
  contractIssue,
  isContractError,
  isCrmError,
  REDACTED,
} from "../../src/errors/index.js";

describe("CrmError", () => {
  it("derives the action from the reason and defaults code and message", () => {
    const error = new CrmError({ reason: "invalid_enum", provider: "hubspot", fields: ["hs_lead_status"] });
    expect(error.action).toBe("review");
    expect(error.code).toBe("invalid_enum");
    expect(error.message).toMatch(/allowed options/);
    expect(error.fields).toEqual(["hs_lead_status"]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("CrmError");
  });

  it("keeps vendor details and rounds retryAfterMs up to whole milliseconds", () => {
    const error = new CrmError({
      reason: "rate_limited",
      provider: "pipedrive",
      code: "429",
      status: 429,
      retryAfterMs: 1999.2,
      requestId: "req-1",
      existingId: "42",
    });
    expect(error).toMatchObject({
      status: 429,
      retryAfterMs: 2000,
      requestId: "req-1",
      existingId: "42",
      code: "429",
    });
  });

  it("allows an explicit action override", () => {
    expect(new CrmError({ reason: "not_found", provider: "x", action: "alert" }).action).toBe("alert");
  });

  it("redacts secrets from message, response body and JSON", () => {
    const token = "pat-na1-0000-1111-2222";
    const error = new CrmError({
      reason: "invalid_token",
      provider: "hubspot",
      message: `token ${token} rejected; Authorization: Bearer ${token}`,
      responseBody: { echoed: { authorization: `Bearer ${token}` }, hint: `use ${token}` },
      cause: new Error(`request with Bearer ${token} failed`),
      secrets: [token],
    });
    const json = JSON.stringify(error);
    expect(json).not.toContain(token);
    expect(error.message).not.toContain(token);
    expect(json).toContain(REDACTED);
    expect(error.toJSON().cause).toEqual({
      name: "Error",
      message: `request with Bearer ${REDACTED} failed`,
    });
  });

  it("round-trips through JSON and tolerates unknown reasons", () => {
    const original = new CrmError({
      reason: "duplicate_conflict",
      provider: "hubspot",
      existingId: "7",
      status: 409,
    });
    const copy = CrmError.fromJSON(JSON.parse(JSON.stringify(original)));
    expect(copy.toJSON()).toEqual(original.toJSON());
    expect(CrmError.fromJSON({ reason: "made_up", provider: 3 }).reason).toBe("unknown_response");
    expect(CrmError.fromJSON(null).provider).toBe("unknown");
  });
});

describe("guards", () => {
  it("recognise errors from another realm by their brand", () => {
    const error = new CrmError({ reason: "server_error", provider: "zoho" });
    const foreign = runInNewContext("({ ...e, name: e.name, message: e.message })", { e: error });
    Object.defineProperty(foreign, Symbol.for("crmkit.CrmError"), { value: true });
    expect(foreign instanceof CrmError).toBe(false);
    expect(isCrmError(foreign)).toBe(true);
  });

  it("reject look-alikes without the brand and other values", () => {
    expect(isCrmError({ name: "CrmError", reason: "server_error" })).toBe(false);
    expect(isCrmError(new Error("x"))).toBe(false);
    expect(isCrmError(null)).toBe(false);
    expect(isContractError(new CrmError({ reason: "server_error", provider: "x" }))).toBe(false);
  });

  it("recognise ContractError and keep it out of the CrmError family", () => {
    const error = new ContractError([contractIssue(["contact", "email"], "invalid_email", "not an email")]);
    expect(isContractError(error)).toBe(true);
    expect(isCrmError(error)).toBe(false);
  });
});

describe("ContractError", () => {
  it("summarises the first issue and counts the rest", () => {
    const error = new ContractError([
      contractIssue(["contact", "email"], "invalid_email", "send a full address"),
      contractIssue(["routing", "lead_score"], "too_big", "use 0–100"),
      contractIssue([], "invalid_type", "send an object"),
    ]);
    expect(error.message).toBe("contact.email: send a full address (and 2 more issues)");
    expect(error.issues.map((issue) => issue.field)).toEqual([
      "contact.email",
      "routing.lead_score",
      "(root)",
    ]);
    expect(error.action).toBe("review");
    expect(error.toJSON().issues).toHaveLength(3);
  });
});

describe("classify", () => {
  it("passes CrmError through unchanged", () => {
    const error = new CrmError({ reason: "locked", provider: "hubspot" });
    expect(classify(error)).toBe(error);
  });

  it("maps aborts, timeouts and socket failures to retryable reasons", () => {
    const abort = new DOMException("The operation was aborted", "AbortError");
    expect(classify(abort).reason).toBe("aborted");
    const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    expect(classify(timeout, { provider: "hubspot" })).toMatchObject({
      reason: "network_timeout",
      provider: "hubspot",
    });
    const refused = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
    });
    expect(classify(refused)).toMatchObject({
      reason: "network_error",
      code: "ECONNREFUSED",
      action: "retry",
    });
    expect(classify(Object.assign(new Error("x"), { code: "ETIMEDOUT" })).reason).toBe("network_timeout");
  });

  it("treats anything unexplained as an unknown response that needs an operator", () => {
    const error = classify(new RangeError("weird"));
    expect(error).toMatchObject({ reason: "unknown_response", action: "alert", provider: "crmkit" });
    expect(classify("string thrown").message).toBe("string thrown");
    expect(classify(undefined).reason).toBe("unknown_response");
  });
});
