import { describe, expect, it } from "vitest";
import { CrmError } from "../../src/errors/index.js";
import {
  createMemoryIdempotencyStore,
  type IdempotencyStore,
  isIdempotencyError,
  runIdempotent,
} from "../../src/idempotency/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";

const setup = () => {
  const clock = createFakeClock();
  const store = createMemoryIdempotencyStore({ clock });
  return { clock, store };
};

describe("runIdempotent", () => {
  it("runs the operation once and replays its result to a redelivery", async () => {
    const { store } = setup();
    let calls = 0;
    const fn = async () => ({ id: ++calls });
    const first = (await runIdempotent(store, "s", "evt-1", { a: 1 }, fn))._unsafeUnwrap();
    const second = (await runIdempotent(store, "s", "evt-1", { a: 1, attemptNumber: 2 }, fn))._unsafeUnwrap();
    expect(first).toEqual({ result: { id: 1 }, replayed: false, attempt: 1 });
    expect(second).toEqual({ result: { id: 1 }, replayed: true, attempt: 1 });
    expect(calls).toBe(1);
  });

  it("runs exactly once under 50 concurrent duplicates; the others get InProgress or a replay", async () => {
    const { store } = setup();
    let calls = 0;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        runIdempotent(store, "s", "evt", { a: 1 }, async () => {
          calls++;
          await new Promise((resolve) => setImmediate(resolve));
          return "done";
        }),
      ),
    );
    expect(calls).toBe(1);
    expect(results.filter((r) => r.isOk())).toHaveLength(1);
    expect(results.filter((r) => r.isErr() && r.error.type === "InProgress")).toHaveLength(49);
  });

  it("returns FingerprintMismatch without running when the same key carries another payload", async () => {
    const { store } = setup();
    await runIdempotent(store, "s", "evt", { amount: 1 }, () => "x");
    let ran = false;
    const outcome = await runIdempotent(store, "s", "evt", { amount: 2 }, () => {
      ran = true;
    });
    expect(outcome._unsafeUnwrapErr().type).toBe("FingerprintMismatch");
    expect(ran).toBe(false);
  });

  it("releases the key on a retryable error so the next delivery runs again", async () => {
    const { store } = setup();
    const boom = new CrmError({ reason: "server_error", provider: "hubspot", status: 503 });
    const failed = await runIdempotent(store, "s", "evt", {}, () => {
      throw boom;
    });
    const error = failed._unsafeUnwrapErr();
    expect(error).toMatchObject({ type: "HandlerFailed", retryable: true, replayed: false });
    expect(isIdempotencyError(error, "HandlerFailed") && error.cause).toBe(boom);
    expect(JSON.stringify(error)).not.toContain("cause");
    const retried = (await runIdempotent(store, "s", "evt", {}, (ctx) => ctx.attempt))._unsafeUnwrap();
    expect(retried).toEqual({ result: 2, replayed: false, attempt: 2 });
  });

  it("stores a terminal (review) error and replays it without running again", async () => {
    const { store } = setup();
    const invalid = new CrmError({ reason: "invalid_property", provider: "hubspot", status: 400 });
    await runIdempotent(store, "s", "evt", {}, () => {
      throw invalid;
    });
    let ran = false;
    const replay = await runIdempotent(store, "s", "evt", {}, () => {
      ran = true;
    });
    expect(ran).toBe(false);
    expect(replay._unsafeUnwrapErr()).toMatchObject({
      type: "HandlerFailed",
      retryable: false,
      replayed: true,
      error: { name: "CrmError", code: "invalid_property" },
    });
  });

  it("uses a custom classifier and fingerprint function", async () => {
    const { store } = setup();
    await runIdempotent(
      store,
      "s",
      "evt",
      { a: 1 },
      () => {
        throw new Error("nope");
      },
      { classify: () => "terminal", fingerprint: { fingerprintOf: () => "fixed" } },
    );
    const record = (await store.get("s", "evt"))._unsafeUnwrap();
    expect(record?.state).toBe("failed");
    expect(record?.fingerprint).toBe("fixed");
  });

  it("renews the lease while a long operation runs, so no duplicate takes over", async () => {
    const { clock, store } = setup();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const running = runIdempotent(
      store,
      "s",
      "evt",
      {},
      async () => {
        await gate;
        return "long";
      },
      { leaseMs: 3000, clock },
    );
    for (let i = 0; i < 10; i++) {
      await clock.advance(1000);
      const dup = await runIdempotent(store, "s", "evt", {}, () => "dup", { leaseMs: 3000, clock });
      expect(dup._unsafeUnwrapErr().type).toBe("InProgress");
    }
    release();
    expect((await running)._unsafeUnwrap()).toEqual({ result: "long", replayed: false, attempt: 1 });
    expect(clock.pendingTimers()).toBe(0);
  });

  it("aborts the operation's signal when the lease is lost and returns LeaseLost without writing", async () => {
    const { clock, store } = setup();
    let seen: AbortSignal | undefined;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const running = runIdempotent(
      store,
      "s",
      "evt",
      {},
      async (ctx) => {
        seen = ctx.signal;
        await gate;
        return "zombie";
      },
      { leaseMs: 3000, clock },
    );
    await clock.advance(1);
    await store.delete("s", "evt");
    await clock.advance(1000);
    expect(seen?.aborted).toBe(true);
    release();
    expect((await running)._unsafeUnwrapErr()).toMatchObject({ type: "LeaseLost" });
    expect((await store.get("s", "evt"))._unsafeUnwrap()).toBeUndefined();
  });

  it("hands a take-over the last checkpoint so it resumes instead of starting over", async () => {
    const { clock, store } = setup();
    const first = runIdempotent(
      store,
      "s",
      "evt",
      {},
      async (ctx) => {
        (await ctx.checkpoint("contact", { contactId: "c1" }))._unsafeUnwrap();
        return new Promise<never>(() => {});
      },
      { leaseMs: 3000, renewEveryMs: false, clock },
    );
    void first;
    await clock.advance(3001);
    const second = await runIdempotent(
      store,
      "s",
      "evt",
      {},
      (ctx) => ({
        takeover: ctx.takeover,
        resumed: ctx.lastCheckpoint,
      }),
      { leaseMs: 3000, clock },
    );
    expect(second._unsafeUnwrap()).toEqual({
      result: { takeover: true, resumed: { step: "contact", data: { contactId: "c1" } } },
      replayed: false,
      attempt: 2,
    });
  });

  it("records an oversized result as a terminal failure and returns PayloadTooLarge", async () => {
    const store = createMemoryIdempotencyStore({ maxResultBytes: 100 });
    const outcome = await runIdempotent(store, "s", "evt", {}, () => "x".repeat(200));
    expect(outcome._unsafeUnwrapErr().type).toBe("PayloadTooLarge");
    expect((await store.get("s", "evt"))._unsafeUnwrap()?.state).toBe("failed");
  });

  it("fails closed: a store outage is StoreUnavailable and the operation never runs", async () => {
    const store: IdempotencyStore = createMemoryIdempotencyStore();
    await store.close();
    let ran = false;
    const outcome = await runIdempotent(store, "s", "evt", {}, () => {
      ran = true;
    });
    expect(outcome._unsafeUnwrapErr().type).toBe("StoreUnavailable");
    expect(ran).toBe(false);
  });

  it("throws at call time naming the option when the lease cannot outlast retries without renewal", () => {
    const { store } = setup();
    const call = (options: Parameters<typeof runIdempotent>[5]) => () =>
      runIdempotent(store, "s", "k", {}, () => 1, options);
    expect(
      call({ leaseMs: 10_000, renewEveryMs: false, maxRetryTimeMs: 9_000, attemptTimeoutMs: 1_000 }),
    ).toThrow(/`leaseMs`/);
    expect(call({ leaseMs: 10_000, renewEveryMs: 10_000 })).toThrow(/`renewEveryMs`/);
    expect(call({ leaseMs: 0 })).toThrow(/`leaseMs`/);
    expect(call({ leaseMs: 10_000, ttlMs: 5_000 })).toThrow(/`ttlMs`/);
    expect(
      call({ leaseMs: 10_000, renewEveryMs: false, maxRetryTimeMs: 5_000, attemptTimeoutMs: 1_000 }),
    ).not.toThrow();
  });
});
