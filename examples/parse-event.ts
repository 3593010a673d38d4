// Parse canonical events with crmkit: normalized event on success, every issue (with its path) on failure.
// Run: npx tsx examples/parse-event.ts
import { readFileSync } from "node:fs";
import {
  type CanonicalEvent,
  Contact,
  createEventParser,
  defineEventType,
  needsManualReview,
  parseEvent,
  Timestamp,
} from "crmkit";
import * as z from "zod";

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../test/fixtures/events/${name}.json`, import.meta.url), "utf8"));
}

function describe(event: CanonicalEvent): string {
  switch (event.event_type) {
    case "lead.submitted": {
      const review = event.routing !== undefined && needsManualReview(event.routing, { minConfidence: 0.8 });
      return `lead ${event.contact.email} at ${event.company?.domain ?? "(no company)"}${review ? " → review" : ""}`;
    }
    case "payment.succeeded":
    case "payment.failed":
      return `${event.event_type} ${event.payment.amount} ${event.payment.currency} by ${event.contact.email}`;
    case "booking.scheduled":
      return `booking ${event.booking.booking_id} at ${event.booking.starts_at}`;
    case "support.requested":
      return `ticket ${event.ticket.ticket_ref} (${event.ticket.priority})`;
    case "onboarding.started":
      return `onboarding for ${event.contact.email}: ${event.onboarding.tasks?.length ?? 0} tasks`;
  }
}

// 1. The diagnostic-form lead: emails, phones, domains and timestamps come out normalized.
const lead = parseEvent(fixture("diagnostic-lead"));
if (lead.isOk()) {
  console.log(describe(lead.value));
  console.log(JSON.stringify(lead.value, null, 2));
}

// 2. A broken lead: one ContractError that lists every issue, each with its path and what to fix.
parseEvent(fixture("broken-lead")).match(
  (event) => console.log("unexpectedly valid:", describe(event)),
  (error) => {
    console.log(`\n${error.issues.length} issues:`);
    for (const issue of error.issues) console.log(`  ${issue.field} [${issue.code}] ${issue.message}`);
  },
);

// 3. Your own event type, known only to the parser you build with it (no global registry).
const TrialStarted = defineEventType({
  type: "trial.started",
  description: "A visitor started a free trial.",
  schema: z.object({ contact: Contact, trial: z.object({ plan: z.string(), ends_at: Timestamp }) }),
});
const parser = createEventParser({ eventTypes: [TrialStarted], defaultRegion: "US" });
const trial = parser.parse({
  event_type: "trial.started",
  event_id: "evt_trial_1",
  contract_version: "1.0",
  source_system: "app",
  source_record_id: "trial_42",
  occurred_at: "2024-07-01T09:00:00-07:00",
  correlation_id: "req_trial_1",
  contact: { email: "Ann@Example.com", phone: "(415) 555-0132" },
  trial: { plan: "growth", ends_at: "2024-07-15T00:00:00Z" },
});
if (trial.isOk() && trial.value.event_type === "trial.started") {
  console.log(
    `\ntrial ${trial.value.trial.plan} for ${trial.value.contact.email} (${trial.value.contact.phone})`,
  );
  console.log(`idempotency key: ${trial.value.idempotency_key}`);
}
