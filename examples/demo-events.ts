// Sample events for the demo, in the wire format producers send (snake_case JSON).

/** The diagnostic-form lead from the design: contact, company, lead context and AI routing output. */
export const diagnosticLead = {
  event_id: "evt_01HZX3K9Q7M2",
  event_type: "lead.submitted",
  contract_version: "1.0",
  source_system: "webflow",
  source_record_id: "diag_form_5f2c9a",
  occurred_at: "2026-05-01T12:03:11+02:00",
  received_at: "2026-05-01T10:03:12.481Z",
  correlation_id: "req_7b1e2d40",
  contact: {
    email: "  Ops@Example.com ",
    phone: "+1 (415) 555-0132",
    first_name: "Olivia",
    last_name: "Park",
    job_title: "Head of Operations",
  },
  company: { name: "Example Inc", domain: "https://www.Example.com/about" },
  lead: {
    budget_range: "$10k–$25k",
    urgency: "this_quarter",
    pain_summary: "Leads sit in a spreadsheet for days; duplicates pile up in the CRM.",
    detected_stack: ["HubSpot", "Webflow", "Stripe", "Zapier"],
    consent_to_contact: true,
    utm: { source: "google", medium: "cpc", campaign: "crm-automation-diagnostic" },
  },
  routing: {
    qualification_status: "qualified",
    lead_score: 82,
    routing_tier: "priority",
    target_pipeline: "Sales Pipeline",
    target_owner_role: "account_executive",
    confidence: 0.91,
    manual_review_required: false,
  },
};

/** The same producer sending garbage: every issue is reported, with its path and how to fix it. */
export const brokenLead = {
  event_id: "evt_broken_1",
  event_type: "lead.submitted",
  source_system: "webflow",
  source_record_id: "diag_form_broken",
  occurred_at: "2026-05-01 12:03",
  correlation_id: "req_broken",
  contact: { email: "not-an-email", phone: "(415) 555-0132" },
  company: { name: "Example Inc", domain: "not a domain" },
  lead: { consent_to_contact: "yes" },
  routing: { qualification_status: "hot", lead_score: 182, routing_tier: "priority", confidence: 1.4 },
};

/** Two weeks later the customer pays. */
export const paymentSucceeded = {
  event_id: "evt_pay_1",
  event_type: "payment.succeeded",
  contract_version: "1.0",
  source_system: "stripe",
  source_record_id: "pi_3PbW2eAbCdEf",
  occurred_at: "2026-05-14T09:30:00Z",
  correlation_id: "req_pay_1",
  contact: { email: "ops@example.com" },
  payment: {
    provider: "stripe",
    payment_id: "pi_3PbW2eAbCdEf",
    amount: 490000,
    currency: "usd",
    plan: "sprint",
  },
};
