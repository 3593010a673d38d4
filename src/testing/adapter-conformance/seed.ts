import type { AdapterConformanceSeed } from "./types.js";

/**
 * What every backend under the conformance suite must contain. Backends translate it into their own storage
 * (a fake CRM takes it as options; an emulator seeds its tables); the suite looks owners up by email, pipelines
 * and stages by label and seeded records by email or domain, so backends may assign their own ids.
 */
export const ADAPTER_CONFORMANCE_SEED: AdapterConformanceSeed = {
  owners: [
    { id: "owner-ada", email: "ada@conformance.example", name: "Ada Active", active: true },
    { id: "owner-bo", email: "bo@conformance.example", name: "Bo Active", active: true },
    { id: "owner-ivy", email: "ivy@conformance.example", name: "Ivy Inactive", active: false },
  ],
  pipelines: [
    {
      id: "pipeline-new-business",
      label: "New Business",
      objectType: "deal",
      stages: [
        { id: "stage-discovery", label: "Discovery", order: 0, closed: false, won: false, probability: 0.2 },
        { id: "stage-proposal", label: "Proposal", order: 1, closed: false, won: false, probability: 0.6 },
        { id: "stage-won", label: "Won", order: 2, closed: true, won: true, probability: 1 },
        { id: "stage-lost", label: "Lost", order: 3, closed: true, won: false, probability: 0 },
      ],
    },
    {
      id: "pipeline-renewals",
      label: "Renewals",
      objectType: "deal",
      stages: [
        { id: "stage-renewal-due", label: "Renewal due", order: 0, closed: false, won: false },
        { id: "stage-renewed", label: "Renewed", order: 1, closed: true, won: true },
        { id: "stage-churned", label: "Churned", order: 2, closed: true, won: false },
      ],
    },
    {
      id: "pipeline-support",
      label: "Support",
      objectType: "ticket",
      stages: [
        { id: "stage-ticket-open", label: "Open", order: 0, closed: false, won: false },
        { id: "stage-ticket-closed", label: "Closed", order: 1, closed: true, won: false },
      ],
    },
  ],
  fields: {
    contact: [
      {
        key: "lead_source",
        apiName: "lead_source",
        label: "Lead source",
        type: "enum",
        options: [
          { value: "web", label: "Web" },
          { value: "referral", label: "Referral" },
          { value: "partner", label: "Partner" },
        ],
      },
    ],
  },
  records: [
    { type: "company", id: "seed-company-acme", properties: { name: "Acme", domain: "acme.example" } },
    {
      type: "contact",
      id: "seed-contact-existing",
      properties: { email: "existing@acme.example", first_name: "Erin", last_name: "Existing" },
      associations: [{ type: "company", id: "seed-company-acme" }],
    },
  ],
};
