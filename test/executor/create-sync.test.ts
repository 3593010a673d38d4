import { errAsync, okAsync } from "neverthrow";
import { describe, expect, it } from "vitest";
import type { CrmAdapter } from "../../src/adapter/index.js";
import { CrmError } from "../../src/errors/index.js";
import { createSync } from "../../src/executor/index.js";
import {
  createMemoryIdempotencyStore,
  type IdempotencyStore,
  idempotencyError,
} from "../../src/idempotency/index.js";
import { createMemoryJournal } from "../../src/journal/index.js";
import { createPlanPolicy } from "../../src/planner/index.js";
import type { RateLimiter } from "../../src/ratelimit/index.js";
import { createFakeCrm } from "../../src/testing/fake-crm/index.js";
import { callTrail, rawLead, rawPayment, setup } from "./helpers.js";

describe("createSync", () => {
  it("throws at construction naming a missing adapter or idempotency store", () => {
    const { adapter } = createFakeCrm();
    expect(() => createSync({ idempotency: createMemoryIdempotencyStore() } as never)).toThrow(/`adapter`/);
    expect(() => createSync({ adapter } as never)).toThrow(/`idempotency`/);
    expect(() => createSync({ adapter, idempotency: createMemoryIdempotencyStore(), leaseMs: 0 })).toThrow(
      /`leaseMs`/,
    );
    expect(() =>
      createSync({ adapter, idempotency: createMemoryIdempotencyStore(), retry: { retries: -1 } }),
    ).toThrow(/`retry.retries`/);
  });
});

describe("plan (dry run)", () => {
  it("reads and plans but writes nothing: no CRM write, no lease, no journal record", async () => {
    const { sync, probe, idempotency, journal } = setup();
    const planned = (await sync.plan(rawLead(1)))._unsafeUnwrap();
    expect(planned.plan.counts.create).toBe(7);
    expect(planned.apiCalls).toBe(probe.callCount());
    expect(probe.callCount({ kind: "write" })).toBe(0);
    expect((await idempotency.get("fake", "lead.submitted:webflow:form_1"))._unsafeUnwrap()).toBeUndefined();
    expect((await journal.count())._unsafeUnwrap()).toBe(0);
  });

  it("reports contract errors as a typed failure without calling the CRM", async () => {
    const { sync, probe } = setup();
    const failure = (await sync.plan({ event_type: "lead.submitted" }))._unsafeUnwrapErr();
    expect(failure.reason).toBe("contract_violation");
    expect(failure.step).toBe("parse");
    expect(probe.callCount()).toBe(0);
  });
});

