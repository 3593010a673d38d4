import type { ResultAsync } from "neverthrow";
import type { CrmError } from "../errors/index.js";

// The contract between the limiter, the HTTP transport and the vendor adapters. The limiter implementation may
// add members, but these shapes are what the transport and adapters rely on.

/** Fields every policy kind shares. */
export interface PolicyBase {
  /** Unique id within a limiter, e.g. `"ten-secondly"`, `"daily"`, `"search"`. */
  id: string;
  /** The vendor's published ceiling for this window (before `headroom` is applied). */
  limit: number;
  /**
   * When true the policy counts the request's `cost` (Pipedrive tokens, Zoho credits); otherwise every request
   * counts 1.
   * @default false
   */
  weighted?: boolean | undefined;
  /**
   * The policy applies only to requests carrying at least one of these tags (e.g. `["search"]` for HubSpot's
   * search limit). Without tags it applies to every request.
   */
  tags?: readonly string[] | undefined;
  /** Overrides the limiter's `headroom` for this policy (fraction of `limit` we allow ourselves). */
  headroom?: number | undefined;
}

/** Exact sliding log: never more than the effective limit in any rolling window of `windowMs`. For short windows. */
export interface SlidingWindowPolicy extends PolicyBase {
  kind: "sliding";
  windowMs: number;
}

/**
 * Conservative bucketed rolling counter for long rolling windows (Salesforce 24 h, Zoho credits): never
 * over-admits, under-admits by at most one bucket.
 */
export interface RollingCounterPolicy extends PolicyBase {
  kind: "rolling";
  windowMs: number;
  /** Bucket width. @default windowMs / 288 (5 minutes for 24 h) */
  bucketMs?: number | undefined;
}

/** Calendar window that resets at local midnight in an IANA time zone (HubSpot daily, Pipedrive daily budget). */
export interface CalendarPolicy extends PolicyBase {
  kind: "calendar";
  /** IANA time zone of the reset, e.g. `"America/New_York"`. @default "UTC" */
  timeZone?: string | undefined;
}

/** Cap on requests in flight at once (Zoho concurrency, Salesforce long-running requests). */
export interface ConcurrencyPolicy extends PolicyBase {
  kind: "concurrency";
}

/** Any rate-limit policy. */
export type RateLimitPolicy = SlidingWindowPolicy | RollingCounterPolicy | CalendarPolicy | ConcurrencyPolicy;

/** Per-call options of {@link RateLimiter.acquire}. */
export interface AcquireOptions {
  /** Units this call costs against `weighted` policies. @default 1 */
  cost?: number | undefined;
  /** Tags selecting tag-restricted policies (e.g. `["search"]`). @default [] */
  tags?: readonly string[] | undefined;
  /** Aborting rejects a waiting acquire at once with reason `aborted`; nothing is consumed. */
  signal?: AbortSignal | undefined;
  /**
   * Longest acceptable wait. A wait that would be longer fails at once with `rate_limited` (or `quota_exhausted`
   * for calendar/rolling policies) carrying `retryAfterMs`, instead of parking the caller.
   * @default Infinity
   */
  maxWaitMs?: number | undefined;
  /** Scheduling priority, 0 (highest) to 9 (lowest). @default 5 */
  priority?: number | undefined;
}

/** Proof of admission. `release()` returns concurrency slots; call it when the request finishes (idempotent). */
export interface Permit {
  readonly scope: string;
  /** Epoch ms at which the call was admitted. */
  readonly acquiredAt: number;
  /** How long the caller waited for admission. */
  readonly waitedMs: number;
  release(): void;
}

/** The parts of a vendor response the limiter learns from. */
export interface ObservedResponse {
  status: number;
  headers: Headers | Readonly<Record<string, string>>;
  /** Parsed JSON body when available (HubSpot `policyName`, Salesforce `REQUEST_LIMIT_EXCEEDED`). */
  body?: unknown;
  /** The tags the request was sent with. */
  tags?: readonly string[] | undefined;
}

/** What a vendor's header observer concluded from one response. */
export interface ObserveAdvice {
  /** Pause the whole scope this long (429, Retry-After, reset headers). Never shortens an existing pause. */
  cooldownMs?: number | undefined;
  /**
   * The vendor says only this much is left in a policy's current window; the limiter tightens to it. `limit` is
   * the vendor's own ceiling for that window when it reports one (defaults to the policy's `limit`).
   */
  remaining?:
    | ReadonlyArray<{
        policyId: string;
        remaining: number;
        resetInMs?: number | undefined;
        limit?: number | undefined;
      }>
    | undefined;
}

/** Reads one vendor's rate-limit headers and bodies. Pure; `now` is epoch ms. */
export type HeaderObserver = (response: ObservedResponse, now: number) => ObserveAdvice | undefined;

/** Snapshot of one scope's budget. */
export interface RateLimitStats {
  readonly scope: string;
  /** Epoch ms until which the scope is paused, if it is. */
  readonly cooldownUntil?: number | undefined;
  readonly policies: ReadonlyArray<{
    readonly id: string;
    readonly kind: RateLimitPolicy["kind"];
    readonly limit: number;
    /** `limit` after headroom and header feedback. */
    readonly effectiveLimit: number;
    readonly used: number;
    readonly remaining: number;
    /** Milliseconds until enough budget frees up for one more unit, when exhausted. */
    readonly resetInMs?: number | undefined;
  }>;
}

/**
 * A rate limiter shared by every request to one CRM. A `scope` is the vendor account or token, so two tenants
 * never share a budget.
 */
export interface RateLimiter {
  /** Waits until every applicable policy admits the call, then consumes from all of them atomically. */
  acquire(scope: string, options?: AcquireOptions): ResultAsync<Permit, CrmError>;
  /** Acquires, runs `fn`, releases. Errors thrown by `fn` are classified into `CrmError`. */
  schedule<T>(scope: string, fn: () => Promise<T>, options?: AcquireOptions): ResultAsync<T, CrmError>;
  /** Learns from a response: cooldowns on 429/Retry-After, tightening from remaining-budget headers. */
  observe(scope: string, response: ObservedResponse): ResultAsync<void, CrmError>;
  /** Pauses the whole scope for `ms` in every process sharing the store; a shorter pause never shortens a longer one. */
  cooldown(scope: string, ms: number): ResultAsync<void, CrmError>;
  /** The scope's current budget. */
  stats(scope: string): ResultAsync<RateLimitStats, CrmError>;
  /** Stops timers and rejects waiters; the store client is the caller's to close. */
  close(): Promise<void>;
}
