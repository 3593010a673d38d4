import { describe, expect, it } from "vitest";
import type { CrmAdapter } from "../../src/adapter/index.js";
import { CrmError } from "../../src/errors/index.js";
import { rawLead, setup } from "./helpers.js";

const BATCH = { batch: true, upsertKeys: { contact: ["email"] } } as const;

function leads(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => rawLead(from + i));
}

describe("runMany", () => {
  it("merges the reads and writes of many events into batch calls, with one result per event in input order", async () => {
    const { sync, probe } = setup(BATCH);
    const results = (await sync.runMany(leads(50)))._unsafeUnwrap();
    expect(results).toHaveLength(50);
    results.forEach((result, index) => {
      expect(result._unsafeUnwrap()).toMatchObject({ status: "applied", eventId: `evt_lead_${index}` });
    });
    expect(probe.list("contact")).toHaveLength(50);
    expect(probe.list("company")).toHaveLength(50);
    expect(probe.list("deal")).toHaveLength(50);
    expect(probe.duplicates("contact", "email")).toEqual([]);
    // One batch call per kind of step instead of one call per event and step.
    expect(probe.callCount({ method: "find" })).toBe(0);
    expect(probe.callCount({ method: "findMany" })).toBe(2);
    expect(probe.callCount({ method: "batchUpsert", type: "contact" })).toBe(1);
    expect(probe.callCount({ method: "batchCreate", type: "company" })).toBe(1);
    expect(probe.callCount({ method: "batchCreate", type: "deal" })).toBe(1);
    // The deals' associations ride on their creates; contact ↔ company is one batch call; the notes are one too.
    expect(probe.callCount({ method: "batchAssociate" })).toBe(1);
    expect(probe.callCount({ method: "batchCreate", type: "note" })).toBe(1);
    expect(probe.callCount({ method: "createNote" })).toBe(0);
    for (const deal of probe.list("deal")) {
      expect(
        probe
          .associations({ type: "deal", id: deal.id })
          .map((a) => a.type)
          .sort(),
      ).toEqual(["company", "contact", "note"]);
    }
    // Metadata is read once per batch, not once per event.
    expect(probe.callCount({ method: "listPipelines" })).toBe(1);
    expect(probe.callCount({ method: "describeFields", type: "contact" })).toBe(1);
    expect(probe.callCount() / 50).toBeLessThan(2);
  });

  it("chunks batch calls by the adapter's declared batch sizes", async () => {
    const { sync, probe } = setup({ batch: { read: 10, create: 10, update: 10, associate: 25 } });
    const results = (await sync.runMany(leads(30), { concurrency: 30 }))._unsafeUnwrap();
    expect(results.every((r) => r.isOk())).toBe(true);
    expect(probe.calls.every((call) => call.items <= (call.method === "batchAssociate" ? 25 : 10))).toBe(
      true,
    );
    expect(probe.callCount({ method: "batchCreate", type: "contact" })).toBe(3);
    expect(probe.list("contact")).toHaveLength(30);
  });

  it("fails only the event whose batch item failed; the others apply", async () => {
    const { sync, probe, journal } = setup(BATCH, {
      wrap: (adapter): CrmAdapter => ({
        ...adapter,
        batchCreate: async (type, inputs, ctx) => {
          const results = await adapter.batchCreate!(type, inputs, ctx);
          return results.map((result, index) =>
            type === "company" && inputs[index]?.properties["domain"] === "acme3.test"
              ? { ok: false as const, error: new CrmError({ reason: "invalid_property", provider: "fake" }) }
              : result,
          );
        },
      }),
    });
    const results = (await sync.runMany(leads(6)))._unsafeUnwrap();
    const failed = results.filter((r) => r.isErr());
    expect(failed).toHaveLength(1);
    expect(failed[0]?._unsafeUnwrapErr()).toMatchObject({
      eventId: "evt_lead_3",
      reason: "invalid_property",
      step: "company",
    });
    expect(results.filter((r) => r.isOk())).toHaveLength(5);
    expect(probe.list("deal")).toHaveLength(5);
    expect((await journal.get("evt_lead_3"))._unsafeUnwrap()?.status).toBe("review");
  });

  it("keeps per-event idempotency: duplicates in one batch run once, and a second batch replays with 0 calls", async () => {
    const { sync, probe } = setup(BATCH);
    const batch = [...leads(5), ...leads(5)];
    const results = (await sync.runMany(batch))._unsafeUnwrap();
    expect(results.filter((r) => r.isOk() && r.value.status === "applied")).toHaveLength(5);
    for (const result of results) {
      if (result.isErr()) expect(result.error.reason).toBe("locked");
    }
    expect(probe.list("contact")).toHaveLength(5);
    probe.clearCalls();
    const again = (await sync.runMany(leads(5)))._unsafeUnwrap();
    expect(again.every((r) => r.isOk() && r.value.status === "replayed")).toBe(true);
    expect(probe.callCount()).toBe(0);
  });

  it("retries a failed batch call per event and verifies keyed creates lost after the write: no duplicates", async () => {
    const { sync, probe } = setup({ batch: true }, {});
    probe.faults.inject({
      method: "batchCreate",
      type: "contact",
      reason: "network_timeout",
      afterWrite: true,
    });
    probe.faults.inject({ method: "findMany", reason: "rate_limited" });
    const results = (await sync.runMany(leads(20)))._unsafeUnwrap();
    expect(results.every((r) => r.isOk())).toBe(true);
    expect(probe.list("contact")).toHaveLength(20);
    expect(probe.duplicates("contact", "email")).toEqual([]);
  });

  it("has the same semantics as run on an adapter without batch APIs", async () => {
    const one = setup();
    for (const lead of leads(3)) (await one.sync.run(lead))._unsafeUnwrap();
    const many = setup();
    const results = (await many.sync.runMany(leads(3)))._unsafeUnwrap();
    expect(results.map((r) => r._unsafeUnwrap().status)).toEqual(["applied", "applied", "applied"]);
    expect(many.probe.callCount({ kind: "write" })).toBe(one.probe.callCount({ kind: "write" }));
    // Metadata reads are shared across the batch, so runMany never reads more than sequential runs.
    expect(many.probe.callCount()).toBeLessThanOrEqual(one.probe.callCount());
  });

  it("reports progress for every event and stops starting events once the signal aborts", async () => {
    const { sync } = setup();
    const controller = new AbortController();
    const seen: number[] = [];
    const results = (
      await sync.runMany(leads(10), {
        concurrency: 1,
        signal: controller.signal,
        onProgress: (progress) => {
          seen.push(progress.done);
          expect(progress.total).toBe(10);
          if (progress.done === 3) controller.abort();
        },
      })
    )._unsafeUnwrap();
    expect(seen).toEqual([1, 2, 3]);
    expect(results).toHaveLength(3);
  });

  it("runs leads at one company side by side once the first has created it: one company, two rounds of reads", async () => {
    const { sync, probe } = setup(BATCH);
    // Ten leads at one shared company among twenty at companies of their own, all in flight at once.
    const inputs = Array.from({ length: 30 }, (_, i) =>
      i < 10 ? rawLead(`s${i}`, { company: { name: "Shared", domain: "shared.test" } }) : rawLead(i),
    );
    const results = (await sync.runMany(inputs, { concurrency: 30 }))._unsafeUnwrap();
    expect(results.every((result) => result.isOk())).toBe(true);
    expect(probe.findBy("company", "domain", "shared.test")).toHaveLength(1);
    expect(probe.duplicates("company", "domain")).toEqual([]);
    expect(probe.list("deal")).toHaveLength(30);
    // The first shared lead runs with the others; the nine behind it run together, not one after another.
    expect(probe.callCount({ method: "findMany", type: "contact" })).toBe(2);
    expect(probe.callCount({ method: "batchUpsert", type: "contact" })).toBe(2);
    const shared = probe.findBy("company", "domain", "shared.test")[0]!;
    expect(
      probe.associations({ type: "company", id: shared.id }).filter((a) => a.type === "contact"),
    ).toHaveLength(10);
  });

  it("starts events in waves of `concurrency` with a batching adapter, so each wave shares its batch calls", async () => {
    const { sync, probe } = setup(BATCH);
    const results = (await sync.runMany(leads(25), { concurrency: 10 }))._unsafeUnwrap();
    expect(results.every((result) => result.isOk())).toBe(true);
    // Three waves (10, 10, 5): one contact upsert, company create, deal create and note batch each.
    expect(probe.callCount({ method: "batchUpsert", type: "contact" })).toBe(3);
    expect(probe.callCount({ method: "batchCreate", type: "company" })).toBe(3);
    expect(probe.callCount({ method: "batchCreate", type: "deal" })).toBe(3);
    expect(probe.callCount({ method: "batchCreate", type: "note" })).toBe(3);
    expect(probe.calls.filter((call) => call.method === "batchCreate").map((call) => call.items)).toEqual(
      expect.arrayContaining([10, 10, 5]),
    );
  });

  it("rejects a non-positive concurrency naming the option", async () => {
    const { sync } = setup();
    await expect(sync.runMany(leads(1), { concurrency: 0 })).rejects.toThrow(/`concurrency`/);
  });
});
