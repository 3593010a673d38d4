import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { AcquireRequest, IdempotencyStore } from "../idempotency/index.js";
import { acquiredLease, expectErr, expectOk } from "./idempotency-conformance-assert.js";
import type { ConformanceRunner } from "./idempotency-store-conformance.js";

/** What the clock-skew cases need from the suite that registers them. */
export interface ClockSkewContext {
  readonly it: ConformanceRunner["it"];
  readonly timeoutMs: number;
  /** Lease of the cases: long enough that the skewed duplicate certainly arrives while it is live. */
  readonly leaseMs: number;
  /** The store's clock is this process's `Date.now()` (the suite's `sharesCallerClock`). */
  readonly sharesCallerClock: boolean;
  /** A store and a second client of the same backend (the same store for in-process stores). */
  open(): Promise<{ first: IdempotencyStore; second: IdempotencyStore; close(): Promise<void> }>;
  /** An acquire request for `key` with the given lease. */
  request(scope: string, key: string, leaseMs: number): AcquireRequest;
  /** Resolves once a lease of `ms` on `key` has certainly ended on the store's clock. */
  afterLease(store: IdempotencyStore, scope: string, key: string, ms: number): Promise<void>;
}

/** How far apart the clients' clocks are (research §7 item 11). */
const SKEW_MS = 30_000;

// Runs `call` as a client whose clock is `skewMs` off: `Date.now()` (what crmkit's systemClock and most code
// read) is shifted until the call settles. Only the caller's side moves; a store keeping time by its own clock
// (a server's, or one injected into it) must not notice.
async function asClientSkewedBy<T>(skewMs: number, call: () => PromiseLike<T>): Promise<T> {
  const realNow = Date.now;
  Date.now = () => realNow() + skewMs;
  try {
    return await call();
  } finally {
    Date.now = realNow;
  }
}

/**
 * Registers the clock-skew cases of the idempotency store conformance suite: clients whose clocks are ±30 s off
 * neither take a live lease over early nor wait for their own clock once it has ended, because all lease math
 * uses the store's clock. Stores whose clock is the callers' own `Date.now()` check the same rule on that one
 * clock instead.
 */
export function registerClockSkewTests(context: ClockSkewContext): void {
  const { it, leaseMs } = context;
  const stampedOnStoreClock = async (store: IdempotencyStore, scope: string, expiresAt: number) => {
    const record = expectOk(await store.get(scope, "k"));
    assert.ok(record !== undefined && record.leaseExpiresAt !== undefined, JSON.stringify(record));
    assert.ok(Math.abs(expiresAt - record.leaseExpiresAt) <= 1, "the lease handed out is the one stored");
    assert.ok(
      Math.abs(record.leaseExpiresAt - record.createdAt - leaseMs) <= 1,
      `the lease must end leaseMs after the record's creation on the store's clock: ${JSON.stringify(record)}`,
    );
  };

  if (!context.sharesCallerClock) {
    it(
      "never takes a lease over early or late when clients' clocks are 30 s apart: lease math uses the store's clock",
      async () => {
        const { first, second, close } = await context.open();
        const scope = `conformance:${randomUUID()}`;
        try {
          const owner = acquiredLease(
            expectOk(
              await asClientSkewedBy(-SKEW_MS, () => first.acquire(context.request(scope, "k", leaseMs))),
            ),
          );
          await stampedOnStoreClock(first, scope, owner.expiresAt);
          // By its own clock, 30 s ahead, this client sees the lease as long over; by the store's it is live.
          const early = expectOk(
            await asClientSkewedBy(SKEW_MS, () => second.acquire(context.request(scope, "k", leaseMs))),
          );
          assert.equal(
            early.kind,
            "in_progress",
            `a client 30 s ahead was handed a live lease: ${JSON.stringify(early)}. Time the lease by the store's clock; if the store's clock is this process's Date.now(), set the suite option sharesCallerClock`,
          );
          if (early.kind === "in_progress") {
            assert.ok(early.retryAfterMs > 0 && early.retryAfterMs <= leaseMs, String(early.retryAfterMs));
            assert.equal(early.attempt, 1);
          }
          await context.afterLease(first, scope, "k", leaseMs);
          // Over on the store's clock: a client 30 s behind takes over now, without waiting for its own clock.
          const late = expectOk(
            await asClientSkewedBy(-SKEW_MS, () => second.acquire(context.request(scope, "k", leaseMs))),
          );
          assert.equal(late.kind, "acquired", `the ended lease was not taken over: ${JSON.stringify(late)}`);
          if (late.kind !== "acquired") return;
          assert.equal(late.takeover, true);
          assert.equal(late.lease.attempt, 2);
          expectErr(await asClientSkewedBy(-SKEW_MS, () => first.complete(owner, "zombie")), "LeaseLost");
          expectOk(await asClientSkewedBy(SKEW_MS, () => second.complete(late.lease, "done")));
          assert.equal(expectOk(await first.get(scope, "k"))?.result, "done");
        } finally {
          await close();
        }
      },
      context.timeoutMs,
    );
    return;
  }

  // Callers and the store read this process's Date.now(), so no caller can be skewed against the store: the
  // rule holds by construction. What is left to check is that the lease follows that one clock alone: stamped
  // by it, live by it, and over as soon as the clock moves past it (no second time source keeps it alive).
  it(
    "times leases by the one clock it shares with its callers (in-process, so clients cannot be skewed against it)",
    async () => {
      const { first, second, close } = await context.open();
      const scope = `conformance:${randomUUID()}`;
      try {
        const owner = acquiredLease(expectOk(await first.acquire(context.request(scope, "k", leaseMs))));
        await stampedOnStoreClock(first, scope, owner.expiresAt);
        const live = expectOk(await second.acquire(context.request(scope, "k", leaseMs)));
        assert.equal(live.kind, "in_progress", JSON.stringify(live));
        if (live.kind === "in_progress") {
          assert.ok(live.retryAfterMs > 0 && live.retryAfterMs <= leaseMs, String(live.retryAfterMs));
        }
        const moved = expectOk(
          await asClientSkewedBy(SKEW_MS, () => second.acquire(context.request(scope, "k", leaseMs))),
        );
        assert.equal(
          moved.kind,
          "acquired",
          `30 s later by the shared clock the lease had not ended: ${JSON.stringify(moved)}. A store keeping its own clock must leave sharesCallerClock unset`,
        );
        if (moved.kind !== "acquired") return;
        assert.equal(moved.takeover, true);
        assert.equal(moved.lease.attempt, 2);
        assert.ok(
          moved.lease.expiresAt - owner.expiresAt >= SKEW_MS - 1_000,
          "the new lease is stamped by the moved clock",
        );
        expectErr(await first.complete(owner, "zombie"), "LeaseLost");
        expectOk(await second.complete(moved.lease, "done"));
      } finally {
        await close();
      }
    },
    context.timeoutMs,
  );
}
