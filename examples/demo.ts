/**
 * `npm run demo`: the whole pipeline on the embedded in-memory defaults (fake CRM, memory idempotency store,
 * memory journal). Run it with `npx tsx examples/demo.ts`.
 */
import {
  createMemoryIdempotencyStore,
  createMemoryJournal,
  createPlanPolicy,
  createSync,
  formatPlan,
  parseEvent,
  type SyncFailure,
  type SyncOutcome,
} from "crmkit";
import { createFakeCrm } from "crmkit/testing";
import { brokenLead, diagnosticLead, paymentSucceeded } from "./demo-events.js";

const rule = (title: string): void =>
  console.log(`\n${"─".repeat(8)} ${title} ${"─".repeat(Math.max(0, 70 - title.length))}`);

function show(result: { isOk(): boolean; value?: SyncOutcome; error?: SyncFailure }): void {
  if (result.isOk() && result.value !== undefined) {
    const { status, apiCalls, attempt, objects, reviews } = result.value;
    console.log(`status: ${status}   CRM calls: ${apiCalls}   attempt: ${attempt}`);
    for (const o of objects)
      console.log(`  ${o.action.padEnd(9)} ${o.type.padEnd(11)} ${o.id}   (${o.step})`);
    for (const r of reviews) console.log(`  review    ${r.reason}: ${r.summary}`);
  } else if (result.error !== undefined) {
    console.log(
      `failed: ${result.error.action} / ${result.error.reason} at ${result.error.step}: ${result.error.error.message}`,
    );
  }
}

// 1. The contract: a good lead is normalized, a broken one reports every issue.
rule("1. parse a lead");
const parsed = parseEvent(diagnosticLead);
if (parsed.isOk()) {
  const { contact, company, idempotency_key } = parsed.value as typeof parsed.value & {
    contact: { email: string; phone?: string };
    company?: { domain?: string };
  };
  console.log({ email: contact.email, phone: contact.phone, domain: company?.domain, idempotency_key });
}
rule("2. parse a broken lead");
const broken = parseEvent(brokenLead);
if (broken.isErr())
  for (const issue of broken.error.issues) console.log(`  ${issue.field}: ${issue.message}`);

// 3. A CRM that already knows the contact and the company, and whose routed owner has left the company.
const { adapter, probe } = createFakeCrm({
  owners: [
    { id: "owner-ann", email: "ann@acme.test", name: "Ann (account executive, deactivated)", active: false },
    { id: "owner-ben", email: "ben@acme.test", name: "Ben (sales lead)", active: true },
  ],
  records: [
    {
      type: "contact",
      id: "contact-7",
      properties: { email: "ops@example.com", first_name: "Olivia", lifecycle_stage: "subscriber" },
    },
    { type: "company", id: "company-3", properties: { name: "Example", domain: "example.com" } },
  ],
});
const journal = createMemoryJournal();
const sync = createSync({
  adapter,
  idempotency: createMemoryIdempotencyStore(),
  journal,
  policy: createPlanPolicy({
    routing: [{ role: "account_executive", owner: "ann@acme.test" }],
    fallbackOwner: "ben@acme.test",
  }),
});

rule("3. dry run (reads only)");
const dry = await sync.plan(diagnosticLead);
if (dry.isOk()) console.log(formatPlan(dry.value.plan));

rule("4. apply");
show(await sync.run(diagnosticLead));
const record = (await journal.get(diagnosticLead.event_id))._unsafeUnwrap();
console.log(
  `audit: ${record?.status}, ${record?.attempts.length} attempt(s), ${record?.objects.length} objects, trace:`,
);
for (const entry of (record?.trace ?? []) as { step: string; message: string }[]) {
  console.log(`  [${entry.step}] ${entry.message}`);
}

rule("5. the webhook arrives again");
const before = probe.callCount({ kind: "write" });
show(await sync.run(diagnosticLead));
console.log(`writes during the redelivery: ${probe.callCount({ kind: "write" }) - before}`);

rule("6. payment succeeded");
const pay = await sync.plan(paymentSucceeded);
if (pay.isOk()) console.log(formatPlan(pay.value.plan));
show(await sync.run(paymentSucceeded));
console.log(
  `deals: ${probe
    .list("deal")
    .map((d) => `${d.id} stage=${String(d.properties["stage_id"])}`)
    .join(", ")}; tasks: ${probe
    .list("task")
    .map((t) => JSON.stringify(t.properties["subject"]))
    .join(", ")}`,
);
