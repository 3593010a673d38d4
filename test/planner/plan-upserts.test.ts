import { describe, expect, it } from "vitest";
import type { CrmRecord } from "../../src/adapter/index.js";
import { type Intents, type RecipeEvent, toIntents } from "../../src/intents/index.js";
import {
  createPlanPolicy,
  type PlanPolicy,
  type PlanStep,
  planHasWrites,
  planNeedsReview,
  planUpserts,
  type Snapshot,
  type UpsertPlan,
} from "../../src/planner/index.js";
import { leadEvent, onboardingEvent, paymentEvent, record, snapshot, supportEvent } from "./builders.js";

const policy = createPlanPolicy({
  routing: [
    { tier: "priority", role: "enterprise_ae", owner: "ann@acme.test" },
    { tier: "nurture", owner: "gone@acme.test" },
    { tier: "standard", owner: ["ann@acme.test", "bob@acme.test"] },
  ],
  fallbackOwner: "lead@acme.test",
});

function intentsOf(event: RecipeEvent, withPolicy: PlanPolicy = policy): Intents {
  return toIntents(event, { policy: withPolicy })._unsafeUnwrap();
}

function plan(event: RecipeEvent, snap: Snapshot, withPolicy: PlanPolicy = policy): UpsertPlan {
  return planUpserts({ intents: intentsOf(event, withPolicy), snapshot: snap, policy: withPolicy });
}

