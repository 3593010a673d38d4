// The HubSpot adapter against the HubSpot emulator from crmkit/testing (no account, no network beyond 127.0.0.1):
// look up by email without the search API, upsert, create a deal by pipeline and stage labels, verify and parse a
// webhook. Run with `npx tsx examples/hubspot.ts`; swap `baseUrl` and the token for a real private app.
import { createHubSpotAdapter, parseHubSpotWebhook, verifyHubSpotSignature } from "crmkit/hubspot";
import { createHubSpotEmulator } from "crmkit/testing";

const clientSecret = "example-client-secret";
const emulator = createHubSpotEmulator({
  owners: [{ id: "101", email: "ada@example.com", firstName: "Ada" }],
  tokens: [{ token: "pat-na1-example" }],
  oauth: { clientId: "example-client", clientSecret },
});
const baseUrl = await emulator.listen();

const hubspot = createHubSpotAdapter({
  accessToken: "pat-na1-example",
  baseUrl,
  limits: { tier: "professional" },
  accountId: "62515",
  // The date-versioned API (/crm/objects/2026-03/…); the default "v3" paths are supported until September 2027.
  apiVersion: "2026-03",
});

try {
  const { record, created } = await hubspot.upsert("contact", {
    key: { field: "email", value: "grace@example.com" },
    properties: { first_name: "Grace", lifecycle_stage: "Lead" },
  });
  console.log(`contact ${record.id} ${created ? "created" : "updated"}`);

  // Contacts by email go through a batch read (idProperty=email), not the 5/s search API.
  const [found] = await hubspot.find({ type: "contact", field: "email", value: "GRACE@example.com" });
  console.log(`found ${found?.id} by email`);

  const deal = await hubspot.create("deal", {
    properties: {
      name: "Grace — annual plan",
      pipeline_id: "Sales Pipeline",
      stage_id: "Qualified To Buy",
      amount: 1200,
    },
    associations: [{ type: "contact", id: record.id }],
  });
  const open = await hubspot.findOpenDeals({ contactId: record.id });
  console.log(`deal ${deal.id} in stage ${deal.properties["stage_id"]}; open deals: ${open.length}`);

  // A webhook as HubSpot would send it; verify the raw body before parsing it.
  const url = "https://hooks.example.com/hubspot";
  const rawBody = JSON.stringify([
    {
      eventId: 1,
      portalId: 62515,
      occurredAt: Date.now(),
      subscriptionType: "contact.creation",
      objectId: Number(record.id),
      attemptNumber: 0,
    },
  ]);
  const headers = emulator.signWebhook({ version: "v3", method: "POST", url, body: rawBody });
  const verified = verifyHubSpotSignature({ method: "POST", url, rawBody, headers, clientSecret });
  const events = verified.isOk() ? parseHubSpotWebhook(rawBody) : undefined;
  console.log(
    `webhook ${verified.isOk() ? verified.value.version : "rejected"}:`,
    events?.isOk() ? events.value.map((e) => e.subscriptionType) : [],
  );
  console.log(`HubSpot calls made: ${emulator.requests.length}`);
} finally {
  await hubspot.close();
  await emulator.close();
}
