import { describe, expect, it } from "vitest";
import {
  defineRecipe,
  type Intent,
  type Intents,
  type RecipeEvent,
  type RecordIntent,
  type TaskIntent,
  toIntents,
} from "../../src/intents/index.js";
import { createPlanPolicy, type PlanPolicy } from "../../src/planner/index.js";
import { bookingEvent, leadEvent, onboardingEvent, paymentEvent, supportEvent } from "../planner/builders.js";

function intentsOf(event: RecipeEvent, policy?: PlanPolicy): Intents {
  const result = toIntents(event, policy === undefined ? {} : { policy });
  if (result.isErr()) throw result.error;
  return result.value;
}

const ids = (intents: Intents): string[] => intents.items.map((item) => item.id);
const byId = <K extends Intent["kind"]>(
  intents: Intents,
  id: string,
  kind: K,
): Extract<Intent, { kind: K }> => {
  const found = intents.items.find((item) => item.id === id);
  if (found?.kind !== kind) throw new Error(`no ${kind} intent ${id}`);
  return found as Extract<Intent, { kind: K }>;
};

describe("toIntents: lead.submitted", () => {
  it("a qualified lead wants contact, company, deal, three associations and a note", () => {
    const intents = intentsOf(leadEvent());
    expect(ids(intents)).toEqual([
      "contact",
      "company",
      "deal",
      "contact-company",
      "deal-contact",
      "deal-company",
      "note",
    ]);
    const contact = byId(intents, "contact", "record");
    expect(contact.match).toEqual({ by: "key", field: "email", value: "ops@example.com" });
    expect(contact.properties).toEqual({
      email: "ops@example.com",
      first_name: "Ada",
      last_name: "Lovelace",
      phone: "+14155550132",
      job_title: "CTO",
      lifecycle_stage: "lead",
    });
    expect(contact.owner).toEqual({ from: "routing" });
    expect(byId(intents, "company", "record").match).toEqual({
      by: "key",
      field: "domain",
      value: "example.com",
    });
    const deal = byId(intents, "deal", "record");
    expect(deal).toMatchObject({ mode: "upsert", gate: "routing", owner: { from: "routing" } });
    expect(deal.match).toEqual({ by: "open_deal", contact: { step: "contact" }, pipeline: undefined });
  });

  it("carries the routing signal and the event meta with its idempotency key", () => {
    const intents = intentsOf(leadEvent());
    expect(intents.routing).toEqual({
      qualification: "qualified",
      tier: "priority",
      score: 82,
      role: "enterprise_ae",
      confidence: 0.91,
    });
    expect(intents.event).toEqual({
      id: "evt_lead_1",
      type: "lead.submitted",
      idempotencyKey: "lead.submitted:webflow:sub_1",
      occurredAt: "2025-03-04T10:00:00.000Z",
      sourceSystem: "webflow",
    });
  });

  it("derives the idempotency key from type, source system and record id when the event has none", () => {
    const { idempotency_key: _, ...event } = leadEvent();
    expect(intentsOf(event).event.idempotencyKey).toBe("lead.submitted:webflow:sub_1");
  });

  it("wants no company and no company associations when the contract left the domain out (free mail)", () => {
    const intents = intentsOf(leadEvent({ contact: { email: "ann@gmail.com" }, company: undefined }));
    expect(ids(intents)).toEqual(["contact", "deal", "deal-contact", "note"]);
  });

  it.each([
    ["unqualified", false],
    ["qualified", true],
    ["needs_review", true],
  ] as const)("a %s lead wants a deal: %s", (status, wanted) => {
    const base = leadEvent();
    const intents = intentsOf(leadEvent({ routing: { ...base.routing!, qualification_status: status } }));
    expect(ids(intents).includes("deal")).toBe(wanted);
    expect(ids(intents).includes("deal-contact")).toBe(wanted);
  });

  it("wants no deal without a routing block", () => {
    const intents = intentsOf(leadEvent({ routing: undefined }));
    expect(ids(intents)).toEqual(["contact", "company", "contact-company", "note"]);
    expect(intents.routing).toBeUndefined();
  });

  it("passes the target pipeline to the deal's match", () => {
    const base = leadEvent();
    const intents = intentsOf(leadEvent({ routing: { ...base.routing!, target_pipeline: "Enterprise" } }));
    expect(byId(intents, "deal", "record").match).toMatchObject({ pipeline: "Enterprise" });
  });

  it("splits full_name into first and last name when the parts are missing", () => {
    const intents = intentsOf(
      leadEvent({ contact: { email: "x@example.com", full_name: "Ada King Lovelace" } }),
    );
    expect(byId(intents, "contact", "record").properties).toMatchObject({
      first_name: "Ada",
      last_name: "King Lovelace",
    });
  });

  it("summarises the lead in the note and attaches it to the contact and, optionally, the deal", () => {
    const note = byId(intentsOf(leadEvent()), "note", "note");
    expect(note.attach).toEqual([{ step: "contact" }, { step: "deal", optional: true }]);
    expect(note.body).toContain("Lead submitted via webflow (event evt_lead_1)");
    expect(note.body).toContain("Pain: Leads get lost between the form and the CRM");
    expect(note.body).toContain("Consent to contact: yes");
    expect(note.body).toContain(
      "Routing: qualified · score 82 · tier priority · enterprise_ae · confidence 0.91",
    );
    expect(note.timestamp).toBe("2025-03-04T10:00:00.000Z");
  });

  it.each([
    [{ contact: true, deal: false }, [{ step: "contact" }]],
    [{ contact: false, deal: true }, [{ step: "deal" }]],
  ])("follows policy.notes %o", (notes, attach) => {
    expect(byId(intentsOf(leadEvent(), createPlanPolicy({ notes })), "note", "note").attach).toEqual(attach);
  });

  it("writes no note when policy.notes turns both off", () => {
    const intents = intentsOf(leadEvent(), createPlanPolicy({ notes: { contact: false, deal: false } }));
    expect(ids(intents)).not.toContain("note");
  });
});

