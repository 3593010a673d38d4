// How to unit-test your own integration with crmkit: run your handler against the in-memory fake CRM and assert
// on what the CRM holds, how many calls it took, and what the journal says. No network, no sandbox account.
import {
  createMemoryIdempotencyStore,
  createMemoryJournal,
  createPlanPolicy,
  createSync,
  type Sync,
} from "crmkit";
import { createFakeCrm, type FakeCrm } from "crmkit/testing";
import { beforeEach, describe, expect, it } from "vitest";

// Your code: a webhook handler that syncs a form lead and answers the sender.
async function handleWebhook(sync: Sync, body: unknown): Promise<{ status: number }> {
  const result = await sync.run(body);
  if (result.isOk()) return { status: 200 };
  return { status: result.error.action === "retry" ? 503 : 200 };
}

function lead(email: string, overrides: Record<string, unknown> = {}) {
  return {
    event_id: `evt_${email}`,
    event_type: "lead.submitted",
    contract_version: "1.0",
    source_system: "webflow",
    source_record_id: `form_${email}`,
    occurred_at: "2025-03-04T10:00:00Z",
    correlation_id: "req_1",
    contact: { email, first_name: "Ada" },
    company: { name: "Example Inc", domain: "example.com" },
    lead: { consent_to_contact: true },
    routing: { qualification_status: "qualified", lead_score: 82, routing_tier: "priority", confidence: 0.9 },
    ...overrides,
  };
}

describe("my lead webhook", () => {
  let crm: FakeCrm;
  let journal: ReturnType<typeof createMemoryJournal>;
  let sync: Sync;

  beforeEach(() => {
    crm = createFakeCrm({
      // Seed the CRM as your account looks: an existing customer company.
      records: [{ type: "company", id: "co-1", properties: { domain: "example.com", name: "Example Inc" } }],
    });
    journal = createMemoryJournal();
    sync = createSync({
      adapter: crm.adapter,
      idempotency: createMemoryIdempotencyStore(),
      journal,
      policy: createPlanPolicy({ routing: [{ tier: "priority", owner: "alex@example.com" }] }),
      retry: { minDelayMs: 1, maxDelayMs: 10 }, // keep in-run backoff short in tests
    });
  });

  it("creates the contact under the existing company, owned by the routed rep", async () => {
    expect(await handleWebhook(sync, lead("ops@example.com"))).toEqual({ status: 200 });
    const [contact] = crm.probe.list("contact");
    expect(contact?.properties).toMatchObject({ email: "ops@example.com", owner_id: "owner-1" });
    expect(crm.probe.list("company")).toHaveLength(1);
    expect(crm.probe.associations({ type: "contact", id: contact!.id })).toContainEqual(
      expect.objectContaining({ type: "company", id: "co-1" }),
    );
  });

  it("survives the webhook sender retrying: still one contact, and the retry costs no CRM call", async () => {
    await handleWebhook(sync, lead("ops@example.com"));
    crm.probe.clearCalls();
    await handleWebhook(sync, lead("ops@example.com"));
    expect(crm.probe.callCount()).toBe(0);
    expect(crm.probe.duplicates("contact", "email")).toEqual([]);
  });

  it("asks the sender to retry on a CRM outage, then completes on the redelivery without duplicates", async () => {
    crm.probe.faults.inject({ method: "create", type: "deal", reason: "server_error", times: Infinity });
    expect(await handleWebhook(sync, lead("ops@example.com"))).toEqual({ status: 503 });
    crm.probe.faults.clear();
    expect(await handleWebhook(sync, lead("ops@example.com"))).toEqual({ status: 200 });
    expect(crm.probe.list("contact")).toHaveLength(1);
    expect(crm.probe.list("deal")).toHaveLength(1);
  });

  it("holds the owner for review when the routed rep is deactivated, and fixes it by replay", async () => {
    crm.probe.setOwnerActive("owner-1", false);
    const first = await sync.run(lead("ops@example.com"));
    expect(first._unsafeUnwrap().status).toBe("partial_review");
    crm.probe.setOwnerActive("owner-1", true);
    const replayed = await sync.replay("evt_ops@example.com");
    expect(replayed._unsafeUnwrap().status).toBe("applied");
    expect(crm.probe.list("contact")[0]?.properties["owner_id"]).toBe("owner-1");
    expect((await journal.get("evt_ops@example.com"))._unsafeUnwrap()?.status).toBe("replayed");
  });

  it("acknowledges invalid input and keeps it in the journal with the reason, writing nothing", async () => {
    expect(await handleWebhook(sync, lead("not-an-email"))).toEqual({ status: 200 });
    expect(crm.probe.callCount()).toBe(0);
    const record = (await journal.get("evt_not-an-email"))._unsafeUnwrap();
    expect(record?.status).toBe("rejected");
    expect(record?.reason).toBe("contract_violation");
  });
});
