import type { CrmOwner, CrmPipeline, CrmRecord, FieldMeta } from "../../src/adapter/index.js";
import type {
  BookingScheduledEvent,
  LeadSubmittedEvent,
  OnboardingStartedEvent,
  PaymentEvent,
  SupportRequestedEvent,
} from "../../src/intents/index.js";
import type { Snapshot } from "../../src/planner/index.js";

// Builders for the intents and planner tests: events with every field a recipe reads, and snapshots with
// realistic CRM state. Overrides replace whole top-level blocks.

const envelope = {
  source_system: "webflow",
  occurred_at: "2025-03-04T10:00:00.000Z",
  correlation_id: "corr_1",
};

export function leadEvent(overrides: Partial<LeadSubmittedEvent> = {}): LeadSubmittedEvent {
  return {
    ...envelope,
    event_type: "lead.submitted",
    event_id: "evt_lead_1",
    source_record_id: "sub_1",
    idempotency_key: "lead.submitted:webflow:sub_1",
    contact: {
      email: "ops@example.com",
      first_name: "Ada",
      last_name: "Lovelace",
      job_title: "CTO",
      phone: "+14155550132",
    },
    company: { name: "Example Inc", domain: "example.com" },
    lead: {
      budget_range: "10k-50k",
      urgency: "this_quarter",
      pain_summary: "Leads get lost between the form and the CRM",
      detected_stack: ["hubspot", "stripe"],
      consent_to_contact: true,
      utm: { source: "google", medium: "cpc", campaign: "spring" },
    },
    routing: {
      qualification_status: "qualified",
      lead_score: 82,
      routing_tier: "priority",
      target_owner_role: "enterprise_ae",
      confidence: 0.91,
    },
    ...overrides,
  };
}

export function paymentEvent(
  type: PaymentEvent["event_type"] = "payment.succeeded",
  overrides: Partial<PaymentEvent> = {},
): PaymentEvent {
  return {
    ...envelope,
    source_system: "stripe",
    event_type: type,
    event_id: "evt_pay_1",
    source_record_id: "pi_1",
    contact: { email: "ops@example.com" },
    payment: { provider: "stripe", payment_id: "pi_1", amount: 4900, currency: "EUR", plan: "Pro" },
    ...overrides,
  };
}

export function bookingEvent(overrides: Partial<BookingScheduledEvent> = {}): BookingScheduledEvent {
  return {
    ...envelope,
    source_system: "cal.com",
    event_type: "booking.scheduled",
    event_id: "evt_book_1",
    source_record_id: "bk_1",
    contact: { email: "ops@example.com", full_name: "Ada King Lovelace" },
    booking: {
      booking_id: "bk_1",
      starts_at: "2025-03-10T15:00:00.000Z",
      meeting_type: "Demo",
      location: "Zoom",
    },
    ...overrides,
  };
}

export function supportEvent(overrides: Partial<SupportRequestedEvent> = {}): SupportRequestedEvent {
  return {
    ...envelope,
    source_system: "zendesk",
    event_type: "support.requested",
    event_id: "evt_sup_1",
    source_record_id: "T-100",
    contact: { email: "ops@example.com" },
    company: { domain: "example.com" },
    ticket: {
      ticket_ref: "T-100",
      subject: "Sync stopped",
      description: "No leads since Monday",
      priority: "high",
    },
    ...overrides,
  };
}

export function onboardingEvent(overrides: Partial<OnboardingStartedEvent> = {}): OnboardingStartedEvent {
  return {
    ...envelope,
    source_system: "app",
    event_type: "onboarding.started",
    event_id: "evt_onb_1",
    source_record_id: "acct_1",
    contact: { email: "ops@example.com" },
    onboarding: {
      plan: "Pro",
      kickoff_at: "2025-03-05T09:00:00.000Z",
      tasks: ["Kickoff call", "Import data"],
    },
    ...overrides,
  };
}

export function record(
  type: CrmRecord["type"],
  id: string,
  properties: CrmRecord["properties"] = {},
  extra: Partial<CrmRecord> = {},
): CrmRecord {
  return { type, id, properties, ...extra };
}

export const owners: CrmOwner[] = [
  { id: "7", email: "ann@acme.test", name: "Ann", active: true },
  { id: "8", email: "bob@acme.test", name: "Bob", active: true },
  { id: "9", email: "gone@acme.test", name: "Gone", active: false },
  { id: "10", email: "lead@acme.test", name: "Sales lead", active: true },
];

export const dealPipelines: CrmPipeline[] = [
  {
    id: "default",
    label: "Sales",
    objectType: "deal",
    stages: [
      { id: "appointmentscheduled", label: "Appointment scheduled", order: 0, closed: false, won: false },
      { id: "qualifiedtobuy", label: "Qualified to buy", order: 1, closed: false, won: false },
      { id: "contractsent", label: "Contract sent", order: 2, closed: false, won: false },
      { id: "closedwon", label: "Closed won", order: 3, closed: true, won: true },
      { id: "closedlost", label: "Closed lost", order: 4, closed: true, won: false },
    ],
  },
  {
    id: "p_ent",
    label: "Enterprise",
    objectType: "deal",
    stages: [
      { id: "ent_new", label: "New", order: 0, closed: false, won: false },
      { id: "ent_won", label: "Won", order: 1, closed: true, won: true },
    ],
  },
];

export const ticketPipelines: CrmPipeline[] = [
  {
    id: "support",
    label: "Support",
    objectType: "ticket",
    stages: [
      { id: "new", label: "New", order: 0, closed: false, won: false },
      { id: "closed", label: "Closed", order: 1, closed: true, won: false },
    ],
  },
];

export const contactFields: FieldMeta[] = [
  { key: "email", apiName: "email", label: "Email", type: "email" },
  { key: "first_name", apiName: "firstname", label: "First name", type: "string" },
  {
    key: "lifecycle_stage",
    apiName: "lifecyclestage",
    label: "Lifecycle stage",
    type: "enum",
    options: [
      "subscriber",
      "lead",
      "marketingqualifiedlead",
      "salesqualifiedlead",
      "opportunity",
      "customer",
      "evangelist",
    ].map((value) => ({ value, label: value })),
  },
];

export const ticketFields: FieldMeta[] = [
  {
    key: "priority",
    apiName: "hs_ticket_priority",
    label: "Priority",
    type: "enum",
    options: [
      { value: "LOW", label: "Low" },
      { value: "MEDIUM", label: "Medium" },
      { value: "HIGH", label: "High" },
    ],
  },
];

/** A snapshot where every search was answered with "no match" unless overridden. */
export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    matches: {
      "contact:email:ops@example.com": [],
      "company:domain:example.com": [],
      "ticket:external_ref:T-100": [],
    },
    openDeals: {},
    history: {},
    owners,
    pipelines: { deal: dealPipelines, ticket: ticketPipelines },
    fields: { contact: contactFields, ticket: ticketFields },
    ...overrides,
  };
}
