// The Pipedrive adapter against the Pipedrive emulator from crmkit/testing (no account, no network beyond
// 127.0.0.1): custom fields by label, find-or-create without upsert, a deal moved to the synthetic "Won" stage, and a
// webhook verified and parsed. Run with `npx tsx examples/pipedrive.ts`; swap `apiDomain` and the token for a real
// company (`companyDomain: "acme"`).
import { createPipedriveAdapter, parsePipedriveWebhook, verifyPipedriveWebhook } from "crmkit/pipedrive";
import { createPipedriveEmulator } from "crmkit/testing";

const emulator = createPipedriveEmulator({
  plan: "growth",
  users: [{ id: 1, name: "Ada Admin", email: "ada@example.com" }],
  customFields: {
    person: [{ name: "Lead source", type: "enum", options: [{ label: "Web" }, { label: "Referral" }] }],
  },
});
const apiDomain = await emulator.listen();

const pipedrive = createPipedriveAdapter({
  apiToken: "example-api-token",
  apiDomain,
  limits: { plan: "growth", seats: 3 },
  // Labels as Pipedrive shows them; the adapter resolves them to 40-character hash keys.
  fieldMap: { contact: { lead_source: "Lead source" } },
});

try {
  // No upsert in Pipedrive: find first, create when nothing matches.
  const email = "grace@example.com";
  // `onLookup` says how the adapter answered: its list index (10 tokens a page) or a search (20 tokens).
  // `createSync` collects these into `plan.lookups`, and `formatPlan` prints them above the steps.
  const [existing] = await pipedrive.find(
    { type: "contact", field: "email", value: email },
    { onLookup: (report) => console.log(`lookup via ${report.via}: ${report.detail ?? ""}`) },
  );
  const person =
    existing ??
    (await pipedrive.create("contact", {
      properties: { email, first_name: "Grace", last_name: "Hopper", lead_source: "Referral" },
    }));
  console.log(`person ${person.id}, lead source ${String(person.properties["lead_source"])}`);

  // Found at once, although Pipedrive's search index has not caught up: the adapter remembers its writes.
  const [again] = await pipedrive.find({ type: "contact", field: "email", value: "GRACE@example.com" });
  console.log(`found the same person: ${again?.id === person.id}`);

  // Won and lost are deal statuses in Pipedrive; crmkit shows them as the last two stages of every pipeline.
  const [pipeline] = await pipedrive.listPipelines("deal");
  console.log(`stages: ${pipeline?.stages.map((s) => s.label).join(" → ")}`);
  const deal = await pipedrive.create("deal", {
    properties: { name: "Grace – inbound", pipeline_id: pipeline?.id ?? null, amount: 1200, currency: "EUR" },
    associations: [{ type: "contact", id: person.id }],
  });
  const won = await pipedrive.update("deal", { id: deal.id, properties: { stage_id: "Won" } });
  console.log(`deal ${won.id} is now ${String(won.properties["status"])}`);
  console.log(`tokens spent of today's budget: ${emulator.tokensUsed()}`);

  // Webhooks: Basic auth is Pipedrive's only authentication; check it before parsing the v2 payload.
  const delivery = emulator.webhookDelivery({
    event: "change.deal",
    data: { id: Number(deal.id), status: "won" },
    previous: { status: "open" },
    username: "crmkit",
    password: "hook-password",
  });
  const verified = verifyPipedriveWebhook({
    headers: delivery.headers,
    username: "crmkit",
    password: "hook-password",
  });
  const event = parsePipedriveWebhook(delivery.text);
  if (verified.isOk() && event.isOk())
    console.log(`webhook: ${event.value.action} ${event.value.objectType} ${event.value.entityId}`);
} finally {
  await pipedrive.close();
  await emulator.close();
}
