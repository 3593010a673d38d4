import { describe, expect, it } from "vitest";
import {
  ADAPTER_CONFORMANCE_SEED,
  runAdapterConformance,
} from "../../src/testing/adapter-conformance/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";
import { createFakeCrm } from "../../src/testing/fake-crm/index.js";

// The fake CRM in each capability mode it offers: the suite must hold for all of them.

runAdapterConformance(
  { describe, it },
  {
    name: "fake CRM, Pipedrive-like: no batch, no upsert, duplicates allowed",
    create: async (seed) => createFakeCrm({ ...seed }),
  },
);

runAdapterConformance(
  { describe, it },
  {
    name: "fake CRM, HubSpot-like: batch, upsert on email, unique emails, lagging search",
    duplicateContacts: "rejected",
    create: async (seed) => {
      const { adapter, probe } = createFakeCrm({
        ...seed,
        clock: createFakeClock(),
        searchLagMs: 5_000,
        batch: true,
        upsertKeys: { contact: ["email"] },
        uniqueKeys: { contact: ["email"] },
      });
      return { adapter, probe, settleSearch: probe.advanceSearchIndex };
    },
  },
);

runAdapterConformance(
  { describe, it },
  {
    name: "fake CRM, small batches and no tickets",
    create: async (seed) =>
      createFakeCrm({
        ...seed,
        provider: "small-batch",
        tickets: "none",
        batch: { read: 5, create: 3, associate: 3 },
      }),
  },
);

describe("runAdapterConformance", () => {
  it("registers skipped tests named with the reason for each skipped group", () => {
    const registered: string[] = [];
    const skipped: string[] = [];
    const it = Object.assign((name: string) => void registered.push(name), {
      skip: (name: string) => void skipped.push(name),
    });
    runAdapterConformance(
      { describe: (_name, body) => body(), it },
      { create: async (seed) => createFakeCrm({ ...seed }), skip: { batch: "no batch API" } },
    );
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((name) => name.endsWith("(skipped: no batch API)"))).toBe(true);
    expect(registered.some((name) => name.startsWith("batch"))).toBe(false);
  });

  it("throws at registration when `create` is missing", () => {
    expect(() =>
      runAdapterConformance({ describe, it }, {} as unknown as Parameters<typeof runAdapterConformance>[1]),
    ).toThrow(/option `create`/);
  });

  it("publishes a seed with an inactive owner, won and lost stages and an enum field", () => {
    expect(ADAPTER_CONFORMANCE_SEED.owners.filter((o) => !o.active)).toHaveLength(1);
    const stages = ADAPTER_CONFORMANCE_SEED.pipelines.flatMap((p) => p.stages);
    expect(stages.some((s) => s.won && s.closed)).toBe(true);
    expect(stages.some((s) => !s.won && s.closed)).toBe(true);
    expect(ADAPTER_CONFORMANCE_SEED.fields.contact?.[0]?.type).toBe("enum");
  });
});
