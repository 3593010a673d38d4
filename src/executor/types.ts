import type { Result } from "neverthrow";
import type { CrmAdapter, CrmObjectType } from "../adapter/index.js";
import type { ContractError, CrmError, CrmErrorAction, CrmErrorReason } from "../errors/index.js";
import type { IdempotencyStore } from "../idempotency/index.js";
import type { Recipe, RecipeEvent } from "../intents/index.js";
import type { Clock } from "../internal/clock.js";
import type { Journal } from "../journal/index.js";
import type { HistoryEvidence, PlanPolicy, UpsertPlan } from "../planner/index.js";
import type { RateLimiter } from "../ratelimit/index.js";

/** Structural logger; `console` fits. */
export interface SyncLogger {
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn?(message: string, data?: Record<string, unknown>): void;
  error?(message: string, data?: Record<string, unknown>): void;
}

/** How the executor retries one failed adapter call inside a run (see docs/concepts/pipeline.md). */
export interface StepRetryOptions {
  /**
   * Extra attempts per adapter call after a failure whose action is `retry`. Creates that may have reached the
   * CRM are retried only after a read finds no record with the same key.
   * @default 3
   */
  retries?: number | undefined;
  /** First backoff delay (full jitter). @default 200 */
  minDelayMs?: number | undefined;
  /** Largest backoff delay; `retryAfterMs` above it ends the run with a retryable failure instead. @default 5_000 */
  maxDelayMs?: number | undefined;
}

/** Options of {@link createSync}. */
export interface SyncOptions {
  /** The CRM. Built-in adapters throttle and retry HTTP themselves; custom ones can rely on `limiter`/`retry`. */
  adapter: CrmAdapter;
  /** Where leases, checkpoints and outcomes live; `createMemoryIdempotencyStore()` for one process. */
  idempotency: IdempotencyStore;
  /**
   * Throttles every adapter call (scope = `scope`). Pass it only for adapters that do not throttle themselves:
   * the built-in adapters take their limiter in their own factory.
   */
  limiter?: RateLimiter | undefined;
  /** Audit trail and dead letters; without it nothing is journaled and `replay` is unavailable. */
  journal?: Journal | undefined;
  /** Planner policy (routing, field ownership, pipelines); see `createPlanPolicy`. @default defaultPolicy */
  policy?: PlanPolicy | undefined;
  /** Extra or overriding recipes by event type. @default the default recipes */
  recipes?: readonly Recipe[] | undefined;
  /** Parser for raw input; pass `createEventParser({ eventTypes })` for custom event types. @default parseEvent */
  parser?: SyncEventParser | undefined;
  /**
   * Idempotency and limiter scope: one per CRM account so two tenants never share keys or budgets.
   * @default adapter.provider
   */
  scope?: string | undefined;
  /** Lease per run; renewed while the run lasts. @default 30_000 */
  leaseMs?: number | undefined;
  /**
   * Hold each event's record keys (`company:domain:acme.test`, …) in the idempotency store too, so events about
   * the same new record in *other processes* wait instead of both creating it. Within one process events always
   * wait for each other. A key whose record the event created stays held for the adapter's
   * `capabilities.searchLagMs`, until other workers' searches can see it. Turn it on when several workers share
   * a Redis or Postgres idempotency store; `waitMs` bounds the wait (then the run fails with `locked`, retried).
   * @default false
   * @example
   * createSync({ adapter, idempotency: createRedisIdempotencyStore({ client }), sharedKeyLocks: true })
   */
  sharedKeyLocks?: boolean | { readonly waitMs?: number | undefined } | undefined;
  /** How long outcomes are replayed to redeliveries. @default 86_400_000 (24 h) */
  ttlMs?: number | undefined;
  /** In-run retries of adapter calls; `false` disables them. @default { retries: 3 } */
  retry?: StepRetryOptions | false | undefined;
  /**
   * Purchase history for onboarding preconditions; by default `payment.succeeded` events applied for the same
   * email found in the journal.
   */
  history?:
    | ((contact: { contactId: string; email?: string | undefined }) => Promise<HistoryEvidence>)
    | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
  logger?: SyncLogger | undefined;
}

/** Anything with `parse(input)` like `createEventParser()` returns. */
export interface SyncEventParser {
  parse(input: unknown): Result<RecipeEvent, ContractError>;
}

/** Final state of a successful run. */
export type SyncStatus = "applied" | "replayed" | "noop" | "partial_review";

/** One CRM object a run wrote or confirmed. */
export interface SyncObject {
  /** The plan step, e.g. `contact`, `deal`, `association:deal-contact`. */
  readonly step: string;
  readonly type: CrmObjectType | "association";
  readonly id: string;
  readonly action: "create" | "update" | "noop" | "associate";
}

/** A decision the plan left to a person. */
export interface SyncReview {
  readonly step: string;
  readonly reason: CrmErrorReason;
  readonly summary: string;
}

/** What a successful `run` returns. */
export interface SyncOutcome {
  readonly status: SyncStatus;
  readonly eventId: string;
  readonly idempotencyKey: string;
  /** The plan that was applied (for a replay, the stored one). */
  readonly plan: UpsertPlan;
  readonly objects: readonly SyncObject[];
  readonly reviews: readonly SyncReview[];
  /**
   * Adapter calls made by this run (0 for a replay from the idempotency store). Under `runMany`, a batch call
   * counts once for every event it served, so the sum over events can exceed the calls the CRM saw.
   */
  readonly apiCalls: number;
  /** Which execution of the idempotency key this was (1 for the first, more after take-overs or retries). */
  readonly attempt: number;
}

/** What a failed `run` returns: enough to decide, and to replay. */
export interface SyncFailure {
  readonly action: CrmErrorAction;
  readonly reason: CrmErrorReason | "contract_violation";
  readonly error: CrmError | ContractError;
  readonly eventId: string;
  readonly idempotencyKey?: string | undefined;
  /** The step being executed when it failed (`parse`, `lease`, `lookup`, `plan`, or a plan step id). */
  readonly step: string;
  /** Objects written before the failure; a redelivery resumes after them. */
  readonly objects: readonly SyncObject[];
  /** Whether `replay(eventId)` can re-run it (the journal holds it and its status is replayable). */
  readonly replayable: boolean;
  readonly apiCalls: number;
  readonly plan?: UpsertPlan | undefined;
}

/** Progress callback payload of `runMany`. */
export interface SyncProgress {
  readonly done: number;
  readonly total: number;
  readonly eventId: string;
  readonly ok: boolean;
}

/** Options of `runMany`. */
export interface RunManyOptions {
  /**
   * Events processed at once. Batches fill only as far as events run side by side, so with batch APIs events start
   * in waves of `concurrency` (the next wave once the whole wave has ended); without them, as a pool.
   * @default the adapter's largest batch size (at most 100) when it declares batch APIs, else 8
   */
  concurrency?: number | undefined;
  onProgress?: ((progress: SyncProgress) => void) | undefined;
  /** Stops starting new events; running ones finish their current step. */
  signal?: AbortSignal | undefined;
}

/** Result of `plan(event)`: the dry run. */
export interface SyncPlan {
  readonly event: RecipeEvent;
  readonly plan: UpsertPlan;
  readonly apiCalls: number;
}
