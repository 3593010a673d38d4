import type { HubSpotObjectType, HubSpotPropertyDefinition, HubSpotPropertyOption } from "./types.js";

const options = (...values: string[]): HubSpotPropertyOption[] =>
  values.map((value, i) => ({
    label: value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, " "),
    value,
    displayOrder: i,
  }));

const str = (name: string, extra: Partial<HubSpotPropertyDefinition> = {}): HubSpotPropertyDefinition => ({
  name,
  type: "string",
  ...extra,
});
const num = (name: string): HubSpotPropertyDefinition => ({ name, type: "number" });
const datetime = (
  name: string,
  extra: Partial<HubSpotPropertyDefinition> = {},
): HubSpotPropertyDefinition => ({
  name,
  type: "datetime",
  ...extra,
});
const enumeration = (name: string, values: string[]): HubSpotPropertyDefinition => ({
  name,
  type: "enumeration",
  options: options(...values),
});

const LIFECYCLE = enumeration("lifecyclestage", [
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
  "other",
]);

// Present on every type. `hubspot_owner_id` is validated against the owners, pipelines against the pipelines.
const COMMON: readonly HubSpotPropertyDefinition[] = [
  str("hs_object_id", { calculated: true, type: "number" }),
  datetime("createdate", { calculated: true }),
  str("hubspot_owner_id", { type: "enumeration" }),
];

/** Default property definitions per object type (a realistic subset of HubSpot's). */
export const DEFAULT_PROPERTIES: Record<HubSpotObjectType, readonly HubSpotPropertyDefinition[]> = {
  contacts: [
    ...COMMON,
    datetime("lastmodifieddate", { calculated: true }),
    str("email"),
    str("firstname"),
    str("lastname"),
    str("phone"),
    str("mobilephone"),
    str("company"),
    str("jobtitle"),
    str("website"),
    str("city"),
    str("country"),
    str("hs_additional_emails"),
    LIFECYCLE,
    enumeration("hs_lead_status", [
      "NEW",
      "OPEN",
      "IN_PROGRESS",
      "OPEN_DEAL",
      "UNQUALIFIED",
      "ATTEMPTED_TO_CONTACT",
      "CONNECTED",
      "BAD_TIMING",
    ]),
  ],
  companies: [
    ...COMMON,
    datetime("hs_lastmodifieddate", { calculated: true }),
    str("name"),
    str("domain"),
    str("hs_additional_domains"),
    str("website"),
    str("phone"),
    str("city"),
    str("country"),
    str("industry"),
    num("numberofemployees"),
    num("annualrevenue"),
    LIFECYCLE,
  ],
  deals: [
    ...COMMON,
    datetime("hs_lastmodifieddate", { calculated: true }),
    str("dealname"),
    num("amount"),
    str("deal_currency_code"),
    str("pipeline", { type: "enumeration" }),
    str("dealstage", { type: "enumeration" }),
    datetime("closedate"),
    enumeration("dealtype", ["newbusiness", "existingbusiness"]),
    str("description"),
    { name: "hs_is_closed", type: "bool", calculated: true },
    { name: "hs_is_closed_won", type: "bool", calculated: true },
  ],
  notes: [
    ...COMMON,
    datetime("hs_lastmodifieddate", { calculated: true }),
    datetime("hs_timestamp"),
    str("hs_note_body"),
    str("hs_attachment_ids"),
  ],
  tasks: [
    ...COMMON,
    datetime("hs_lastmodifieddate", { calculated: true }),
    datetime("hs_timestamp"),
    str("hs_task_subject"),
    str("hs_task_body"),
    enumeration("hs_task_status", ["NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"]),
    enumeration("hs_task_priority", ["NONE", "LOW", "MEDIUM", "HIGH"]),
    enumeration("hs_task_type", ["EMAIL", "CALL", "TODO"]),
  ],
  tickets: [
    ...COMMON,
    datetime("hs_lastmodifieddate", { calculated: true }),
    str("subject"),
    str("content"),
    str("hs_pipeline", { type: "enumeration" }),
    str("hs_pipeline_stage", { type: "enumeration" }),
    enumeration("hs_ticket_priority", ["LOW", "MEDIUM", "HIGH", "URGENT"]),
    enumeration("hs_ticket_category", [
      "PRODUCT_ISSUE",
      "BILLING_ISSUE",
      "FEATURE_REQUEST",
      "GENERAL_INQUIRY",
    ]),
    str("source_type"),
  ],
};

/** Properties that must be present on create. */
export const REQUIRED_ON_CREATE: Partial<Record<HubSpotObjectType, readonly string[]>> = {
  notes: ["hs_timestamp"],
  tasks: ["hs_timestamp"],
};

/** Properties returned by reads that name no `properties`. */
export const DEFAULT_READ_PROPERTIES: Record<HubSpotObjectType, readonly string[]> = {
  contacts: ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
  companies: ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
  deals: [
    "amount",
    "closedate",
    "createdate",
    "dealname",
    "dealstage",
    "hs_lastmodifieddate",
    "hs_object_id",
    "pipeline",
  ],
  notes: ["createdate", "hs_lastmodifieddate", "hs_object_id"],
  tasks: ["createdate", "hs_lastmodifieddate", "hs_object_id"],
  tickets: [
    "content",
    "createdate",
    "hs_lastmodifieddate",
    "hs_object_id",
    "hs_pipeline",
    "hs_pipeline_stage",
    "subject",
  ],
};
