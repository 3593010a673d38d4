import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CrmRecord } from "../../src/adapter/index.js";
import { CRM_ERROR_REASONS, isCrmError, REASON_ACTIONS } from "../../src/errors/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";
import { createFakeCrm } from "../../src/testing/fake-crm/index.js";

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (isCrmError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
};

const ids = (records: readonly CrmRecord[]) => records.map((r) => r.id);

describe("createFakeCrm records", () => {
  it("hands out deterministic ids per object type", async () => {
    const { adapter } = createFakeCrm();
    const a = await adapter.create("contact", { properties: { email: "a@x.example" } });
    const b = await adapter.create("contact", { properties: { email: "b@x.example" } });
    const c = await adapter.create("company", { properties: { name: "X" } });
    expect([a.id, b.id, c.id]).toEqual(["contact-1", "contact-2", "company-1"]);
  });

  it("does not use up an id when a create is rejected", async () => {
    const { adapter } = createFakeCrm();
    await rejection(adapter.create("contact", { properties: { nope: "x" } }));
    expect((await adapter.create("contact", { properties: {} })).id).toBe("contact-1");
  });

  it("seeds records that are searchable at once and associated on both sides", async () => {
    const { adapter, probe } = createFakeCrm({
      searchLagMs: 60_000,
      records: [
        { type: "company", id: "company-7", properties: { name: "Acme", domain: "acme.example" } },
        {
          type: "contact",
          properties: { email: "ann@acme.example" },
          associations: [{ type: "company", id: "company-7" }],
        },
      ],
    });
    expect(ids(await adapter.find({ type: "contact", field: "email", value: "ANN@acme.example" }))).toEqual([
      "contact-1",
    ]);
    expect(probe.associations({ type: "company", id: "company-7" })).toEqual([
      { type: "contact", id: "contact-1" },
    ]);
    expect((await adapter.create("company", { properties: { name: "Next" } })).id).toBe("company-8");
  });

  it("matches a company's secondary domains when finding by domain", async () => {
    const { adapter } = createFakeCrm();
    const company = await adapter.create("company", {
      properties: { name: "Acme", domain: "acme.example", secondary_domains: "acme.io; Acme-Group.example" },
    });
    for (const value of ["acme.example", "ACME.io", "acme-group.example"]) {
      expect(ids(await adapter.find({ type: "company", field: "domain", value }))).toEqual([company.id]);
    }
  });

  it("keeps duplicates when no unique key is declared, and reports them through the probe", async () => {
    const { adapter, probe } = createFakeCrm();
    await adapter.create("contact", { properties: { email: "dup@x.example" } });
    await adapter.create("contact", { properties: { email: "DUP@x.example" } });
    await adapter.create("contact", { properties: { email: "solo@x.example" } });
    expect(probe.duplicates("contact", "email").map(ids)).toEqual([["contact-1", "contact-2"]]);
  });

  it("rejects a create or update that would duplicate a unique key, naming the existing record", async () => {
    const { adapter, probe } = createFakeCrm({ uniqueKeys: { contact: ["email"] } });
    await adapter.create("contact", { properties: { email: "one@x.example" } });
    const other = await adapter.create("contact", { properties: { email: "two@x.example" } });
    const onCreate = await rejection(adapter.create("contact", { properties: { email: "ONE@x.example" } }));
    const onUpdate = await rejection(
      adapter.update("contact", { id: other.id, properties: { email: "one@x.example" } }),
    );
    for (const error of [onCreate, onUpdate]) {
      expect([error.reason, error.status, error.existingId]).toEqual([
        "duplicate_conflict",
        409,
        "contact-1",
      ]);
    }
    expect(probe.duplicates("contact", "email")).toEqual([]);
  });

  it("checks unique keys only against the value being written, even when seeded duplicates exist", async () => {
    const { adapter } = createFakeCrm({
      uniqueKeys: { contact: ["email"] },
      records: [
        { type: "contact", properties: { email: "twin@x.example" } },
        { type: "contact", properties: { email: "twin@x.example" } },
      ],
    });
    expect((await adapter.create("contact", { properties: { email: "new@x.example" } })).id).toBe(
      "contact-3",
    );
    expect(
      (await rejection(adapter.create("contact", { properties: { email: "twin@x.example" } }))).existingId,
    ).toBe("contact-1");
  });

  it("rejects a search on a property the object type does not have", async () => {
    const { adapter } = createFakeCrm();
    const error = await rejection(adapter.find({ type: "contact", field: "shoe_size", value: "44" }));
    expect([error.reason, error.fields]).toEqual(["invalid_property", ["shoe_size"]]);
  });

  it("fills a new deal's pipeline and first stage, and rejects a stage of another pipeline", async () => {
    const { adapter } = createFakeCrm();
    const deal = await adapter.create("deal", { properties: { name: "D" } });
    expect(deal.properties).toMatchObject({ pipeline_id: "sales", stage_id: "new" });
    const error = await rejection(
      adapter.update("deal", { id: deal.id, properties: { stage_id: "ticket_new" } }),
    );
    expect([error.reason, error.fields]).toEqual(["validation_failed", ["stage_id"]]);
  });

  it("rejects a missing required field, a malformed email and a same-type association", async () => {
    const { adapter } = createFakeCrm();
    expect((await rejection(adapter.create("deal", { properties: { amount: 5 } }))).reason).toBe(
      "missing_required_field",
    );
    expect((await rejection(adapter.create("contact", { properties: { email: "nope" } }))).reason).toBe(
      "validation_failed",
    );
    const a = await adapter.create("contact", { properties: {} });
    const b = await adapter.create("contact", { properties: {} });
    const error = await rejection(adapter.associate({ type: "contact", id: a.id }, b));
    expect(error.reason).toBe("association_type_error");
  });

  it("reports upsert on a key shared by several records as ambiguous", async () => {
    const { adapter } = createFakeCrm({ upsertKeys: { contact: ["email"] } });
    await adapter.create("contact", { properties: { email: "twin@x.example" } });
    await adapter.create("contact", { properties: { email: "twin@x.example" } });
    const error = await rejection(
      adapter.upsert!("contact", { key: { field: "email", value: "twin@x.example" }, properties: {} }),
    );
    expect(error.reason).toBe("ambiguous_duplicate_match");
  });

  it("lists records changed since an instant, oldest first", async () => {
    const clock = createFakeClock({ start: "2026-01-01T00:00:00Z" });
    const { adapter } = createFakeCrm({ clock });
    await adapter.create("contact", { properties: { first_name: "Old" } });
    await clock.advance(60_000);
    const recent = await adapter.create("contact", { properties: { first_name: "New" } });
    const changed: string[] = [];
    for await (const record of adapter.listChanged!("contact", { since: "2026-01-01T00:00:30Z" }))
      changed.push(record.id);
    expect(changed).toEqual([recent.id]);
  });

  it("without ticket support, refuses ticket writes as a configuration error", async () => {
    const { adapter } = createFakeCrm({ tickets: "activity" });
    expect(adapter.capabilities.objects).not.toContain("ticket");
    const error = await rejection(adapter.create("ticket", { properties: { subject: "S" } }));
    expect(error.reason).toBe("configuration_error");
  });

  it("describes each object type's fields with one unchanging list, and hands out copies of records", async () => {
    const { adapter } = createFakeCrm();
    const fields = await adapter.describeFields("contact");
    expect(await adapter.describeFields("contact")).toBe(fields);
    expect(Object.isFrozen(fields)).toBe(true);
    expect(fields.map((meta) => meta.key)).toContain("email");
    const created = await adapter.create("contact", { properties: { email: "a@b.test", first_name: "Ada" } });
    (created.properties as Record<string, unknown>)["first_name"] = "changed";
    const [found] = await adapter.get("contact", [created.id]);
    expect(found?.properties["first_name"]).toBe("Ada");
    expect(ids(await adapter.find({ type: "contact", field: "email", value: "a@b.test" }))).toEqual([
      created.id,
    ]);
  });

  it("matches emails whatever their letter case (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.emailAddress(), fc.array(fc.boolean(), { minLength: 1 }), async (email, flips) => {
        const { adapter } = createFakeCrm();
        const lower = email.toLowerCase();
        const created = await adapter.create("contact", { properties: { email: lower } });
        const cased = [...lower].map((ch, i) => (flips[i % flips.length] ? ch.toUpperCase() : ch)).join("");
        expect(ids(await adapter.find({ type: "contact", field: "email", value: cased }))).toEqual([
          created.id,
        ]);
      }),
      { numRuns: 50 },
    );
  });
});