describe("run", () => {
  it("applies a new lead in order: reads, then contact → company → deal (carrying its associations) → contact ↔ company → note", async () => {
    const { sync, probe } = setup();
    const outcome = (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(outcome.status).toBe("applied");
    expect(outcome.attempt).toBe(1);
    expect(outcome.objects.map((o) => `${o.step}:${o.action}`)).toEqual([
      "contact:create",
      "company:create",
      "deal:create",
      "contact-company:associate",
      "deal-contact:associate",
      "deal-company:associate",
      "note:create",
    ]);
    // The deal's associations ride on its create (the outcome still lists them in plan order); only contact ↔ company
    // needs a call of its own.
    const writes = callTrail(probe.calls.filter((call) => call.kind === "write"));
    expect(writes).toEqual([
      "create:contact",
      "create:company",
      "create:deal",
      "associate:contact",
      "createNote:note",
    ]);
    const id = (step: string) => outcome.objects.find((o) => o.step === step)?.id ?? "";
    expect(outcome.objects.find((o) => o.step === "deal-contact")?.id).toBe(
      `deal:${id("deal")}->contact:${id("contact")}`,
    );
    const linked = probe.associations({ type: "deal", id: id("deal") }).map((a) => `${a.type}:${a.id}`);
    expect(linked.sort()).toEqual(
      [`company:${id("company")}`, `contact:${id("contact")}`, `note:${id("note")}`].sort(),
    );
    // Every read happens before the first write.
    const firstWrite = probe.calls.findIndex((call) => call.kind === "write");
    expect(probe.calls.slice(firstWrite).every((call) => call.kind === "write")).toBe(true);
    expect(outcome.apiCalls).toBe(probe.callCount());
    expect(probe.list("contact")).toHaveLength(1);
  });

  it("reads owners, pipelines and each object's fields at most once per run", async () => {
    const { sync, probe } = setup();
    (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(probe.callCount({ method: "listOwners" })).toBeLessThanOrEqual(1);
    expect(probe.callCount({ method: "listPipelines" })).toBe(1);
    for (const type of ["contact", "company", "deal"] as const) {
      expect(probe.callCount({ method: "describeFields", type })).toBe(1);
    }
  });

  it("accepts an already parsed event as well as raw input", async () => {
    const { sync } = setup();
    const { parseEvent } = await import("../../src/contract/index.js");
    const event = parseEvent(rawLead(1))._unsafeUnwrap();
    expect((await sync.run(event))._unsafeUnwrap().status).toBe("applied");
  });

  it("replays a redelivery from the idempotency store with 0 CRM calls", async () => {
    const { sync, probe, journal } = setup();
    const first = (await sync.run(rawLead(1)))._unsafeUnwrap();
    probe.clearCalls();
    const again = (
      await sync.run({ ...rawLead(1), correlation_id: "req_other", received_at: "2025-03-04T10:05:00Z" })
    )._unsafeUnwrap();
    expect(again.status).toBe("replayed");
    expect(again.apiCalls).toBe(0);
    expect(again.objects).toEqual(first.objects);
    expect(probe.callCount()).toBe(0);
    const record = (await journal.get("evt_lead_1"))._unsafeUnwrap();
    expect(record?.status).toBe("applied");
    expect(record?.attempts.map((a) => a.outcome)).toEqual(["succeeded", "succeeded"]);
  });

  it("executes concurrent duplicate deliveries once: one applies, the others are in progress or replayed", async () => {
    const { sync, probe } = setup();
    const results = await Promise.all(Array.from({ length: 5 }, () => sync.run(rawLead(1))));
    const applied = results.filter((r) => r.isOk() && r.value.status === "applied");
    expect(applied).toHaveLength(1);
    for (const result of results) {
      if (result.isErr()) {
        expect(result.error.reason).toBe("locked");
        expect(result.error.action).toBe("retry");
        expect(result.error.replayable).toBe(false);
      } else expect(["applied", "replayed"]).toContain(result.value.status);
    }
    expect(probe.callCount({ method: "create", type: "contact" })).toBe(1);
    expect(probe.list("note")).toHaveLength(1);
  });

  it("updates an existing contact instead of creating one, and moves its deal to won on payment", async () => {
    const { sync, probe } = setup();
    (await sync.run(rawLead(1)))._unsafeUnwrap();
    const paid = (await sync.run(rawPayment(1, "ops1@acme1.test")))._unsafeUnwrap();
    expect(paid.status).toBe("applied");
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.list("deal")[0]?.properties["stage_id"]).toBe("closed_won");
    expect(probe.list("task").map((t) => t.properties["subject"])).toEqual(["Start onboarding"]);
  });

  it("turns duplicate_conflict with existingId into an update of that record, never a second record", async () => {
    // The CRM enforces unique emails (like HubSpot's 409) and the search misses the existing contact, as a lagging
    // index would, so the plan says create.
    const { sync, probe } = setup(
      {
        uniqueKeys: { contact: ["email"] },
        records: [{ type: "contact", id: "c-existing", properties: { email: "ops1@acme1.test" } }],
      },
      {
        wrap: (adapter) => ({
          ...adapter,
          find: async (query, ctx) => (query.type === "contact" ? [] : adapter.find(query, ctx)),
        }),
      },
    );
    const outcome = (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(outcome.objects.find((o) => o.step === "contact")).toEqual({
      step: "contact",
      type: "contact",
      id: "c-existing",
      action: "update",
    });
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.get("contact", "c-existing")?.properties["first_name"]).toBe("Ada");
    expect(probe.callCount({ method: "create", type: "contact", failed: true })).toBe(1);
    expect(probe.callCount({ method: "update", type: "contact" })).toBe(1);
  });

  it("associates the deal on its own when its create became an update of an existing deal (the links were not sent)", async () => {
    const { sync, probe } = setup({
      records: [{ type: "deal", id: "d-existing", properties: { name: "Existing deal" } }],
      faults: [{ method: "create", type: "deal", reason: "duplicate_conflict", existingId: "d-existing" }],
    });
    const outcome = (await sync.run(rawLead(1)))._unsafeUnwrap();
    const id = (step: string) => outcome.objects.find((o) => o.step === step)?.id ?? "";
    expect(outcome.objects.find((o) => o.step === "deal")).toMatchObject({
      id: "d-existing",
      action: "update",
    });
    expect(probe.callCount({ method: "associate" })).toBe(3);
    const linked = probe.associations({ type: "deal", id: "d-existing" }).map((a) => `${a.type}:${a.id}`);
    expect(linked).toEqual(expect.arrayContaining([`contact:${id("contact")}`, `company:${id("company")}`]));
    expect(outcome.objects.filter((o) => o.action === "associate").map((o) => o.step)).toEqual([
      "contact-company",
      "deal-contact",
      "deal-company",
    ]);
  });

  it("verifies a keyed create that timed out after it was written with a search, and creates no duplicate", async () => {
    const { sync, probe } = setup({
      faults: [{ method: "create", type: "contact", reason: "network_timeout", afterWrite: true }],
    });
    const outcome = (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(outcome.status).toBe("applied");
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.callCount({ method: "create", type: "contact" })).toBe(1);
    expect(outcome.objects.find((o) => o.step === "contact")?.id).toBe(probe.list("contact")[0]?.id);
    expect(probe.duplicates("contact", "email")).toEqual([]);
  });

  it("retries a rate-limited create in-run without verifying (the CRM did not process it)", async () => {
    const { sync, probe } = setup({
      faults: [{ method: "create", type: "company", reason: "rate_limited", times: 2 }],
    });
    (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(probe.callCount({ method: "create", type: "company" })).toBe(3);
    expect(probe.list("company")).toHaveLength(1);
  });

  it("never retries an unkeyed create after an ambiguous failure: the event fails retryably and nothing after it is written", async () => {
    const { sync, probe, journal } = setup({
      faults: [{ method: "create", type: "deal", reason: "server_error" }],
    });
    const failure = (await sync.run(rawLead(1)))._unsafeUnwrapErr();
    expect(failure).toMatchObject({
      action: "retry",
      reason: "server_error",
      step: "deal",
      replayable: true,
    });
    expect(failure.objects.map((o) => o.step)).toEqual(["contact", "company"]);
    expect(probe.callCount({ method: "create", type: "deal" })).toBe(1);
    expect(probe.callCount({ method: ["associate", "createNote"] })).toBe(0);
    expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("dead_letter");
    // The redelivery resumes after the company: the contact and company are not created again.
    probe.clearCalls();
    const outcome = (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(outcome.attempt).toBe(2);
    expect(probe.callCount({ method: "create", type: "contact" })).toBe(0);
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.list("deal")).toHaveLength(1);
    expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("applied");
  });

  it.each([
    ["review", "invalid_enum"],
    ["alert", "missing_scope"],
  ] as const)(
    "stops the write path on a %s error: nothing after the failed step is written",
    async (action, reason) => {
      const { sync, probe, journal } = setup({
        faults: [{ method: "create", type: "company", reason, times: Infinity }],
      });
      const failure = (await sync.run(rawLead(1)))._unsafeUnwrapErr();
      expect(failure).toMatchObject({ action, reason, step: "company" });
      expect(failure.objects.map((o) => o.step)).toEqual(["contact"]);
      expect(probe.callCount({ method: "create", type: "company" })).toBe(1);
      expect(probe.list("deal")).toHaveLength(0);
      expect(probe.list("note")).toHaveLength(0);
      expect(probe.callCount({ method: "associate" })).toBe(0);
      const record = (await journal.get("evt_lead_1"))._unsafeUnwrap();
      expect(record?.status).toBe(action === "review" ? "review" : "dead_letter");
      expect(record?.reason).toBe(reason);
      expect(record?.objects.map((o) => o.step)).toEqual(["contact"]);
    },
  );

  it("replays a stored review failure to redeliveries without calling the CRM again", async () => {
    const { sync, probe } = setup({
      faults: [{ method: "create", type: "company", reason: "invalid_enum", times: Infinity }],
    });
    (await sync.run(rawLead(1)))._unsafeUnwrapErr();
    probe.clearCalls();
    const again = (await sync.run(rawLead(1)))._unsafeUnwrapErr();
    expect(again.reason).toBe("invalid_enum");
    expect(again.step).toBe("replay");
    expect(probe.callCount()).toBe(0);
  });

  it("rejects contract-invalid input into the journal with every issue, without any CRM call", async () => {
    const { sync, probe, journal } = setup();
    const bad = rawLead(1, { contact: { email: "not-an-email" }, occurred_at: "yesterday" });
    const failure = (await sync.run(bad))._unsafeUnwrapErr();
    expect(failure.reason).toBe("contract_violation");
    expect(failure.action).toBe("review");
    expect(failure.eventId).toBe("evt_lead_1");
    expect(failure.replayable).toBe(true);
    expect(probe.callCount()).toBe(0);
    const record = (await journal.get("evt_lead_1"))._unsafeUnwrap();
    expect(record?.status).toBe("rejected");
    expect(record?.raw).toMatchObject({ event_id: "evt_lead_1" });
    const issues =
      record?.validation.ok === false ? record.validation.issues.map((i) => i.path.join(".")) : [];
    expect(issues).toEqual(expect.arrayContaining(["contact.email", "occurred_at"]));
  });

  it("journals unparseable input under a derived id instead of crashing", async () => {
    const { sync, journal, probe } = setup();
    for (const input of [undefined, null, 42, "{oops", [], { __proto__: { polluted: true } }]) {
      const failure = (await sync.run(input))._unsafeUnwrapErr();
      expect(failure.reason).toBe("contract_violation");
      expect((await journal.get(failure.eventId))._unsafeUnwrap()?.status).toBe("rejected");
    }
    expect(probe.callCount()).toBe(0);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("ends partial_review when routing confidence is low: contact, company and note written, deal held for review", async () => {
    const { sync, probe, journal } = setup();
    const lowConfidence = rawLead(1, {
      routing: {
        qualification_status: "qualified",
        lead_score: 60,
        routing_tier: "standard",
        confidence: 0.2,
      },
    });
    const outcome = (await sync.run(lowConfidence))._unsafeUnwrap();
    expect(outcome.status).toBe("partial_review");
    expect(outcome.reviews.length).toBeGreaterThan(0);
    expect(outcome.reviews.map((r) => r.step)).toContain("deal");
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.list("note")).toHaveLength(1);
    expect(probe.list("deal")).toHaveLength(0);
    expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("partial_review");
  });

  it("reports another delivery in progress as a retryable failure that leaves the journal to the owner", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let gated = true;
    const { sync, journal, probe } = setup(
      {},
      {
        wrap: (adapter) => ({
          ...adapter,
          find: async (query, ctx) => {
            if (gated) await gate;
            return adapter.find(query, ctx);
          },
        }),
      },
    );
    const first = sync.run(rawLead(1));
    await new Promise((resolve) => setImmediate(resolve));
    const failure = (await sync.run(rawLead(1)))._unsafeUnwrapErr();
    expect(failure).toMatchObject({
      action: "retry",
      reason: "locked",
      step: "lease",
      replayable: false,
      apiCalls: 0,
    });
    expect((failure.error as CrmError).retryAfterMs).toBeGreaterThan(0);
    expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("in_progress");
    gated = false;
    release();
    expect((await first)._unsafeUnwrap().status).toBe("applied");
    expect(probe.list("contact")).toHaveLength(1);
    expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("applied");
  });

  it("sends a reused idempotency key with a different payload to review, without running", async () => {
    const { sync, probe, journal } = setup();
    (await sync.run(rawLead(1)))._unsafeUnwrap();
    probe.clearCalls();
    const changed = rawLead(1, { event_id: "evt_other", contact: { email: "someone@else.test" } });
    const failure = (await sync.run(changed))._unsafeUnwrapErr();
    expect(failure).toMatchObject({ action: "review", reason: "duplicate_conflict", step: "lease" });
    expect(failure.error).toMatchObject({ code: "fingerprint_mismatch" });
    expect(probe.callCount()).toBe(0);
    expect((await journal.get("evt_other"))._unsafeUnwrap()?.status).toBe("review");
  });

  it("runs nothing when the idempotency store is unavailable (fail closed)", async () => {
    const store = createMemoryIdempotencyStore();
    const unavailable: IdempotencyStore = {
      ...store,
      acquire: () => errAsync(idempotencyError("StoreUnavailable", { store: "test" }, "connection refused")),
    };
    const throwing: IdempotencyStore = {
      ...store,
      acquire: () => {
        throw new Error("socket closed");
      },
    };
    for (const idempotency of [unavailable, throwing]) {
      const { sync, probe, journal } = setup({}, { idempotency });
      const failure = (await sync.run(rawLead(1)))._unsafeUnwrapErr();
      expect(failure).toMatchObject({ action: "retry", reason: "network_error", step: "lease", apiCalls: 0 });
      expect(failure.error).toMatchObject({ code: "store_unavailable" });
      expect(probe.callCount()).toBe(0);
      expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("dead_letter");
    }
  });

  it("acquires the limiter once per adapter call, in the sync's scope", async () => {
    const scopes: string[] = [];
    let released = 0;
    const limiter = {
      acquire: (scope: string) => {
        scopes.push(scope);
        return okAsync({ acquiredAt: 0, release: () => released++ });
      },
    } as unknown as RateLimiter;
    const { sync, probe } = setup({}, { limiter, scope: "acct-42" });
    (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(scopes).toHaveLength(probe.callCount());
    expect(new Set(scopes)).toEqual(new Set(["acct-42"]));
    expect(released).toBe(probe.callCount());
  });

  it("passes the idempotency key to every adapter call", async () => {
    const keys = new Set<string | undefined>();
    const { sync } = setup(
      {},
      {
        wrap: (adapter) =>
          new Proxy(adapter, {
            get(target, name, receiver) {
              const value = Reflect.get(target, name, receiver);
              if (typeof value !== "function") return value;
              return (...args: unknown[]) => {
                const ctx = args.at(-1) as { idempotencyKey?: string } | undefined;
                keys.add(ctx?.idempotencyKey);
                return value.apply(target, args);
              };
            },
          }),
      },
    );
    (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect([...keys]).toEqual(["lead.submitted:webflow:form_1"]);
  });

  it("serializes different events about the same contact in one process: one contact, one open deal", async () => {
    const { sync, probe } = setup();
    const same = { contact: { email: "ops@acme.test" }, company: { name: "Acme", domain: "acme.test" } };
    const results = await Promise.all([1, 2, 3].map((n) => sync.run(rawLead(n, same))));
    expect(results.every((r) => r.isOk())).toBe(true);
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.list("company")).toHaveLength(1);
    expect(probe.list("deal")).toHaveLength(1);
    expect(probe.list("note")).toHaveLength(3);
  });

  it("never lets a CrmError thrown as a plain Error escape: an adapter bug becomes an alert failure", async () => {
    const { sync } = setup(
      {},
      {
        wrap: (adapter) => ({
          ...adapter,
          create: async () => {
            throw new TypeError("cannot read properties of undefined");
          },
        }),
      },
    );
    const failure = (await sync.run(rawLead(1)))._unsafeUnwrapErr();
    expect(failure.error).toBeInstanceOf(CrmError);
    expect(failure.action).toBe("alert");
    expect(failure.step).toBe("contact");
  });

  it("with a policy routing priority leads to an owner, assigns it to the contact and the deal", async () => {
    const policy = createPlanPolicy({ routing: [{ tier: "priority", owner: "alex@example.com" }] });
    const { sync, probe } = setup({}, { policy });
    (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(probe.list("contact")[0]?.properties["owner_id"]).toBe("owner-1");
    expect(probe.list("deal")[0]?.properties["owner_id"]).toBe("owner-1");
    expect(createMemoryJournal).toBeDefined();
  });
});

describe("one retry layer", () => {
  const selfRetrying = (adapter: CrmAdapter): CrmAdapter => ({
    ...adapter,
    capabilities: { ...adapter.capabilities, retriesTransientErrors: true },
  });

  it("does not retry a read again when the adapter declares it retries transient errors itself", async () => {
    const { sync, probe } = setup({}, { wrap: selfRetrying });
    probe.faults.inject({ method: "find", reason: "server_error" });
    const result = await sync.run(rawLead(1));
    expect(result.isErr() && result.error.reason).toBe("server_error");
    expect(probe.callCount({ method: "find", failed: true })).toBe(1);
    expect(probe.list("contact")).toHaveLength(0);
  });

  it("still retries a create whose outcome is unknown, after checking it did not land", async () => {
    const { sync, probe } = setup({}, { wrap: selfRetrying });
    probe.faults.inject({ method: "create", type: "contact", reason: "network_timeout" });
    const result = await sync.run(rawLead(2));
    expect(result.isOk() && result.value.status).toBe("applied");
    expect(probe.list("contact")).toHaveLength(1);
  });

  it("retries reads in-run for adapters that do not retry themselves", async () => {
    const { sync, probe } = setup();
    probe.faults.inject({ method: "find", reason: "server_error" });
    const result = await sync.run(rawLead(3));
    expect(result.isOk() && result.value.status).toBe("applied");
  });
});
