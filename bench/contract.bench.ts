import { readFileSync } from "node:fs";
import * as z from "zod";
import { LeadSubmitted, normalizePhone, parseEvent } from "../src/contract/index.js";
import { type BenchSuite, measureOps } from "./harness.js";

const diagnostic = JSON.parse(
  readFileSync(new URL("../test/fixtures/events/diagnostic-lead.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
const broken = JSON.parse(
  readFileSync(new URL("../test/fixtures/events/broken-lead.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

// 1,000 distinct leads cycled through, so nothing (V8 string caches, libphonenumber's parse of one number) is
// measured on a single repeated value.
const DISTINCT = 1000;
const phones = Array.from(
  { length: DISTINCT },
  (_, i) => `+1 (415) 555-${String(1000 + i).padStart(4, "0")}`,
);
// More distinct numbers than normalizePhone's memo holds (1,024), so this row measures the validation itself.
const manyPhones = Array.from(
  { length: 20 * DISTINCT },
  (_, i) => `+1 (415) ${200 + Math.floor(i / 9000)}-${String(1000 + (i % 9000)).padStart(4, "0")}`,
);
const contact = diagnostic["contact"] as Record<string, unknown>;
const leads = phones.map((phone, i) => ({
  ...diagnostic,
  event_id: `evt_${i}`,
  source_record_id: `diag_form_${i}`,
  contact: { ...contact, email: ` Ops.${i}@Example${i % 50}.com `, phone },
}));
const leadsWithoutPhone = leads.map((lead) => {
  const { phone: _phone, ...rest } = lead.contact;
  return { ...lead, contact: rest };
});

// The same shape with plain zod types: what validation costs before any normalization.
const text = z.string().optional();
const PlainLead = z.object({
  event_id: z.string(),
  event_type: z.literal("lead.submitted"),
  contract_version: z.string(),
  source_system: z.string(),
  source_record_id: z.string(),
  occurred_at: z.string(),
  received_at: text,
  correlation_id: z.string(),
  raw: z.unknown(),
  contact: z.object({
    email: z.string(),
    phone: text,
    first_name: text,
    last_name: text,
    full_name: text,
    job_title: text,
  }),
  company: z.object({ name: text, domain: text }).optional(),
  lead: z
    .object({
      budget_range: text,
      urgency: text,
      pain_summary: text,
      detected_stack: z.array(z.string()).optional(),
      consent_to_contact: z.boolean(),
      utm: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  routing: z
    .object({
      qualification_status: z.enum(["qualified", "unqualified", "needs_review"]),
      lead_score: z.int(),
      routing_tier: z.enum(["priority", "standard", "nurture"]),
      target_pipeline: text,
      target_owner_role: text,
      confidence: z.number().optional(),
      manual_review_required: z.boolean().optional(),
    })
    .optional(),
});

const ITERATIONS = 20_000;

export const suite: BenchSuite = {
  title: "Contract: parseEvent",
  description: [
    `\`parseEvent\` on the diagnostic-form lead from \`test/fixtures/events/diagnostic-lead.json\` (contact with phone,`,
    `company URL, lead block, routing, raw), cycling through ${DISTINCT} distinct copies (different emails, phones and`,
    "record ids). The anchor for the first row is `LeadSubmitted.safeParse` on the same inputs: the same zod schema",
    "and normalizers without the prototype-safe copy, the phone-region scope and the issue mapping. The second row",
    "drops the phone, whose E.164 validation against libphonenumber's full metadata is the single most expensive step",
    "(its patterns are compiled once and a +1 number's country is chosen once; recent inputs are memoized, so the",
    "last phone row cycles through more numbers than the memo holds),",
    "and is anchored to a plain zod schema of the same shape with no normalization at all.",
  ].join(" "),
  async run() {
    const parse = await measureOps((i) => parseEvent(leads[i % DISTINCT]), { iterations: ITERATIONS });
    const schemaOnly = await measureOps((i) => LeadSubmitted.safeParse(leads[i % DISTINCT]), {
      iterations: ITERATIONS,
    });
    const noPhone = await measureOps((i) => parseEvent(leadsWithoutPhone[i % DISTINCT]), {
      iterations: ITERATIONS,
    });
    const plain = await measureOps((i) => PlainLead.safeParse(leadsWithoutPhone[i % DISTINCT]), {
      iterations: ITERATIONS,
    });
    const phone = await measureOps((i) => normalizePhone(phones[i % DISTINCT] ?? ""), {
      iterations: ITERATIONS,
    });
    const phoneUncached = await measureOps((i) => normalizePhone(manyPhones[i % manyPhones.length] ?? ""), {
      iterations: ITERATIONS,
    });
    const invalid = await measureOps(() => parseEvent(broken), { iterations: ITERATIONS / 4 });
    return [
      {
        name: "parseEvent, diagnostic lead",
        value: parse,
        unit: "events/s",
        target: 50_000,
        anchor: { name: "LeadSubmitted.safeParse", value: schemaOnly },
        note: `${DISTINCT} distinct leads`,
      },
      {
        name: "parseEvent, diagnostic lead without phone",
        value: noPhone,
        unit: "events/s",
        anchor: { name: "plain zod schema, no normalization", value: plain },
      },
      {
        name: "normalizePhone, formatted +1 number",
        value: phone,
        unit: "ops/s",
        note: `${DISTINCT} distinct`,
      },
      {
        name: "normalizePhone, formatted +1 number, memo misses",
        value: phoneUncached,
        unit: "ops/s",
        note: `${manyPhones.length} distinct`,
      },
      { name: "parseEvent, broken lead (8 issues)", value: invalid, unit: "events/s", note: "error path" },
    ];
  },
};