describe("createFakeCrm search lag", () => {
  it("hides a new record from find until searchLagMs has passed, while get sees it at once", async () => {
    const clock = createFakeClock();
    const { adapter } = createFakeCrm({ clock, searchLagMs: 2_000 });
    const created = await adapter.create("contact", { properties: { email: "lag@x.example" } });
    const query = { type: "contact", field: "email", value: "lag@x.example" } as const;
    expect(await adapter.find(query)).toEqual([]);
    expect(ids(await adapter.get("contact", [created.id]))).toEqual([created.id]);
    await clock.advance(1_999);
    expect(await adapter.find(query)).toEqual([]);
    await clock.advance(1);
    expect(ids(await adapter.find(query))).toEqual([created.id]);
  });

  it("keeps serving an updated record's previous values from search until the lag has passed", async () => {
    const clock = createFakeClock();
    const { adapter } = createFakeCrm({ clock, searchLagMs: 1_000 });
    const created = await adapter.create("contact", {
      properties: { email: "old@x.example", first_name: "A" },
    });
    await clock.advance(1_000);
    await adapter.update("contact", {
      id: created.id,
      properties: { email: "new@x.example", first_name: "B" },
    });
    const old = await adapter.find({ type: "contact", field: "email", value: "old@x.example" });
    expect(old.map((r) => r.properties["first_name"])).toEqual(["A"]);
    expect(await adapter.find({ type: "contact", field: "email", value: "new@x.example" })).toEqual([]);
    await clock.advance(1_000);
    expect(await adapter.find({ type: "contact", field: "email", value: "old@x.example" })).toEqual([]);
    expect(ids(await adapter.find({ type: "contact", field: "email", value: "new@x.example" }))).toEqual([
      created.id,
    ]);
  });

  it("makes every write searchable after advanceSearchIndex", async () => {
    const { adapter, probe } = createFakeCrm({ clock: createFakeClock(), searchLagMs: 60_000 });
    const created = await adapter.create("contact", { properties: { email: "now@x.example" } });
    probe.advanceSearchIndex();
    expect(ids(await adapter.find({ type: "contact", field: "email", value: "now@x.example" }))).toEqual([
      created.id,
    ]);
  });
});