describe("toIntents: payments", () => {
  it("payment.succeeded makes the contact a customer, wins its open deal and plans onboarding for the deal owner", () => {
    const intents = intentsOf(paymentEvent());
    expect(ids(intents)).toEqual(["contact", "deal", "task", "note"]);
    expect(byId(intents, "contact", "record").properties).toEqual({
      email: "ops@example.com",
      lifecycle_stage: "customer",
    });
    const deal = byId(intents, "deal", "record");
    expect(deal).toMatchObject({
      mode: "update_only",
      stage: { kind: "won" },
      match: { by: "open_deal", contact: { step: "contact" } },
    });
    const task = byId(intents, "task", "task");
    expect(task).toMatchObject({
      subject: "Start onboarding",
      dueAt: "2025-03-05T10:00:00.000Z",
      priority: "medium",
    });
    expect(task.owner).toEqual({ from: "record", steps: [{ step: "deal" }, { step: "contact" }] });
    expect(byId(intents, "note", "note").body).toContain("Payment succeeded: 49.00 EUR via stripe (pi_1)");
  });

  it("renders amounts in the currency's own precision", () => {
    const event = paymentEvent("payment.succeeded", {
      payment: { provider: "stripe", payment_id: "pi_2", amount: 4900, currency: "JPY" },
    });
    expect(byId(intentsOf(event), "note", "note").body).toContain("4900 JPY");
  });

  it("payment.failed writes a note and a follow-up task and never touches a deal", () => {
    const intents = intentsOf(paymentEvent("payment.failed"));
    expect(ids(intents)).toEqual(["contact", "task", "note"]);
    expect(byId(intents, "contact", "record").properties).toEqual({ email: "ops@example.com" });
    expect(byId(intents, "task", "task")).toMatchObject({
      subject: "Follow up on failed payment",
      priority: "high",
    });
    expect(byId(intents, "note", "note").body).toContain("Payment failed");
  });
});

