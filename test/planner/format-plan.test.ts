import { describe, expect, it } from "vitest";
import { toIntents } from "../../src/intents/index.js";
import { createPlanPolicy, formatPlan, planUpserts, type UpsertPlan } from "../../src/planner/index.js";
import { leadEvent, paymentEvent, record, snapshot } from "./builders.js";

const policy = createPlanPolicy({ routing: [{ owner: "ann@acme.test" }] });

describe("formatPlan", () => {
  it("renders a new lead as a terraform-style dry run (golden)", () => {
    const plan = planUpserts({
      intents: toIntents(leadEvent(), { policy })._unsafeUnwrap(),
      snapshot: snapshot(),
      policy,
    });
    expect(formatPlan(plan)).toBe(
      [
        "Plan for lead.submitted evt_lead_1 (idempotency key lead.submitted:webflow:sub_1)",
        "",
        "+ create contact ops@example.com",
        '    email = "ops@example.com"',
        '    first_name = "Ada"',
        '    last_name = "Lovelace"',
        '    phone = "+14155550132"',
        '    job_title = "CTO"',
        '    lifecycle_stage = "lead"',
        '    owner_id = "7"',
        "+ create company example.com",
        '    domain = "example.com"',
        '    name = "Example Inc"',
        "+ create deal for contact ops@example.com",
        '    name = "Example Inc – inbound lead"',
        '    pipeline_id = "default"',
        '    stage_id = "appointmentscheduled"',
        '    owner_id = "7"',
        "+ create association contact ops@example.com ↔ company example.com (primary)",
        "+ create association deal for contact ops@example.com ↔ contact ops@example.com",
        "+ create association deal for contact ops@example.com ↔ company example.com",
        "+ create note on contact ops@example.com, deal for contact ops@example.com",
        '    "Lead submitted via webflow (event evt_lead_1) …"',
        "",
        "Plan: 7 to create, 0 to update, 0 unchanged, 0 to review, 0 skipped.",
      ].join("\n"),
    );
  });

  it("renders updates with from → to, reviews with their reason and skips (golden)", () => {
    const snap = snapshot({
      matches: {
        "contact:email:ops@example.com": [
          record("contact", "101", { email: "ops@example.com", lifecycle_stage: "customer", owner_id: "7" }),
        ],
      },
      openDeals: {
        "open_deals:101:*": [
          record("deal", "123", { pipeline_id: "default", stage_id: "qualifiedtobuy", owner_id: "7" }),
        ],
      },
    });
    const plan = planUpserts({
      intents: toIntents(paymentEvent(), { policy })._unsafeUnwrap(),
      snapshot: snap,
      policy,
    });
    expect(formatPlan(plan)).toBe(
      [
        "Plan for payment.succeeded evt_pay_1 (idempotency key payment.succeeded:stripe:pi_1)",
        "",
        "= noop contact 101 (ops@example.com)",
        "~ update deal 123: stage_id Qualified to buy → Closed won",
        "+ create note on contact ops@example.com, deal 123",
        '    "Payment succeeded: 49.00 EUR via stripe (pi_1) …"',
        '+ create task "Start onboarding" on contact ops@example.com, deal 123 (due 2025-03-05T10:00:00.000Z, owner 7, priority medium)',
        "",
        "Plan: 2 to create, 1 to update, 1 unchanged, 0 to review, 0 skipped.",
      ].join("\n"),
    );
    const ambiguous = planUpserts({
      intents: toIntents(leadEvent(), { policy })._unsafeUnwrap(),
      snapshot: snapshot({
        matches: {
          ...snapshot().matches,
          "company:domain:example.com": [record("company", "7"), record("company", "9")],
        },
      }),
      policy,
    });
    const text = formatPlan(ambiguous);
    expect(text).toContain("! review company example.com: 2 matches (ids 7, 9) (ambiguous_duplicate_match)");
    expect(text).toContain(
      "· skip association contact ops@example.com ↔ company example.com: depends on review of step company",
    );
    expect(text.split("\n").at(-1)).toBe(
      "Plan: 4 to create, 0 to update, 0 unchanged, 1 to review, 2 skipped.",
    );
  });

  it("lists how the adapter answered its searches before the steps, when it reported it", () => {
    const lookups = [
      {
        type: "contact",
        field: "email",
        keys: 1,
        via: "index",
        detail: "list index, already current (no call)",
      },
      { type: "company", field: "domain", keys: 2, via: "search" },
    ] as const;
    const plan = planUpserts({
      intents: toIntents(leadEvent(), { policy })._unsafeUnwrap(),
      snapshot: { ...snapshot(), lookups },
      policy,
    });
    expect(plan.lookups).toEqual(lookups);
    expect(formatPlan(plan).split("\n").slice(0, 6)).toEqual([
      "Plan for lead.submitted evt_lead_1 (idempotency key lead.submitted:webflow:sub_1)",
      "",
      "Lookups:",
      "    contact by email (1 key) via index: list index, already current (no call)",
      "    company by domain (2 keys) via search",
      "",
    ]);
    const without = planUpserts({
      intents: toIntents(leadEvent(), { policy })._unsafeUnwrap(),
      snapshot: snapshot(),
      policy,
    });
    expect("lookups" in without).toBe(false);
    expect(formatPlan(without)).not.toContain("Lookups:");
  });

  it("says so when there is nothing to do", () => {
    const empty: UpsertPlan = {
      version: 1,
      event: {
        id: "e",
        type: "x.y",
        idempotencyKey: "k",
        occurredAt: "2025-01-01T00:00:00Z",
        sourceSystem: "s",
      },
      steps: [],
      trace: [],
      counts: { create: 0, update: 0, noop: 0, review: 0, skip: 0 },
    };
    expect(formatPlan(empty)).toContain("(nothing to do)");
  });
});
