import { describe, expect, it } from "vitest";
import { parseEvent } from "../../src/contract/index.js";
import { fixture } from "./fixtures.js";

function withPayment(
  patch: Record<string, unknown>,
  name: "payment-succeeded" | "payment-failed" = "payment-succeeded",
) {
  const input = fixture(name);
  input["payment"] = { ...(input["payment"] as object), ...patch };
  return input;
}

describe("payment.succeeded and payment.failed", () => {
  it("parses both fixtures and upper-cases the currency", () => {
    const succeeded = parseEvent(fixture("payment-succeeded"))._unsafeUnwrap();
    const failed = parseEvent(fixture("payment-failed"))._unsafeUnwrap();
    expect(succeeded.event_type === "payment.succeeded" && succeeded.payment).toStrictEqual({
      provider: "stripe",
      payment_id: "pi_3PbW2eAbCdEf",
      amount: 490000,
      currency: "USD",
      product: "CRM Automation Sprint",
      plan: "sprint",
    });
    expect(failed.event_type === "payment.failed" && failed.contact.email).toBe("billing@example.com");
  });

  it.each([
    [{ amount: 49.99 }, "payment.amount", "invalid_type"],
    [{ amount: "4900" }, "payment.amount", "invalid_type"],
    [{ amount: -1 }, "payment.amount", "too_small"],
    [{ amount: Number.MAX_SAFE_INTEGER + 2 }, "payment.amount", "too_big"],
    [{ currency: "US" }, "payment.currency", "invalid_currency"],
    [{ currency: "US$" }, "payment.currency", "invalid_currency"],
    [{ payment_id: "" }, "payment.payment_id", "too_small"],
    [{ provider: undefined }, "payment.provider", "required"],
  ])("rejects %j (%s: %s)", (patch, field, code) => {
    const issues = parseEvent(withPayment(patch))._unsafeUnwrapErr().issues;
    expect(issues).toEqual([expect.objectContaining({ field, code })]);
  });

  it("says amounts are integers in minor units", () => {
    const issues = parseEvent(withPayment({ amount: 49.99 }, "payment-failed"))._unsafeUnwrapErr().issues;
    expect(issues[0]?.message).toBe("must be a whole number; got 49.99");
  });

  it("requires the contact email", () => {
    const input = fixture("payment-succeeded");
    input["contact"] = {};
    expect(parseEvent(input)._unsafeUnwrapErr().issues).toEqual([
      expect.objectContaining({ field: "contact.email", code: "required" }),
    ]);
  });
});
