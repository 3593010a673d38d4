import { errAsync, okAsync } from "neverthrow";
import { describe, expect, it } from "vitest";
import type { CrmAdapter, CrmObjectType } from "../../src/adapter/index.js";
import { CrmError } from "../../src/errors/index.js";
import { createSync } from "../../src/executor/index.js";
import {
  createMemoryIdempotencyStore,
  type IdempotencyStore,
  idempotencyError,
} from "../../src/idempotency/index.js";
import { createMemoryJournal } from "../../src/journal/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";
import { createFakeCrm } from "../../src/testing/fake-crm/index.js";
import { rawLead } from "./helpers.js";

const LEASE_MS = 10_000;

// A worker process that dies at a chosen point: the adapter throws a non-CrmError "process died", and from then on
// its store client is gone, so the lease is neither released nor renewed; only its expiry frees the event.
function crashingWorker(
  store: IdempotencyStore,
  adapter: CrmAdapter,
  at: { type: CrmObjectType; afterWrite: boolean },
) {
  let dead = false;
  const silent = () => okAsync(undefined);
  const workerStore: IdempotencyStore = {
    ...store,
    acquire: (request) => store.acquire(request),
    checkpoint: (lease, checkpoint) => (dead ? silent() : store.checkpoint(lease, checkpoint)),
    renew: (lease, ms) => (dead ? okAsync(lease) : store.renew(lease, ms)),
    fail: () => silent(),
    release: () => silent(),
    complete: (lease, result) => (dead ? silent() : store.complete(lease, result)),
  };
  const workerAdapter: CrmAdapter = {
    ...adapter,
    create: async (type, input, ctx) => {
      if (type !== at.type) return adapter.create(type, input, ctx);
      if (at.afterWrite) await adapter.create(type, input, ctx);
      dead = true;
      throw new Error("process died");
    },
  };
  return { store: workerStore, adapter: workerAdapter };
}

describe("take-over after a crash", () => {
  it.each([
    ["after the contact create was checkpointed", { type: "company" as const, afterWrite: false }],
    ["between the company write and its checkpoint", { type: "company" as const, afterWrite: true }],
  ])("resumes from the checkpoint without re-creating (crash %s)", async (_label, at) => {
    const clock = createFakeClock();
    const { adapter, probe } = createFakeCrm({ clock });
    const store = createMemoryIdempotencyStore({ clock });
    const journal = createMemoryJournal({ clock });
    const worker = crashingWorker(store, adapter, at);
    const first = createSync({
      adapter: worker.adapter,
      idempotency: worker.store,
      journal,
      clock,
      leaseMs: LEASE_MS,
    });
    (await first.run(rawLead(1)))._unsafeUnwrapErr();
    expect(probe.list("contact")).toHaveLength(1);

    const second = createSync({ adapter, idempotency: store, journal, clock, leaseMs: LEASE_MS });
    // While the dead worker's lease lasts, a redelivery is told to come back later.
    const early = (await second.run(rawLead(1)))._unsafeUnwrapErr();
    expect(early.reason).toBe("locked");

    await clock.advance(LEASE_MS + 1);
    probe.clearCalls();
    const outcome = (await second.run(rawLead(1)))._unsafeUnwrap();
    expect(outcome.status).toBe("applied");
    expect(outcome.attempt).toBe(2);
    expect(probe.callCount({ method: "create", type: "contact" })).toBe(0);
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.list("company")).toHaveLength(1);
    expect(probe.list("deal")).toHaveLength(1);
    expect(probe.list("note")).toHaveLength(1);
    // The first pending create is verified by a search before it is sent again.
    expect(probe.callCount({ method: "find", type: "company" })).toBe(1);
    expect(probe.callCount({ method: "create", type: "company" })).toBe(at.afterWrite ? 0 : 1);
    const contact = probe.list("contact")[0]!;
    expect(outcome.objects.find((o) => o.step === "contact")).toMatchObject({
      id: contact.id,
      action: "create",
    });
    expect(
      probe
        .associations({ type: "contact", id: contact.id })
        .map((a) => a.type)
        .sort(),
    ).toEqual(["company", "deal", "note"]);
    expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("applied");
  });

  it("aborts a zombie's in-flight call once it learns its lease was taken over: nothing it writes lands", async () => {
    const clock = createFakeClock();
    const { adapter, probe } = createFakeCrm({ clock });
    const store = createMemoryIdempotencyStore({ clock });
    let unstall!: () => void;
    const stalled = new Promise<void>((resolve) => {
      unstall = resolve;
    });
    let stallOnce = true;
    const slow: CrmAdapter = {
      ...adapter,
      create: async (type, input, ctx) => {
        if (type === "company" && stallOnce) {
          stallOnce = false;
          await stalled;
          // What a transport does with an aborted signal: the request is cancelled before it is sent.
          if (ctx?.signal?.aborted === true) throw new CrmError({ reason: "aborted", provider: "fake" });
        }
        return adapter.create(type, input, ctx);
      },
    };
    // A network partition between the zombie and the store: its renewals fail until the partition heals.
    let partitioned = true;
    const zombieStore: IdempotencyStore = {
      ...store,
      renew: (lease, ms) =>
        partitioned
          ? errAsync(idempotencyError("StoreUnavailable", { store: "test" }, "partitioned"))
          : store.renew(lease, ms),
    };
    const zombie = createSync({ adapter: slow, idempotency: zombieStore, clock, leaseMs: LEASE_MS });
    const healthy = createSync({ adapter, idempotency: store, clock, leaseMs: LEASE_MS });
    const zombieRun = zombie.run(rawLead(1));
    await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(LEASE_MS + 1);
    const outcome = (await healthy.run(rawLead(1)))._unsafeUnwrap();
    expect(outcome.attempt).toBe(2);
    partitioned = false;
    await clock.advance(LEASE_MS);
    unstall();
    const lost = (await zombieRun)._unsafeUnwrapErr();
    expect(lost.reason).toBe("locked");
    expect(lost.error).toMatchObject({ code: "lease_lost" });
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.list("company")).toHaveLength(1);
    expect(probe.list("deal")).toHaveLength(1);
    expect(probe.list("note")).toHaveLength(1);
  });
});
