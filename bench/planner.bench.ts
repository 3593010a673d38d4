import type { CrmOwner, CrmPipeline, FieldMeta } from "../src/adapter/index.js";
import { type LeadSubmittedEvent, toIntents } from "../src/intents/index.js";
import { createPlanPolicy, planUpserts, type Snapshot, type UpsertPlan } from "../src/planner/index.js";
import { type BenchRow, type BenchSuite, measureOps } from "./harness.js";

// The diagnostic lead: every field of lead.submitted set, qualified, priority tier, routed by a round-robin rule.
const lead: LeadSubmittedEvent = {
  event_type: "lead.submitted",
  event_id: "evt_diag_1",
  source_system: "webflow",
  source_record_id: "sub_diag_1",
  occurred_at: "2025-03-04T10:00:00.000Z",
  correlation_id: "corr_diag_1",
  idempotency_key: "lead.submitted:webflow:sub_diag_1",
  contact: {
    email: "ops@example.com",
    first_name: "Ada",
    last_name: "Lovelace",
    phone: "+14155550132",
    job_title: "CTO",
  },
  company: { name: "Example Inc", domain: "example.com" },
  lead: {
    budget_range: "10k-50k",
    urgency: "this_quarter",
    pain_summary: "Leads get lost between the web form and the CRM; nobody follows up within a day.",
    detected_stack: ["hubspot", "stripe", "webflow", "slack"],
    consent_to_contact: true,
    utm: { source: "google", medium: "cpc", campaign: "spring", term: "crm sync", content: "ad-3" },
  },
  routing: {
    qualification_status: "qualified",
    lead_score: 82,
    routing_tier: "priority",
    target_owner_role: "enterprise_ae",
    confidence: 0.91,
  },
};

const owners: CrmOwner[] = Array.from({ length: 40 }, (_, i) => ({
  id: String(100 + i),
  email: `rep${i}@acme.test`,
  name: `Rep ${i}`,
  active: i % 7 !== 3,
}));

const stages = (prefix: string, labels: string[]) =>
  labels.map((label, order) => ({
    id: `${prefix}_${order}`,
    label,
    order,
    closed: order >= labels.length - 2,
    won: order === labels.length - 2,
  }));
const pipelines: CrmPipeline[] = [
  {
    id: "default",
    label: "Sales",
    objectType: "deal",
    stages: stages("s", ["New", "Qualified", "Demo", "Proposal", "Negotiation", "Won", "Lost"]),
  },
  {
    id: "ent",
    label: "Enterprise",
    objectType: "deal",
    stages: stages("e", ["New", "Discovery", "Security review", "Won", "Lost"]),
  },
];

const lifecycle = [
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
];
const contactFields: FieldMeta[] = [
  { key: "email", apiName: "email", label: "Email", type: "email", unique: true },
  { key: "first_name", apiName: "firstname", label: "First name", type: "string" },
  { key: "last_name", apiName: "lastname", label: "Last name", type: "string" },
  { key: "phone", apiName: "phone", label: "Phone", type: "phone" },
  { key: "job_title", apiName: "jobtitle", label: "Job title", type: "string" },
  {
    key: "lifecycle_stage",
    apiName: "lifecyclestage",
    label: "Lifecycle stage",
    type: "enum",
    options: lifecycle.map((value) => ({ value, label: value })),
  },
  { key: "owner_id", apiName: "hubspot_owner_id", label: "Owner", type: "reference" },
  ...Array.from({ length: 20 }, (_, i) => ({
    key: `custom_${i}`,
    apiName: `custom_${i}__c`,
    label: `Custom ${i}`,
    type: "string" as const,
  })),
];

const policy = createPlanPolicy({
  routing: [
    { tier: "priority", role: "enterprise_ae", owner: owners.slice(0, 6).map((owner) => owner.email!) },
    { tier: "standard", owner: owners.slice(6, 12).map((owner) => owner.email!) },
    { owner: "rep20@acme.test" },
  ],
  fallbackOwner: "rep21@acme.test",
});

// An existing contact with most fields set (update of two fields), an existing company, one open deal.
const existing: Snapshot = {
  matches: {
    "contact:email:ops@example.com": [
      {
        type: "contact",
        id: "501",
        properties: {
          email: "ops@example.com",
          first_name: "Ada",
          last_name: "",
          phone: "+14155550132",
          lifecycle_stage: "subscriber",
          owner_id: "",
        },
        associations: { company: ["601"] },
      },
    ],
    "company:domain:example.com": [
      { type: "company", id: "601", properties: { domain: "example.com", name: "Example Inc" } },
    ],
  },
  openDeals: {
    "open_deals:501:default": [
      {
        type: "deal",
        id: "701",
        properties: {
          name: "Example Inc – inbound lead",
          pipeline_id: "default",
          stage_id: "s_1",
          owner_id: "",
        },
      },
    ],
  },
  owners,
  pipelines: { deal: pipelines },
  fields: { contact: contactFields },
};

const fresh: Snapshot = {
  ...existing,
  matches: { "contact:email:ops@example.com": [], "company:domain:example.com": [] },
  openDeals: {},
};

function planFor(snapshot: Snapshot): UpsertPlan {
  const intents = toIntents(lead, { policy });
  if (intents.isErr()) throw intents.error;
  return planUpserts({ intents: intents.value, snapshot, policy });
}

export const suite: BenchSuite = {
  title: "Planner",
  description:
    "`toIntents` + `planUpserts` for the diagnostic lead (every lead.submitted field set, qualified, round-robin routing " +
    "over 40 owners, 2 deal pipelines, 27 contact fields with an enum) against an account where the contact, company " +
    "and open deal exist (2 updates, 1 noop, 1 association noop) and against an empty account (7 creates). Anchor: " +
    "`JSON.parse(JSON.stringify(plan))` of the same plan, i.e. what storing the plan in a journal costs; planning within a " +
    "small multiple of one serialisation round trip means the planner does no wasteful work.",
  async run(): Promise<BenchRow[]> {
    const samplePlan = planFor(existing);
    const anchor = await measureOps(() => JSON.parse(JSON.stringify(samplePlan)), { iterations: 50_000 });
    const update = await measureOps(() => planFor(existing), { iterations: 50_000 });
    const create = await measureOps(() => planFor(fresh), { iterations: 50_000 });
    return [
      {
        name: "toIntents + planUpserts (diagnostic lead, existing records)",
        value: update,
        unit: "events/s",
        target: 100_000,
        anchor: { name: "JSON round trip of the plan", value: anchor },
        note: `${samplePlan.steps.length} steps, ${samplePlan.trace.length} trace entries`,
      },
      {
        name: "toIntents + planUpserts (diagnostic lead, empty account)",
        value: create,
        unit: "events/s",
        target: 100_000,
        anchor: { name: "JSON round trip of the plan", value: anchor },
      },
    ];
  },
};
