import { describe, expect, it } from "vitest";
import { createSync } from "../../src/executor/index.js";
import { createMemoryIdempotencyStore } from "../../src/idempotency/index.js";
import { createPlanPolicy } from "../../src/planner/index.js";
import { createFakeCrm } from "../../src/testing/fake-crm/index.js";
import { rawLead, setup } from "./helpers.js";

describe("replay", () => {
  it("applies a reviewed event after its cause was fixed, without creating what the first run created", async () => {
    const { sync, probe, journal } = setup({
      faults: [{ method: "create", type: "company", reason: "invalid_enum" }],
    });
    const failure = (await sync.run(rawLead(1)))._unsafeUnwrapErr();
    expect(failure.action).toBe("review");
    expect(failure.replayable).toBe(true);
    // The fault fired once: the data is "fixed". A redelivery still replays the stored failure…
    expect((await sync.run(rawLead(1)))._unsafeUnwrapErr().step).toBe("replay");
    // …until an operator replays the event.
    const outcome = (await sync.replay("evt_lead_1"))._unsafeUnwrap();
    expect(outcome.status).toBe("applied");
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.list("company")).toHaveLength(1);
    expect(probe.list("deal")).toHaveLength(1);
    expect(probe.duplicates("contact", "email")).toEqual([]);
    const record = (await journal.get("evt_lead_1"))._unsafeUnwrap();
    expect(record?.status).toBe("replayed");
    expect(record?.replays).toBe(1);
    expect(record?.error).toBeUndefined();
    // Redeliveries now replay the replay's outcome.
    probe.clearCalls();
    expect((await sync.run(rawLead(1)))._unsafeUnwrap().status).toBe("replayed");
    expect(probe.callCount()).toBe(0);
  });

  it("applies a dead-lettered event (alert) after the fault is removed", async () => {
    const { sync, probe, journal } = setup({
      faults: [{ method: "associate", reason: "missing_scope", times: Infinity }],
    });
    const failure = (await sync.run(rawLead(1)))._unsafeUnwrapErr();
    expect(failure.action).toBe("alert");
    expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("dead_letter");
    probe.faults.clear();
    const outcome = (await sync.replay("evt_lead_1"))._unsafeUnwrap();
    expect(outcome.status).toBe("applied");
    expect(probe.list("deal")).toHaveLength(1);
    expect(probe.list("note")).toHaveLength(1);
    expect(probe.list("company")).toHaveLength(1);
    expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("replayed");
  });

  it("assigns the owner after the owner is reactivated, keeping the note the first run wrote", async () => {
    const policy = createPlanPolicy({ routing: [{ tier: "priority", owner: "alex@example.com" }] });
    const { sync, probe, journal } = setup({}, { policy });
    probe.setOwnerActive("owner-1", false);
    const first = (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(first.status).toBe("partial_review");
    expect(first.reviews.map((r) => r.reason)).toContain("inactive_owner");
    expect(probe.list("contact")[0]?.properties["owner_id"]).toBeUndefined();
    expect(probe.list("note")).toHaveLength(1);

    probe.setOwnerActive("owner-1", true);
    const outcome = (await sync.replay("evt_lead_1"))._unsafeUnwrap();
    expect(outcome.status).toBe("applied");
    expect(probe.list("contact")[0]?.properties["owner_id"]).toBe("owner-1");
    expect(probe.list("deal")).toHaveLength(1);
    expect(probe.list("deal")[0]?.properties["owner_id"]).toBe("owner-1");
    expect(probe.list("note")).toHaveLength(1);
    expect(outcome.objects.find((o) => o.step === "note")?.id).toBe(
      first.objects.find((o) => o.step === "note")?.id,
    );
    expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("replayed");
  });

  it("re-parses a rejected event and keeps it rejected with the new issues when it is still invalid", async () => {
    const { sync, journal, probe } = setup();
    (await sync.run(rawLead(1, { contact: { email: "nope" } })))._unsafeUnwrapErr();
    const again = (await sync.replay("evt_lead_1"))._unsafeUnwrapErr();
    expect(again.reason).toBe("contract_violation");
    const record = (await journal.get("evt_lead_1"))._unsafeUnwrap();
    expect(record?.status).toBe("rejected");
    expect(record?.replays).toBe(1);
    expect(probe.callCount()).toBe(0);
  });

  it("refuses settled, unknown and in-progress events, and works only with a journal", async () => {
    const { sync } = setup();
    (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect((await sync.replay("evt_lead_1"))._unsafeUnwrapErr().error).toMatchObject({
      code: "not_replayable",
    });
    expect((await sync.replay("evt_missing"))._unsafeUnwrapErr().error).toMatchObject({
      code: "journal_not_found",
    });
    const bare = createSync({
      adapter: createFakeCrm().adapter,
      idempotency: createMemoryIdempotencyStore(),
    });
    const failure = (await bare.replay("evt_lead_1"))._unsafeUnwrapErr();
    expect(failure).toMatchObject({ action: "alert", reason: "configuration_error" });
    expect(failure.error).toMatchObject({ code: "no_journal" });
  });

  it("lets exactly one of two concurrent replays run", async () => {
    const { sync, probe } = setup({
      faults: [{ method: "create", type: "company", reason: "invalid_enum" }],
    });
    (await sync.run(rawLead(1)))._unsafeUnwrapErr();
    const results = await Promise.all([sync.replay("evt_lead_1"), sync.replay("evt_lead_1")]);
    expect(results.filter((r) => r.isOk())).toHaveLength(1);
    expect(probe.list("company")).toHaveLength(1);
    expect(probe.list("note")).toHaveLength(1);
  });
});
