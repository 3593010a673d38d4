import type { CrmObjectType, CrmOwner, CrmPipeline, FieldMeta } from "../../adapter/index.js";

/** The owners a fake CRM starts with when the `owners` option is absent: two active users. */
export const DEFAULT_FAKE_OWNERS: readonly CrmOwner[] = [
  { id: "owner-1", email: "alex@example.com", name: "Alex Morgan", active: true },
  { id: "owner-2", email: "sam@example.com", name: "Sam Rivera", active: true },
];

/**
 * The pipelines a fake CRM starts with when the `pipelines` option is absent: "Sales Pipeline" for deals
 * (new → qualified → proposal → closed won / closed lost) and "Support Pipeline" for tickets.
 */
export const DEFAULT_FAKE_PIPELINES: readonly CrmPipeline[] = [
  {
    id: "sales",
    label: "Sales Pipeline",
    objectType: "deal",
    stages: [
      { id: "new", label: "New", order: 0, closed: false, won: false, probability: 0.1 },
      { id: "qualified", label: "Qualified", order: 1, closed: false, won: false, probability: 0.3 },
      { id: "proposal", label: "Proposal", order: 2, closed: false, won: false, probability: 0.6 },
      { id: "closed_won", label: "Closed won", order: 3, closed: true, won: true, probability: 1 },
      { id: "closed_lost", label: "Closed lost", order: 4, closed: true, won: false, probability: 0 },
    ],
  },
  {
    id: "support",
    label: "Support Pipeline",
    objectType: "ticket",
    stages: [
      { id: "ticket_new", label: "New", order: 0, closed: false, won: false },
      { id: "ticket_waiting", label: "Waiting on contact", order: 1, closed: false, won: false },
      { id: "ticket_closed", label: "Closed", order: 2, closed: true, won: false },
    ],
  },
];

const field = (
  key: string,
  label: string,
  type: FieldMeta["type"],
  extra: Partial<FieldMeta> = {},
): FieldMeta => ({
  key,
  apiName: key,
  label,
  type,
  ...extra,
});

const options = (...values: string[]): FieldMeta["options"] =>
  values.map((value) => ({ value, label: value.replaceAll("_", " ") }));

const owner = field("owner_id", "Owner", "reference");
const pipeline = field("pipeline_id", "Pipeline", "reference");
const stage = field("stage_id", "Stage", "reference");

/**
 * Metadata of the canonical keys every fake CRM knows. `secondary_domains` holds a company's extra domains,
 * `;`-separated like HubSpot's `hs_additional_domains`, and `find` by `domain` matches them too.
 */
export const BUILT_IN_FAKE_FIELDS: Readonly<Record<CrmObjectType, readonly FieldMeta[]>> = {
  contact: [
    field("email", "Email", "email"),
    field("first_name", "First name", "string"),
    field("last_name", "Last name", "string"),
    field("phone", "Phone", "phone"),
    field("job_title", "Job title", "string"),
    owner,
    field("lifecycle_stage", "Lifecycle stage", "enum", {
      options: options(
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
      ),
    }),
  ],
  company: [
    field("name", "Name", "string"),
    field("domain", "Domain", "string"),
    field("secondary_domains", "Additional domains", "text"),
    owner,
  ],
  deal: [
    field("name", "Deal name", "string", { required: true }),
    pipeline,
    stage,
    field("amount", "Amount", "number"),
    field("currency", "Currency", "string"),
    owner,
    field("close_date", "Close date", "date"),
  ],
  ticket: [
    field("subject", "Subject", "string", { required: true }),
    field("description", "Description", "text"),
    field("priority", "Priority", "enum", { options: options("low", "medium", "high", "urgent") }),
    field("external_ref", "External reference", "string"),
    owner,
    pipeline,
    stage,
  ],
  note: [
    field("body", "Body", "text", { required: true }),
    field("timestamp", "Timestamp", "datetime"),
    owner,
  ],
  task: [
    field("subject", "Subject", "string", { required: true }),
    field("body", "Body", "text"),
    field("due_at", "Due", "datetime"),
    field("priority", "Priority", "enum", { options: options("low", "medium", "high") }),
    field("status", "Status", "enum", { options: options("not_started", "completed") }),
    owner,
  ],
};
