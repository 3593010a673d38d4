import type { CrmAdapter } from "../../src/adapter/index.js";
import { createSync, type SyncOptions } from "../../src/executor/index.js";
import { createMemoryIdempotencyStore } from "../../src/idempotency/index.js";
import { createMemoryJournal } from "../../src/journal/index.js";
import { createFakeCrm, type FakeCrmOptions } from "../../src/testing/fake-crm/index.js";

// Builders for the executor tests: raw wire-format events (what a webhook delivers) and a sync on the fake CRM.

/** A raw `lead.submitted` event; `n` makes its ids, email and domain distinct. */
export function rawLead(
  n: number | string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    event_id: `evt_lead_${n}`,
    event_type: "lead.submitted",
    contract_version: "1.0",
    source_system: "webflow",
    source_record_id: `form_${n}`,
    occurred_at: "2025-03-04T10:00:00Z",
    correlation_id: `req_${n}`,
    contact: { email: `ops${n}@acme${n}.test`, first_name: "Ada", last_name: "Lovelace" },
    company: { name: `Acme ${n}`, domain: `acme${n}.test` },
    lead: { consent_to_contact: true, pain_summary: "Leads sit in a spreadsheet" },
    routing: {
      qualification_status: "qualified",
      lead_score: 80,
      routing_tier: "priority",
      target_pipeline: "Sales Pipeline",
      confidence: 0.9,
    },
    ...overrides,
  };
}

/** A raw `payment.succeeded` event for `email`. */
export function rawPayment(n: number | string, email: string): Record<string, unknown> {
  return {
    event_id: `evt_pay_${n}`,
    event_type: "payment.succeeded",
    contract_version: "1.0",
    source_system: "stripe",
    source_record_id: `pi_${n}`,
    occurred_at: "2025-03-05T10:00:00Z",
    correlation_id: `req_pay_${n}`,
    contact: { email },
    payment: {
      provider: "stripe",
      payment_id: `pi_${n}`,
      amount: 49_000,
      currency: "usd",
      product: "Sprint",
    },
  };
}

/** A sync on a fresh fake CRM with memory stores and fast in-run retries; every piece is returned for asserting. */
export function setup(
  crmOptions: FakeCrmOptions = {},
  syncOptions: Partial<SyncOptions> & { wrap?: (adapter: CrmAdapter) => CrmAdapter } = {},
) {
  const crm = createFakeCrm(crmOptions);
  const idempotency =
    syncOptions.idempotency ??
    createMemoryIdempotencyStore(crmOptions.clock === undefined ? {} : { clock: crmOptions.clock });
  const journal = syncOptions.journal ?? createMemoryJournal();
  const { wrap, ...rest } = syncOptions;
  const sync = createSync({
    adapter: wrap === undefined ? crm.adapter : wrap(crm.adapter),
    idempotency,
    journal,
    retry: { minDelayMs: 1, maxDelayMs: 20 },
    ...(crmOptions.clock === undefined ? {} : { clock: crmOptions.clock }),
    ...rest,
  });
  return { ...crm, idempotency, journal, sync };
}

/** The steps of the fake's call log as `method:type`, for order assertions. */
export function callTrail(calls: readonly { method: string; type?: string | undefined }[]): string[] {
  return calls.map((call) => (call.type === undefined ? call.method : `${call.method}:${call.type}`));
}
