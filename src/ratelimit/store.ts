import type { RateLimitPolicy } from "./types.js";

/** A value now, or later from a networked store. The memory store answers synchronously to stay allocation-light. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * A policy as the limiter hands it to a store: validated, with headroom applied and every default filled in.
 * Stores never see the raw {@link RateLimitPolicy}.
 */
export interface ResolvedPolicy {
  readonly id: string;
  readonly kind: RateLimitPolicy["kind"];
  /** The vendor's published ceiling. */
  readonly limit: number;
  /** `floor(limit × headroom)`, at least 1: what the store enforces. */
  readonly effectiveLimit: number;
  /** Counts the request's cost (true) or 1 per request (false). */
  readonly weighted: boolean;
  /** Tags that select this policy; empty means every request. */
  readonly tags: readonly string[];
  /** Window length for `sliding` and `rolling`; 0 for the other kinds. */
  readonly windowMs: number;
  /** Bucket width for `rolling`; 0 for the other kinds. */
  readonly bucketMs: number;
  /** IANA zone for `calendar`; `"UTC"` for the other kinds. */
  readonly timeZone: string;
}

/** One policy's share of an acquire: the policy and the units it costs there. */
export interface StoreAcquireEntry {
  readonly policy: ResolvedPolicy;
  readonly units: number;
}

/** One atomic check-and-commit across every policy that applies to a request. */
export interface StoreAcquireRequest {
  /** Unique id of this admission; concurrency slots are held under it until release or lease expiry. */
  readonly permitId: string;
  readonly entries: readonly StoreAcquireEntry[];
  /** How long a concurrency slot is held when its holder never releases it (a crashed process). */
  readonly leaseMs: number;
}

/**
 * The outcome of {@link RateLimitStore.tryAcquire}.
 *
 * - `admitted`: every policy admitted and all were charged; `now` is the store's clock at admission.
 * - `wait`: nothing was charged; the earliest moment the blocking policy (`"cooldown"` for a scope pause) could
 *   admit is `retryAfterMs` away (a lower bound for concurrency held by other processes).
 * - `cost_exceeds_limit`: the request can never fit `policyId`; nothing was charged.
 */
export type StoreAcquireResult =
  | { readonly kind: "admitted"; readonly now: number }
  | { readonly kind: "wait"; readonly retryAfterMs: number; readonly policyId: string }
  | { readonly kind: "cost_exceeds_limit"; readonly policyId: string; readonly limit: number };

/** Usage of one policy as a store sees it. */
export interface StorePolicyUsage {
  readonly id: string;
  /** Units counted in the current window (conservative for `rolling`). */
  readonly used: number;
  /** Milliseconds until one more unit fits, when the policy is exhausted. */
  readonly resetInMs?: number | undefined;
}

/** A store's view of one scope. */
export interface StoreScopeStats {
  /** The store's clock. */
  readonly now: number;
  /** Epoch ms the scope is paused until, when paused. */
  readonly cooldownUntil?: number | undefined;
  readonly policies: readonly StorePolicyUsage[];
}

/**
 * Where a limiter keeps its counters. The limiter owns waiting and scheduling; a store answers one atomic
 * check-and-commit per attempt, so processes sharing a store share every budget exactly. Implement it to keep
 * budgets somewhere crmkit does not ship (and prove it with `runRateLimitStoreConformance` from `crmkit/testing`).
 *
 * Rules every store follows: a request is charged to all its policies or to none; a `wait` or
 * `cost_exceeds_limit` answer charges nothing; a cooldown only ever lengthens; every piece of state expires on its
 * own (window, period end, lease), so idle scopes cost nothing.
 */
export interface RateLimitStore {
  /**
   * True when several processes may share the store; the limiter then adds a little jitter to wake-ups so
   * processes waiting on the same window do not all retry in the same millisecond.
   */
  readonly distributed: boolean;
  /** Checks every entry and, only when all admit, charges all of them. */
  tryAcquire(scope: string, request: StoreAcquireRequest): MaybePromise<StoreAcquireResult>;
  /** Frees the concurrency slots held under `permitId`. Idempotent. */
  release(scope: string, permitId: string, policies: readonly ResolvedPolicy[]): MaybePromise<void>;
  /**
   * Undoes an admission whose request never left the process (its waiter aborted while the store was
   * answering). `acquiredAt` is the `now` of the admission.
   */
  refund(scope: string, request: StoreAcquireRequest, acquiredAt: number): MaybePromise<void>;
  /** Pauses the scope for `ms` unless it is already paused longer; returns the epoch ms the pause ends. */
  cooldown(scope: string, ms: number): MaybePromise<number>;
  /**
   * Header feedback: the vendor counts `vendorUsed` units in `policy`'s current window (other apps or processes
   * spend the same budget). When that is more than the local count, the store charges the difference as phantom
   * usage that expires within `forMs` (at the period end for `calendar`), so the local count never trails the
   * vendor's. Never lowers a count.
   */
  reconcile(scope: string, policy: ResolvedPolicy, vendorUsed: number, forMs: number): MaybePromise<void>;
  /** Current usage of `policies` in `scope`. */
  stats(scope: string, policies: readonly ResolvedPolicy[]): MaybePromise<StoreScopeStats>;
}
