import { describe, expect, it } from "vitest";
import { associationIntent, companyIntent } from "../../src/intents/index.js";

describe("intent builders", () => {
  it("associationIntent names the intent <from>-<to> and keeps a label only when given", () => {
    expect(associationIntent("deal", "contact", "the deal is the contact's")).toEqual({
      kind: "association",
      id: "deal-contact",
      from: { step: "deal" },
      to: { step: "contact" },
      why: "the deal is the contact's",
    });
    expect(associationIntent("contact", "company", "works there", "primary")).toMatchObject({
      id: "contact-company",
      label: "primary",
    });
    expect("label" in associationIntent("a", "b", "why")).toBe(false);
  });

  it("companyIntent keys the company by domain and leaves out a missing name", () => {
    const intent = companyIntent("acme.test", undefined, "why");
    expect(intent.match).toEqual({ by: "key", field: "domain", value: "acme.test" });
    expect(intent.properties).toEqual({ domain: "acme.test" });
  });
});