function step(p: UpsertPlan, id: string): PlanStep {
  const found = p.steps.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no step ${id} in ${p.steps.map((s) => s.id).join(", ")}`);
  return found;
}

const contact101 = (properties: CrmRecord["properties"] = {}, extra: Partial<CrmRecord> = {}) =>
  record("contact", "101", { email: "ops@example.com", ...properties }, extra);

const withMatches = (matches: Record<string, CrmRecord[]>, rest: Partial<Snapshot> = {}): Snapshot => {
  const base = snapshot();
  return { ...base, matches: { ...base.matches, ...matches }, ...rest };
};

describe("planUpserts: search before create", () => {
  it("creates every record of a new lead in dependency order with symbolic references", () => {
    const p = plan(leadEvent(), snapshot());
    expect(p.steps.map((s) => `${s.action} ${s.id}`)).toEqual([
      "create contact",
      "create company",
      "create deal",
      "create contact-company",
      "create deal-contact",
      "create deal-company",
      "create note",
    ]);
    expect(step(p, "deal-contact")).toMatchObject({
      from: { type: "deal", step: "deal" },
      to: { type: "contact", step: "contact" },
    });
    expect(step(p, "contact")).toMatchObject({
      key: { field: "email", value: "ops@example.com" },
      reason: "no_match",
    });
    expect(p.counts).toEqual({ create: 7, update: 0, noop: 0, review: 0, skip: 0 });
    expect(planHasWrites(p)).toBe(true);
    expect(planNeedsReview(p)).toBe(false);
  });

  it("writes records in the adapter's recordOrder and keeps links, notes and tasks after every record", () => {
    const p = plan(leadEvent(), { ...snapshot(), recordOrder: ["company", "contact"] });
    expect(p.steps.map((s) => `${s.action} ${s.id}`)).toEqual([
      "create company",
      "create contact",
      "create deal",
      "create contact-company",
      "create deal-contact",
      "create deal-company",
      "create note",
    ]);
    // The association still starts at the contact, so the contact's create can carry it to the company.
    expect(step(p, "contact-company")).toMatchObject({
      from: { type: "contact", step: "contact" },
      to: { type: "company", step: "company" },
    });
  });

  it("updates a matched record and refers to it by id, with the search as evidence", () => {
    const p = plan(leadEvent(), withMatches({ "contact:email:ops@example.com": [contact101()] }));
    const contact = step(p, "contact");
    expect(contact).toMatchObject({ action: "update", recordId: "101", reason: "changed" });
    expect(contact.evidence).toEqual({
      lookup: "contact:email:ops@example.com",
      query: "contact email = ops@example.com",
      matchedIds: ["101"],
    });
    expect(step(p, "contact-company")).toMatchObject({ from: { type: "contact", id: "101" } });
  });

  it("reviews two matches for one key as ambiguous_duplicate_match and skips what depends on it", () => {
    const p = plan(
      leadEvent(),
      withMatches({ "company:domain:example.com": [record("company", "7"), record("company", "9")] }),
    );
    expect(step(p, "company")).toMatchObject({
      action: "review",
      errorReason: "ambiguous_duplicate_match",
      summary: "company example.com: 2 matches (ids 7, 9)",
      evidence: { matchedIds: ["7", "9"] },
    });
    expect(step(p, "contact-company")).toMatchObject({ action: "skip", reason: "depends_on_review" });
    expect(step(p, "deal-company")).toMatchObject({ action: "skip", reason: "depends_on_review" });
    expect(step(p, "contact").action).toBe("create");
    expect(step(p, "note").action).toBe("create");
    expect(planNeedsReview(p)).toBe(true);
  });

  it("reviews a search the snapshot has no answer for instead of creating blindly", () => {
    const p = plan(leadEvent(), { ...snapshot(), matches: {} });
    expect(step(p, "contact")).toMatchObject({
      action: "review",
      reason: "not_looked_up",
      errorReason: "configuration_error",
    });
    expect(step(p, "note")).toMatchObject({ action: "skip", reason: "depends_on_review" });
  });

  it("updates the single open deal of a matched contact and reviews two", () => {
    const deal = record("deal", "123", {
      pipeline_id: "default",
      stage_id: "qualifiedtobuy",
      name: "Old",
      owner_id: "8",
    });
    const one = plan(
      leadEvent(),
      withMatches(
        { "contact:email:ops@example.com": [contact101()] },
        { openDeals: { "open_deals:101:default": [deal] } },
      ),
    );
    expect(step(one, "deal")).toMatchObject({ action: "noop", reason: "unchanged" });
    const two = plan(
      leadEvent(),
      withMatches(
        { "contact:email:ops@example.com": [contact101()] },
        { openDeals: { "open_deals:101:default": [deal, { ...deal, id: "124" }] } },
      ),
    );
    expect(step(two, "deal")).toMatchObject({
      action: "review",
      errorReason: "ambiguous_duplicate_match",
      evidence: { matchedIds: ["123", "124"] },
    });
    expect(step(two, "deal-contact")).toMatchObject({ action: "skip", reason: "depends_on_review" });
  });

  it("creates the deal of a contact created by the same plan without asking for its open deals", () => {
    const p = plan(leadEvent(), snapshot({ openDeals: undefined }));
    expect(step(p, "deal")).toMatchObject({
      action: "create",
      properties: { pipeline_id: "default", stage_id: "appointmentscheduled" },
    });
  });

  it("never creates one key twice: a second intent for the same key is skipped and refers to the first", () => {
    const intents = intentsOf(leadEvent());
    const doubled: Intents = {
      ...intents,
      items: [...intents.items, { ...intents.items[0]!, id: "contact-again" }],
    };
    const p = planUpserts({ intents: doubled, snapshot: snapshot(), policy });
    expect(step(p, "contact-again")).toMatchObject({ action: "skip", reason: "duplicate_key_in_plan" });
    expect(
      p.steps.filter((s) => s.action === "create" && s.kind === "record" && s.objectType === "contact"),
    ).toHaveLength(1);
  });

  it("makes duplicate intent ids unique", () => {
    const intents = intentsOf(leadEvent());
    const note = intents.items.find((item) => item.kind === "note")!;
    const p = planUpserts({
      intents: { ...intents, items: [...intents.items, note] },
      snapshot: snapshot(),
      policy,
    });
    expect(p.steps.map((s) => s.id).filter((id) => id.startsWith("note"))).toEqual(["note", "note#2"]);
  });
});

describe("planUpserts: field ownership and forward-only stages", () => {
  it.each([
    ["fills an empty first_name", { first_name: "" }, { field: "first_name", to: "Ada" }],
    ["keeps a first_name the CRM has (fill_if_empty)", { first_name: "Augusta" }, undefined],
    [
      "moves lifecycle_stage forward",
      { lifecycle_stage: "subscriber" },
      { field: "lifecycle_stage", from: "subscriber", to: "lead" },
    ],
    ["never moves lifecycle_stage backwards", { lifecycle_stage: "customer" }, undefined],
    ["leaves a lifecycle_stage off the known order alone", { lifecycle_stage: "partner" }, undefined],
  ])("%s", (_, current, change) => {
    const p = plan(
      leadEvent(),
      withMatches({
        "contact:email:ops@example.com": [
          contact101({
            first_name: "Ada",
            last_name: "Lovelace",
            phone: "+14155550132",
            job_title: "CTO",
            lifecycle_stage: "lead",
            owner_id: "7",
            ...current,
          }),
        ],
      }),
    );
    const contact = step(p, "contact");
    if (change === undefined) expect(contact).toMatchObject({ action: "noop", reason: "unchanged" });
    else expect(contact).toMatchObject({ action: "update", changes: [expect.objectContaining(change)] });
  });

  it("overwrites a source-owned field and never a crm-owned one", () => {
    const custom = createPlanPolicy({
      ...policy,
      fieldOwnership: { contact: { job_title: "source", last_name: "crm" } },
    });
    const p = plan(
      leadEvent(),
      withMatches({
        "contact:email:ops@example.com": [
          contact101({
            job_title: "Engineer",
            last_name: "Byron",
            owner_id: "7",
            first_name: "Ada",
            phone: "+14155550132",
            lifecycle_stage: "lead",
          }),
        ],
      }),
      custom,
    );
    expect(step(p, "contact")).toMatchObject({ action: "update", properties: { job_title: "CTO" } });
    expect((step(p, "contact") as { properties: object }).properties).not.toHaveProperty("last_name");
  });

  it("moves a paid deal forward to the won stage with stage labels in the change", () => {
    const deal = record("deal", "123", { pipeline_id: "default", stage_id: "contractsent", owner_id: "8" });
    const p = plan(
      paymentEvent(),
      withMatches(
        { "contact:email:ops@example.com": [contact101({ lifecycle_stage: "customer" })] },
        { openDeals: { "open_deals:101:*": [deal] } },
      ),
    );
    expect(step(p, "deal")).toMatchObject({
      action: "update",
      recordId: "123",
      changes: [
        {
          field: "stage_id",
          from: "contractsent",
          to: "closedwon",
          fromLabel: "Contract sent",
          toLabel: "Closed won",
        },
      ],
    });
    expect(step(p, "task")).toMatchObject({
      action: "create",
      ownerId: "8",
      attach: [
        { type: "contact", id: "101" },
        { type: "deal", id: "123" },
      ],
    });
  });

  it("never moves a deal's stage backwards", () => {
    const custom = createPlanPolicy({ pipelines: { deal: { wonStage: "Qualified to buy" } } });
    const deal = record("deal", "123", { pipeline_id: "default", stage_id: "contractsent" });
    const p = plan(
      paymentEvent(),
      withMatches(
        { "contact:email:ops@example.com": [contact101({ lifecycle_stage: "customer" })] },
        { openDeals: { "open_deals:101:*": [deal] } },
      ),
      custom,
    );
    expect(step(p, "deal")).toMatchObject({ action: "noop" });
    expect(p.trace).toContainEqual({
      step: "deal",
      message: "stage_id would move backwards (contractsent → qualifiedtobuy)",
    });
  });

  it("skips the won-stage move when the contact has no open deal, and still plans the task and note", () => {
    const p = plan(
      paymentEvent(),
      withMatches(
        { "contact:email:ops@example.com": [contact101({ owner_id: "7" })] },
        { openDeals: { "open_deals:101:*": [] } },
      ),
    );
    expect(step(p, "deal")).toMatchObject({ action: "skip", reason: "no_open_deal" });
    expect(step(p, "task")).toMatchObject({
      action: "create",
      ownerId: "7",
      attach: [{ type: "contact", id: "101" }],
    });
    expect(step(p, "note")).toMatchObject({ action: "create" });
  });

  it.each([
    ["an unknown pipeline label", { deal: { pipeline: "Nope" } }, "unknown_pipeline"],
    ["an unknown initial stage", { deal: { initialStage: "Nope" } }, "unknown_stage"],
  ])("reviews %s as configuration_error", (_, pipelines, reason) => {
    const p = plan(leadEvent(), snapshot(), createPlanPolicy({ pipelines }));
    expect(step(p, "deal")).toMatchObject({ action: "review", reason, errorReason: "configuration_error" });
  });
});

describe("planUpserts: enum values are checked before any write", () => {
  it("maps an option label to its value and reviews a value that is no option", () => {
    const fields = {
      ...snapshot().fields,
      ticket: [
        {
          key: "priority",
          apiName: "p",
          label: "Priority",
          type: "enum" as const,
          options: [
            { value: "LOW", label: "Low" },
            { value: "HIGH", label: "High" },
          ],
        },
      ],
    };
    const ok = plan(supportEvent(), snapshot({ fields }));
    expect(step(ok, "ticket")).toMatchObject({ action: "create", properties: { priority: "HIGH" } });
    const bad = plan(
      supportEvent({ ticket: { ticket_ref: "T-100", subject: "x", priority: "urgent" } }),
      snapshot({ fields }),
    );
    expect(step(bad, "ticket")).toMatchObject({ action: "create" });
    expect((step(bad, "ticket") as { properties: object }).properties).not.toHaveProperty("priority");
    expect(step(bad, "ticket.priority")).toMatchObject({
      action: "review",
      kind: "field",
      errorReason: "invalid_enum",
      field: "priority",
      value: "urgent",
      target: { type: "ticket", step: "ticket" },
    });
  });
});

describe("planUpserts: owners and routing", () => {
  const routed = (routing: Partial<NonNullable<ReturnType<typeof leadEvent>["routing"]>>) =>
    leadEvent({ routing: { ...leadEvent().routing!, ...routing } });

  it.each([
    ["a tier and role rule", { routing_tier: "priority", target_owner_role: "enterprise_ae" }, "7"],
    ["an inactive owner's fallback", { routing_tier: "nurture", qualification_status: "qualified" }, "10"],
    ["no matching rule's fallback", { routing_tier: "priority", target_owner_role: "smb" }, "10"],
  ] as const)("assigns %s", (_, routing, owner) => {
    const p = plan(routed(routing), snapshot());
    expect(step(p, "contact")).toMatchObject({ properties: { owner_id: owner } });
    expect(step(p, "deal")).toMatchObject({ properties: { owner_id: owner } });
  });

  it("picks round-robin owners by a stable hash of the idempotency key", () => {
    const pick = (key: string) => {
      const p = plan(routed({ routing_tier: "standard" }), snapshot());
      const intents = { ...intentsOf(routed({ routing_tier: "standard" })) };
      const again = planUpserts({
        intents: { ...intents, event: { ...intents.event, idempotencyKey: key } },
        snapshot: snapshot(),
        policy,
      });
      expect(p).toEqual(plan(routed({ routing_tier: "standard" }), snapshot()));
      return (step(again, "contact") as { properties: Record<string, unknown> }).properties["owner_id"];
    };
    const picks = new Set(Array.from({ length: 20 }, (_, i) => pick(`key-${i}`)));
    expect(picks).toEqual(new Set(["7", "8"]));
    expect(pick("key-3")).toBe(pick("key-3"));
  });

  it("reviews an inactive owner without a usable fallback as inactive_owner and still upserts the contact", () => {
    const noFallback = createPlanPolicy({ routing: [{ owner: "gone@acme.test" }] });
    const p = plan(leadEvent(), snapshot(), noFallback);
    expect(step(p, "contact")).toMatchObject({ action: "create" });
    expect((step(p, "contact") as { properties: object }).properties).not.toHaveProperty("owner_id");
    expect(step(p, "contact.owner_id")).toMatchObject({
      action: "review",
      errorReason: "inactive_owner",
      field: "owner_id",
      value: "gone@acme.test",
    });
    expect(step(p, "deal.owner_id")).toMatchObject({ action: "review", errorReason: "inactive_owner" });
  });

  it("keeps the owner the CRM already assigned instead of routing again", () => {
    const p = plan(
      leadEvent(),
      withMatches({ "contact:email:ops@example.com": [contact101({ owner_id: "8" })] }),
    );
    expect((step(p, "contact") as { properties: object }).properties).not.toHaveProperty("owner_id");
  });

  it.each([
    ["manual_review_required", { manual_review_required: true }],
    ["a needs_review status", { qualification_status: "needs_review" }],
    ["a confidence below minConfidence", { confidence: 0.4 }],
  ] as const)(
    "sends owner and deal to review on %s while contact, company and note are still written",
    (_, routing) => {
      const p = plan(routed(routing), snapshot());
      expect(step(p, "deal")).toMatchObject({
        action: "review",
        reason: "routing_untrusted",
        errorReason: "validation_failed",
      });
      expect(step(p, "contact.owner_id")).toMatchObject({ action: "review", reason: "routing_untrusted" });
      expect(step(p, "contact").action).toBe("create");
      expect(step(p, "company").action).toBe("create");
      expect(step(p, "deal-contact")).toMatchObject({ action: "skip", reason: "depends_on_review" });
      expect(step(p, "note")).toMatchObject({
        action: "create",
        attach: [{ type: "contact", step: "contact" }],
      });
      expect(p.trace[0]?.step).toBe("routing");
    },
  );

  it("trusts a routing block without confidence", () => {
    const { confidence: _, ...routing } = leadEvent().routing!;
    expect(step(plan(leadEvent({ routing }), snapshot()), "deal").action).toBe("create");
  });
});

describe("planUpserts: associations, tickets and onboarding", () => {
  it("is a noop for an association the snapshot shows", () => {
    const p = plan(
      leadEvent(),
      withMatches({
        "contact:email:ops@example.com": [contact101({}, { associations: { company: ["42"] } })],
        "company:domain:example.com": [
          record("company", "42", { domain: "example.com", name: "Example Inc" }),
        ],
      }),
    );
    expect(step(p, "contact-company")).toMatchObject({ action: "noop", reason: "already_associated" });
  });

  it("updates the ticket with the same ticket_ref instead of creating another", () => {
    const ticket = record("ticket", "555", {
      external_ref: "T-100",
      subject: "Old subject",
      priority: "HIGH",
      description: "No leads since Monday",
    });
    const p = plan(supportEvent(), withMatches({ "ticket:external_ref:T-100": [ticket] }));
    expect(step(p, "ticket")).toMatchObject({
      action: "update",
      recordId: "555",
      properties: { subject: "Sync stopped" },
    });
  });

  it("turns a ticket into a task on an activity adapter and skips it on an adapter without tickets", () => {
    const activity = plan(supportEvent(), snapshot({ tickets: "activity" }));
    expect(step(activity, "ticket")).toMatchObject({
      action: "create",
      kind: "task",
      reason: "tickets_as_activity",
      subject: "Sync stopped [T-100]",
      priority: "high",
      attach: [
        { type: "contact", step: "contact" },
        { type: "company", step: "company" },
      ],
    });
    expect(step(activity, "ticket-contact")).toMatchObject({ action: "skip", reason: "endpoint_skipped" });
    const none = plan(supportEvent(), snapshot({ tickets: "none" }));
    expect(step(none, "ticket")).toMatchObject({ action: "skip", reason: "tickets_unsupported" });
  });

  it.each([
    ["a won deal", { wonDealIds: ["123"], paymentEventIds: [] }, "create"],
    ["a payment", { wonDealIds: [], paymentEventIds: ["evt_pay_1"] }, "create"],
    ["neither", { wonDealIds: [], paymentEventIds: [] }, "review"],
  ] as const)(
    "plans onboarding tasks only with a won deal or payment on record: %s → %s",
    (_, history, action) => {
      const p = plan(
        onboardingEvent(),
        withMatches(
          { "contact:email:ops@example.com": [contact101({ owner_id: "7" })] },
          { history: { "history:101": history } },
        ),
      );
      expect(step(p, "task-1").action).toBe(action);
      expect(step(p, "task-2").action).toBe(action);
      if (action === "review")
        expect(step(p, "task-1")).toMatchObject({
          reason: "no_won_deal_or_payment",
          errorReason: "not_found",
        });
      else expect(step(p, "task-1")).toMatchObject({ ownerId: "7", reason: "requirement_met" });
    },
  );

  it("reviews onboarding for a contact the CRM does not know", () => {
    const p = plan(onboardingEvent(), snapshot());
    expect(step(p, "contact")).toMatchObject({ action: "skip", reason: "no_match_update_only" });
    expect(step(p, "task-1")).toMatchObject({ action: "review", reason: "no_won_deal_or_payment" });
  });
});