describe("toIntents: booking, support, onboarding", () => {
  it("booking.scheduled upserts the contact and plans the meeting at its start, without a stage move by default", () => {
    const intents = intentsOf(bookingEvent());
    expect(ids(intents)).toEqual(["contact", "task", "note"]);
    const task = byId(intents, "task", "task");
    expect(task).toMatchObject({ subject: "Meeting: Demo", dueAt: "2025-03-10T15:00:00.000Z" });
    expect(task.body).toContain("Location: Zoom");
  });

  it("booking.scheduled moves the open deal to policy.pipelines.deal.bookingStage when set", () => {
    const intents = intentsOf(
      bookingEvent(),
      createPlanPolicy({ pipelines: { deal: { bookingStage: "Contract sent" } } }),
    );
    expect(byId(intents, "deal", "record")).toMatchObject({
      mode: "update_only",
      stage: { kind: "label", label: "Contract sent" },
    });
    expect(byId(intents, "task", "task").attach).toEqual([
      { step: "contact" },
      { step: "deal", optional: true },
    ]);
  });

  it("support.requested wants a ticket keyed by ticket_ref with its associations", () => {
    const intents = intentsOf(supportEvent());
    expect(ids(intents)).toEqual([
      "contact",
      "company",
      "ticket",
      "ticket-contact",
      "ticket-company",
      "contact-company",
    ]);
    const ticket = byId(intents, "ticket", "record");
    expect(ticket.match).toEqual({ by: "key", field: "external_ref", value: "T-100" });
    expect(ticket.properties).toEqual({
      external_ref: "T-100",
      subject: "Sync stopped",
      priority: "high",
      description: "No leads since Monday",
    });
  });

  it("onboarding.started wants one task per listed task, each requiring a won deal or payment", () => {
    const intents = intentsOf(onboardingEvent());
    expect(ids(intents)).toEqual(["contact", "task-1", "task-2"]);
    expect(byId(intents, "contact", "record").mode).toBe("update_only");
    const task = byId(intents, "task-1", "task") as TaskIntent;
    expect(task).toMatchObject({ subject: "Kickoff call", dueAt: "2025-03-05T09:00:00.000Z" });
    expect(task.requires).toEqual({ kind: "won_deal_or_payment", contact: { step: "contact" } });
  });

  it("onboarding.started without listed tasks wants the policy's onboarding task after its offset", () => {
    const intents = intentsOf(onboardingEvent({ onboarding: {} }));
    expect(ids(intents)).toEqual(["contact", "task"]);
    expect(byId(intents, "task", "task")).toMatchObject({
      subject: "Start onboarding",
      dueAt: "2025-03-05T10:00:00.000Z",
    });
  });
});

describe("toIntents: recipes", () => {
  it("is pure: the same event gives deep-equal intents", () => {
    expect(intentsOf(leadEvent())).toEqual(intentsOf(leadEvent()));
  });

  it("reports an event type without a recipe as a ContractError naming event_type", () => {
    const result = toIntents({ ...leadEvent(), event_type: "trial.started" } as unknown as RecipeEvent);
    expect(result.isErr()).toBe(true);
    const error = result._unsafeUnwrapErr();
    expect(error.eventType).toBe("trial.started");
    expect(error.issues).toEqual([
      expect.objectContaining({ field: "event_type", code: "unknown_event_type" }),
    ]);
  });

  it("runs a user recipe for a user event type", () => {
    const trial = defineRecipe<RecipeEvent & { user: { email: string } }>({
      type: "trial.started",
      toIntents: (event) => ({
        items: [
          {
            kind: "record",
            id: "contact",
            objectType: "contact",
            mode: "upsert",
            match: { by: "key", field: "email", value: event.user.email },
            properties: { email: event.user.email, lifecycle_stage: "lead" },
            why: "the trial's user",
          } satisfies RecordIntent,
        ],
      }),
    });
    const event = { ...leadEvent(), event_type: "trial.started", user: { email: "t@example.com" } };
    const intents = toIntents(event, { recipes: [trial] })._unsafeUnwrap();
    expect(ids(intents)).toEqual(["contact"]);
    expect(intents.event.type).toBe("trial.started");
  });

  it("lets a user recipe override a default one by type", () => {
    const override = defineRecipe({ type: "lead.submitted", toIntents: () => ({ items: [] }) });
    expect(toIntents(leadEvent(), { recipes: [override] })._unsafeUnwrap().items).toEqual([]);
    expect(toIntents(leadEvent())._unsafeUnwrap().items.length).toBeGreaterThan(0);
  });

  it.each([
    [{ type: "Trial", toIntents: () => ({ items: [] }) }, /option `type`/],
    [{ type: "trial.started", toIntents: "nope" }, /option `toIntents`/],
  ])("defineRecipe throws naming the bad option", (recipe, message) => {
    expect(() => defineRecipe(recipe as never)).toThrow(message);
  });
});
