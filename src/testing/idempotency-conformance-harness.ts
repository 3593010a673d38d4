import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { AcquireRequest, IdempotencyStore } from "../idempotency/index.js";
import { expectOk } from "./idempotency-conformance-assert.js";
import type {
  ConformanceRunner,
  IdempotencyStoreConformanceOptions,
} from "./idempotency-store-conformance.js";

export const HOUR = 60 * 60 * 1000;

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What every group of idempotency store conformance cases is registered with. */
export interface IdempotencySuite {
  readonly it: ConformanceRunner["it"];
  readonly options: IdempotencyStoreConformanceOptions;
  readonly leaseMs: number;
  readonly shortTtlMs: number;
  readonly trials: number;
  readonly concurrency: number;
  readonly maxResultBytes: number;
  readonly timeout: number;
  /** Runs `body` with a fresh store and a scope of its own, and closes the store. */
  withStore(body: (store: IdempotencyStore, scope: string) => Promise<void>): Promise<void>;
  request(
    scope: string,
    key: string,
    fingerprint?: string,
    overrides?: Partial<AcquireRequest>,
  ): AcquireRequest;
  afterLease(store: IdempotencyStore, scope: string, key: string, ms: number): Promise<void>;
  afterTtl(store: IdempotencyStore, scope: string, key: string, ttl: number): Promise<void>;
}

export function createIdempotencySuite(
  it: ConformanceRunner["it"],
  options: IdempotencyStoreConformanceOptions,
): IdempotencySuite {
  const leaseMs = options.clock ? 30_000 : (options.leaseMs ?? 400);
  const shortTtlMs = options.clock ? HOUR : (options.shortTtlMs ?? 1500);
  const trials = options.trials ?? 200;
  const concurrency = options.concurrency ?? 50;
  const maxResultBytes = options.maxResultBytes ?? 256 * 1024;
  const timeout = options.timeoutMs ?? 60_000;

  const withStore = async (
    body: (store: IdempotencyStore, scope: string) => Promise<void>,
  ): Promise<void> => {
    const store = await options.create();
    try {
      await body(store, `conformance:${randomUUID()}`);
    } finally {
      await store.close();
    }
  };
  const request = (
    scope: string,
    key: string,
    fingerprint = "fp-1",
    overrides: Partial<AcquireRequest> = {},
  ) => ({
    scope,
    key,
    fingerprint,
    leaseMs,
    ttlMs: HOUR,
    ...overrides,
  });
  // Waits until a lease of `ms` has certainly expired on the store's clock: advances a fake clock, or polls
  // the store until it reports the record as taken over-able (no fixed sleeps on real backends).
  const afterLease = async (
    store: IdempotencyStore,
    scope: string,
    key: string,
    ms: number,
  ): Promise<void> => {
    if (options.clock) {
      await options.clock.advance(ms + 1);
      return;
    }
    const deadline = Date.now() + ms * 20 + 5_000;
    for (let remaining = await remainingLease(store, scope, key); remaining >= 0; ) {
      if (Date.now() > deadline) assert.fail("lease did not expire in time");
      await realSleep(Math.max(10, Math.min(100, remaining + 5)));
      remaining = await remainingLease(store, scope, key);
    }
  };
  // The store's own view of the remaining lease, measured on its clock via a throwaway record's createdAt;
  // negative once the lease has certainly ended.
  const remainingLease = async (store: IdempotencyStore, scope: string, key: string): Promise<number> => {
    const clockKey = `clock:${randomUUID()}`;
    expectOk(await store.acquire(request(scope, clockKey)));
    const now = expectOk(await store.get(scope, clockKey))?.createdAt ?? 0;
    expectOk(await store.delete(scope, clockKey));
    const record = expectOk(await store.get(scope, key));
    return record?.leaseExpiresAt === undefined ? -1 : record.leaseExpiresAt - now;
  };
  const afterTtl = async (
    store: IdempotencyStore,
    scope: string,
    key: string,
    ttl: number,
  ): Promise<void> => {
    if (options.clock) {
      await options.clock.advance(ttl + 1);
      return;
    }
    const deadline = Date.now() + ttl * 20 + 5_000;
    while (expectOk(await store.get(scope, key)) !== undefined) {
      if (Date.now() > deadline) assert.fail("record did not expire in time");
      await realSleep(50);
    }
  };
  return {
    it,
    options,
    leaseMs,
    shortTtlMs,
    trials,
    concurrency,
    maxResultBytes,
    timeout,
    withStore,
    request,
    afterLease,
    afterTtl,
  };
}
