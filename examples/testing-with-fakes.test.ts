// How to unit-test your own integration with crmkit: run your handler against the in-memory fake CRM and assert
// on what the CRM holds, how many calls it took, and what the journal says. No network, no sandbox account.
import {
  createMemoryIdempotencyStore,
  createMemoryJournal,
  createPlanPolicy,
  createSync,
  type Sync,
} from "crmkit";
import { createFakeCrm, type FakeCrm, leadSubmitted } from "crmkit/testing";
import { beforeEach, describe, expect, it } from "vitest";

// Your code: a webhook handler that syncs a form lead and answers the sender.
async function handleWebhook(sync: Sync, body: unknown): Promise<{ status: number }> {
  const result = await sync.run(body);
  if (result.isOk()) return { status: 200 };
  return { status: result.error.action === "retry" ? 503 : 200 };
}

// A valid lead.submitted event from the fixture builders, at the company seeded below. Equal arguments build the
// same event (a redelivery); a different email builds a new one.
const lead = (email: string) =>
  leadSubmitted({ contact: { email }, company: { name: "Example Inc", domain: "example.com" } });

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
    const event = lead("ops@example.com");
    const first = await sync.run(event);
    expect(first._unsafeUnwrap().status).toBe("partial_review");
    crm.probe.setOwnerActive("owner-1", true);
    const replayed = await sync.replay(event.event_id);
    expect(replayed._unsafeUnwrap().status).toBe("applied");
    expect(crm.probe.list("contact")[0]?.properties["owner_id"]).toBe("owner-1");
    expect((await journal.get(event.event_id))._unsafeUnwrap()?.status).toBe("replayed");
  });

  it("acknowledges invalid input and keeps it in the journal with the reason, writing nothing", async () => {
    const broken = lead("not-an-email");
    expect(await handleWebhook(sync, broken)).toEqual({ status: 200 });
    expect(crm.probe.callCount()).toBe(0);
    const record = (await journal.get(broken.event_id))._unsafeUnwrap();
    expect(record?.status).toBe("rejected");
    expect(record?.reason).toBe("contract_violation");
  });
});