describe("createFakeCrm owners", () => {
  it("lists inactive owners with active: false and refuses to assign records to them", async () => {
    const { adapter, probe } = createFakeCrm();
    probe.setOwnerActive("owner-2", false);
    expect((await adapter.listOwners()).map((o) => [o.id, o.active])).toEqual([
      ["owner-1", true],
      ["owner-2", false],
    ]);
    const error = await rejection(adapter.create("contact", { properties: { owner_id: "owner-2" } }));
    expect([error.reason, error.action, error.fields]).toEqual(["inactive_owner", "review", ["owner_id"]]);
    const task = adapter.createTask({
      subject: "T",
      dueAt: "2026-01-02T00:00:00Z",
      ownerId: "owner-2",
      associations: [],
    });
    expect((await rejection(task)).reason).toBe("inactive_owner");
    probe.setOwnerActive("owner-2", true);
    expect(
      (await adapter.create("contact", { properties: { owner_id: "owner-2" } })).properties["owner_id"],
    ).toBe("owner-2");
  });

  it("rejects an owner id that does not exist", async () => {
    const { adapter } = createFakeCrm();
    expect((await rejection(adapter.create("contact", { properties: { owner_id: "ghost" } }))).reason).toBe(
      "validation_failed",
    );
  });
});

describe("createFakeCrm faults", () => {
  it("fails a call before it takes effect by default, and only as many times as asked", async () => {
    const { adapter, probe } = createFakeCrm();
    probe.faults.inject({ method: "create", type: "contact", reason: "server_error", times: 2 });
    expect((await rejection(adapter.create("contact", { properties: {} }))).status).toBe(502);
    expect(await adapter.create("company", { properties: {} })).toMatchObject({ id: "company-1" });
    await rejection(adapter.create("contact", { properties: {} }));
    expect(probe.list("contact")).toEqual([]);
    expect(probe.faults.pending()).toEqual([]);
    expect((await adapter.create("contact", { properties: {} })).id).toBe("contact-1");
  });

  it("with afterWrite, stores the write and still fails the call, like a lost response", async () => {
    const { adapter, probe } = createFakeCrm();
    probe.faults.inject({ method: "create", reason: "network_timeout", afterWrite: true });
    const error = await rejection(adapter.create("contact", { properties: { email: "ghost@x.example" } }));
    expect(error.reason).toBe("network_timeout");
    expect(probe.findBy("contact", "email", "ghost@x.example")).toHaveLength(1);
    expect(probe.calls[0]).toMatchObject({ method: "create", error: "network_timeout", afterWrite: true });
  });

  it("can inject every reason of the taxonomy, with its action and the provider", async () => {
    const { adapter, probe } = createFakeCrm({ provider: "acme" });
    for (const reason of CRM_ERROR_REASONS) {
      probe.faults.inject({ method: "listOwners", reason });
      const error = await rejection(adapter.listOwners());
      expect([error.reason, error.action, error.provider]).toEqual([reason, REASON_ACTIONS[reason], "acme"]);
    }
    expect(probe.callCount({ method: "listOwners", failed: true })).toBe(CRM_ERROR_REASONS.length);
  });

  it("carries retryAfterMs and existingId on injected errors", async () => {
    const { adapter, probe } = createFakeCrm({
      faults: [
        { reason: "rate_limited", retryAfterMs: 10_000 },
        { reason: "duplicate_conflict", existingId: "contact-9" },
      ],
    });
    expect((await rejection(adapter.listOwners())).retryAfterMs).toBe(10_000);
    expect((await rejection(adapter.listOwners())).existingId).toBe("contact-9");
    expect(probe.faults.pending()).toEqual([]);
  });

  it("repeats the same random faults for the same seed and calls", async () => {
    const run = async (seed: number) => {
      const { adapter, probe } = createFakeCrm();
      probe.faults.random({ rate: 0.2, reasons: ["rate_limited", "server_error", "network_timeout"], seed });
      probe.faults.random({ rate: 0.01, reasons: ["invalid_property"], seed: seed + 1 });
      const outcomes: string[] = [];
      for (let i = 0; i < 1_000; i++) {
        outcomes.push(
          await adapter.listOwners().then(
            () => "ok",
            (error: { reason: string }) => error.reason,
          ),
        );
      }
      return outcomes;
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
    const failed = first.filter((o) => o !== "ok").length;
    expect(failed).toBeGreaterThan(150);
    expect(failed).toBeLessThan(260);
    expect(new Set(first)).toEqual(
      new Set(["ok", "rate_limited", "server_error", "network_timeout", "invalid_property"]),
    );
  });

  it("fires random faults after the write for the configured share of failing writes", async () => {
    const { adapter, probe } = createFakeCrm();
    probe.faults.random({ rate: 1, reasons: ["network_timeout"], afterWrite: 1, methods: ["create"] });
    await rejection(adapter.create("contact", { properties: {} }));
    expect(probe.list("contact")).toHaveLength(1);
    expect(await adapter.listOwners()).toHaveLength(2);
  });

  it("throws at injection for an unknown reason or a bad rate", () => {
    const { probe } = createFakeCrm();
    expect(() => probe.faults.inject({ reason: "boom" as never })).toThrow(/unknown reason "boom"/);
    expect(() => probe.faults.random({ rate: 2, reasons: ["server_error"] })).toThrow(/rate/);
  });
});

describe("createFakeCrm call log", () => {
  it("counts a batch call as one write call carrying all its items", async () => {
    const { adapter, probe } = createFakeCrm({ batch: true });
    await adapter.find({ type: "contact", field: "email", value: "a@x.example" });
    await adapter.batchCreate!("contact", [{ properties: {} }, { properties: {} }, { properties: {} }]);
    expect(probe.calls.map((c) => [c.method, c.kind, c.items])).toEqual([
      ["find", "read", 1],
      ["batchCreate", "write", 3],
    ]);
    expect(probe.callCount({ kind: "write" })).toBe(1);
    expect(probe.callCount({ method: ["find", "batchCreate"], type: "contact" })).toBe(2);
    probe.clearCalls();
    expect(probe.callCount()).toBe(0);
  });

  it("rejects a batch larger than its declared size as payload_too_large", async () => {
    const { adapter } = createFakeCrm({ batch: { create: 2 } });
    const error = await rejection(
      adapter.batchCreate!("contact", [{ properties: {} }, { properties: {} }, { properties: {} }]),
    );
    expect(error.reason).toBe("payload_too_large");
  });

  it("does not log a call whose signal was already aborted", async () => {
    const { adapter, probe } = createFakeCrm();
    const error = await rejection(adapter.listOwners({ signal: AbortSignal.abort() }));
    expect(error.reason).toBe("aborted");
    expect(probe.callCount()).toBe(0);
  });

  it("resets records, owners, faults and the call log to the seeded state", async () => {
    const { adapter, probe } = createFakeCrm({
      records: [{ type: "contact", properties: { email: "s@x.example" } }],
    });
    await adapter.create("contact", { properties: {} });
    probe.setOwnerActive("owner-1", false);
    probe.faults.inject({ reason: "server_error" });
    probe.reset();
    expect(probe.list("contact").map((r) => r.properties["email"])).toEqual(["s@x.example"]);
    expect(probe.owners.every((o) => o.active)).toBe(true);
    expect([probe.faults.pending(), probe.calls]).toEqual([[], []]);
  });
});

describe("createFakeCrm options", () => {
  it("declares capabilities from its options", () => {
    const { adapter } = createFakeCrm({ batch: true, upsertKeys: { contact: ["email"] }, searchLagMs: 5 });
    expect(adapter.capabilities).toMatchObject({
      upsertKeys: { contact: ["email"] },
      batchSizes: { read: 100, create: 100, update: 100, upsert: 100, associate: 100 },
      tickets: "native",
      searchLagMs: 5,
    });
    expect(typeof adapter.upsert).toBe("function");
    expect(createFakeCrm().adapter.capabilities.batchSizes).toEqual({});
  });

  it("throws at construction naming the misconfigured option", () => {
    expect(() => createFakeCrm({ provider: "Fake CRM" })).toThrow(/option `provider`/);
    expect(() => createFakeCrm({ searchLagMs: -1 })).toThrow(/option `searchLagMs`/);
    expect(() => createFakeCrm({ batch: { upsert: 10 } })).toThrow(/option `batch.upsert`/);
    expect(() => createFakeCrm({ batch: { create: 0 } })).toThrow(/option `batch.create`/);
    expect(() => createFakeCrm({ upsertKeys: { contact: ["mail"] } })).toThrow(/option `upsertKeys.contact`/);
    expect(() =>
      createFakeCrm({
        records: [{ type: "contact", properties: {}, associations: [{ type: "company", id: "x" }] }],
      }),
    ).toThrow(/`records`/);
  });
});
