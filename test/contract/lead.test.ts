import { describe, expect, it } from "vitest";
import { CONTRACT_LIMITS, LeadSubmitted, parseEvent } from "../../src/contract/index.js";
import { fixture, lead } from "./fixtures.js";

function parsedLead(input: unknown) {
  const event = parseEvent(input)._unsafeUnwrap();
  if (event.event_type !== "lead.submitted") throw new Error(`expected a lead, got ${event.event_type}`);
  return event;
}

function issuesOf(input: unknown) {
  return parseEvent(input)._unsafeUnwrapErr().issues;
}

describe("lead.submitted", () => {
  it("parses the diagnostic-form lead into its normalized form", () => {
    const event = parsedLead(fixture("diagnostic-lead"));
    expect(event.contact).toStrictEqual({
      email: "ops@example.com",
      phone: "+14155550132",
      first_name: "Ops",
      last_name: "Lead",
      full_name: "Ops Lead",
      job_title: "Head of Operations",
    });
    expect(event.company).toStrictEqual({ name: "Example Inc", domain: "example.com" });
    expect(event.lead?.detected_stack).toEqual(["HubSpot", "Webflow", "Stripe", "Zapier"]);
    expect(event.lead?.consent_to_contact).toBe(true);
    expect(event.lead?.utm).toStrictEqual({
      source: "google",
      medium: "cpc",
      campaign: "crm-automation-diagnostic",
      term: "hubspot duplicate contacts",
      content: "hero-cta",
    });
  });

  it("gives the same result through the LeadSubmitted schema as through parseEvent", () => {
    expect(LeadSubmitted.parse(fixture("diagnostic-lead"))).toStrictEqual(
      parsedLead(fixture("diagnostic-lead")),
    );
  });

  it("strips unknown keys at every level", () => {
    const input = lead({ extra: 1, contact: { nickname: "ops" }, routing: { reasoning: "long text" } });
    const event = parsedLead(input);
    expect(event).not.toHaveProperty("extra");
    expect(event.contact).not.toHaveProperty("nickname");
    expect(event.routing).not.toHaveProperty("reasoning");
  });

  it("derives the company domain from the contact email when the company has none", () => {
    const input = lead({ company: { domain: undefined } });
    expect(parsedLead(input).company).toStrictEqual({ name: "Example Inc", domain: "example.com" });
  });

  it("derives a company from the email when the company block is absent", () => {
    const input = lead();
    delete input["company"];
    expect(parsedLead(input).company).toStrictEqual({ domain: "example.com" });
  });

  it("never derives a company from a free-mail address", () => {
    const input = lead({ contact: { email: "ops.lead@gmail.com" } });
    delete input["company"];
    expect(parsedLead(input)).not.toHaveProperty("company");
  });

  it("keeps a domain the producer sent over the email's domain", () => {
    const input = lead({ contact: { email: "ops@subsidiary.example" }, company: { domain: "example.com" } });
    expect(parsedLead(input).company?.domain).toBe("example.com");
  });

  it("requires contact.email", () => {
    const input = lead();
    input["contact"] = { first_name: "Ops" };
    expect(issuesOf(input)).toEqual([expect.objectContaining({ field: "contact.email", code: "required" })]);
  });

  it("requires lead.consent_to_contact as a JSON boolean", () => {
    expect(issuesOf(lead({ lead: { consent_to_contact: "true" } }))).toEqual([
      expect.objectContaining({ field: "lead.consent_to_contact", code: "invalid_type" }),
    ]);
    const input = lead();
    input["lead"] = { budget_range: "$10k" };
    expect(issuesOf(input)).toEqual([
      expect.objectContaining({ field: "lead.consent_to_contact", code: "required" }),
    ]);
  });

  it("treats blank optional texts as absent and trims the rest", () => {
    const input = lead({ contact: { first_name: "  ", job_title: " Head of Ops ", phone: "" } });
    const contact = parsedLead(input).contact;
    expect(contact).not.toHaveProperty("first_name");
    expect(contact).not.toHaveProperty("phone");
    expect(contact.job_title).toBe("Head of Ops");
  });

  it("reports an invalid phone instead of dropping it", () => {
    expect(issuesOf(lead({ contact: { phone: "12" } }))).toEqual([
      expect.objectContaining({ field: "contact.phone", code: "phone_region_required" }),
    ]);
    expect(issuesOf(lead({ contact: { phone: "+1 12" } }))).toEqual([
      expect.objectContaining({ field: "contact.phone", code: "invalid_phone" }),
    ]);
  });

  it("bounds detected_stack to 50 entries and each entry to 200 characters", () => {
    const many = Array.from({ length: CONTRACT_LIMITS.detectedStack + 1 }, (_, i) => `tool-${i}`);
    expect(issuesOf(lead({ lead: { detected_stack: many } }))).toEqual([
      expect.objectContaining({
        field: "lead.detected_stack",
        code: "too_big",
        message: "has 51 entries; the limit is 50",
      }),
    ]);
    const long = ["x".repeat(CONTRACT_LIMITS.listItem + 1)];
    expect(issuesOf(lead({ lead: { detected_stack: long } }))).toEqual([
      expect.objectContaining({ field: "lead.detected_stack.0", code: "too_big" }),
    ]);
  });

  it("bounds pain_summary to 10,000 characters", () => {
    const issues = issuesOf(lead({ lead: { pain_summary: "x".repeat(CONTRACT_LIMITS.freeText + 1) } }));
    expect(issues).toEqual([
      expect.objectContaining({
        field: "lead.pain_summary",
        code: "too_big",
        message: "is 10001 characters long; the limit is 10000",
      }),
    ]);
  });

  it("reports every issue of the deliberately broken lead, each with a path", () => {
    const error = parseEvent(fixture("broken-lead"))._unsafeUnwrapErr();
    expect(error.eventType).toBe("lead.submitted");
    expect(error.issues.map((issue) => [issue.field, issue.code])).toEqual([
      ["occurred_at", "timestamp_without_zone"],
      ["contact.email", "invalid_email"],
      ["contact.phone", "phone_region_required"],
      ["company.domain", "invalid_domain"],
      ["lead.consent_to_contact", "invalid_type"],
      ["routing.qualification_status", "invalid_value"],
      ["routing.lead_score", "too_big"],
      ["routing.confidence", "too_big"],
    ]);
    expect(error.issues.find((issue) => issue.field === "contact.email")?.message).toBe(
      '"not-an-email" is not a valid email address; send a full address like ann@example.com',
    );
  });
});
