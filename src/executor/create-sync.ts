import { err, ok, type Result, ResultAsync } from "neverthrow";
import type { CrmAdapter } from "../adapter/index.js";
import { parseEvent } from "../contract/index.js";
import { CrmError } from "../errors/index.js";
import { DEFAULT_FINGERPRINT_EXCLUDED_KEYS } from "../idempotency/index.js";
import { type Clock, systemClock } from "../internal/clock.js";
import { defaultPolicy } from "../planner/index.js";
import { createBatchingAdapter } from "./batching-adapter.js";
import { type ResolvedRetry, runOf } from "./call-adapter.js";
import { failureOf } from "./failures.js";
import { createSyncJournal } from "./journal-writes.js";
import { createKeyLocks } from "./key-locks.js";
import { createMetadataCache } from "./metadata-cache.js";
import { journalHistory } from "./read-snapshot.js";
import { createEventRunner } from "./run-event.js";
import { runMany } from "./run-many.js";
import { createSharedKeyLocks, type SharedKeyLocks } from "./shared-key-locks.js";
import type { RunManyOptions, SyncFailure, SyncOptions, SyncOutcome, SyncPlan } from "./types.js";

/**
 * The pipeline for one CRM account: dry runs, runs, batches and replays. Every operation resolves to a `Result`;
 * none of them rejects.
 */
export interface Sync {
  /** Dry run: parses, reads and plans; writes nothing (no lease, no journal, no CRM write). */
  plan(input: unknown): ResultAsync<SyncPlan, SyncFailure>;
  /**
   * Parses raw input (or an already parsed event), takes the idempotency lease, reads, plans, applies step by
   * step with a checkpoint after each write, and journals the outcome.
   */
  run(input: unknown): ResultAsync<SyncOutcome, SyncFailure>;
  /**
   * Runs many events, merging their reads and writes into the adapter's batch calls where it declares them
   * (`capabilities.batchSizes`), with per-event leases, checkpoints, failures and journal records. One result per
   * started input, in input order.
   */
  runMany(
    inputs: readonly unknown[],
    options?: RunManyOptions,
  ): ResultAsync<readonly Result<SyncOutcome, SyncFailure>[], never>;
  /**
   * Re-runs a journaled event that ended in `review`, `partial_review`, `dead_letter` or `rejected`, after its
   * cause was fixed: it plans afresh against the CRM's current state, never creating again what an earlier run of
   * the event created, and settles the journal record as `replayed` on success.
   */
  replay(eventId: string): ResultAsync<SyncOutcome, SyncFailure>;
}

const DEFAULT_RETRY: ResolvedRetry = { retries: 3, minDelayMs: 200, maxDelayMs: 5_000 };
// Delivery metadata: a redelivery that differs only here is the same event, not a fingerprint mismatch.
const FINGERPRINT_EXCLUDED = [
  ...DEFAULT_FINGERPRINT_EXCLUDED_KEYS,
  "event_id",
  "correlation_id",
  "received_at",
  "raw",
];
const DEFAULT_CONCURRENCY = 8;
const MAX_BATCH_CONCURRENCY = 100;

function checkOptions(options: SyncOptions): void {
  const adapter = options.adapter as CrmAdapter | undefined;
  if (adapter === undefined || typeof adapter.find !== "function") {
    throw new TypeError(
      "createSync: option `adapter` is required (a CrmAdapter, e.g. createHubSpotAdapter(...))",
    );
  }
  if (options.idempotency === undefined || typeof options.idempotency.acquire !== "function") {
    throw new TypeError("createSync: option `idempotency` is required (e.g. createMemoryIdempotencyStore())");
  }
  for (const name of ["leaseMs", "ttlMs"] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
      throw new TypeError(`createSync: option \`${name}\` must be a positive integer (ms), got ${value}`);
    }
  }
  const shared = options.sharedKeyLocks;
  if (shared !== undefined && typeof shared !== "boolean") {
    const waitMs = shared?.waitMs;
    if (
      typeof shared !== "object" ||
      shared === null ||
      (waitMs !== undefined && !(Number.isSafeInteger(waitMs) && waitMs >= 0))
    )
      throw new TypeError(
        `createSync: option \`sharedKeyLocks\` must be true, false or { waitMs } with an integer waitMs ≥ 0, got ${JSON.stringify(shared)}`,
      );
  }
  const retry = options.retry;
  if (retry !== undefined && retry !== false) {
    for (const name of ["retries", "minDelayMs", "maxDelayMs"] as const) {
      const value = retry[name];
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
        throw new TypeError(`createSync: option \`retry.${name}\` must be an integer ≥ 0, got ${value}`);
      }
    }
  }
}

// Keys outlive a crashed holder by no more than a run's lease; a live holder ends long before.
const DEFAULT_KEY_WAIT_MS = 30_000;

function sharedLocksOf(options: SyncOptions, scope: string, clock: Clock): SharedKeyLocks | undefined {
  const shared = options.sharedKeyLocks;
  if (shared === undefined || shared === false) return undefined;
  return createSharedKeyLocks({
    store: options.idempotency,
    scope: `${scope}:keys`,
    leaseMs: options.leaseMs ?? DEFAULT_KEY_WAIT_MS,
    holdAfterCreateMs: options.adapter.capabilities.searchLagMs,
    waitMs: (shared === true ? undefined : shared.waitMs) ?? DEFAULT_KEY_WAIT_MS,
    clock,
  });
}

function resolveRetry(retry: SyncOptions["retry"]): ResolvedRetry | false {
  if (retry === false) return false;
  return {
    retries: retry?.retries ?? DEFAULT_RETRY.retries,
    minDelayMs: retry?.minDelayMs ?? DEFAULT_RETRY.minDelayMs,
    maxDelayMs: retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  };
}

/**
 * Creates the pipeline that turns events into CRM state: validate → search before create → decide → write →
 * associate → audit, exactly once per idempotency key across every process sharing the stores. Throws a
 * `TypeError` naming the option when the options are unusable.
 *
 * @example
 * const sync = createSync({ adapter, idempotency: createMemoryIdempotencyStore(), journal: createMemoryJournal() });
 * const result = await sync.run(request.body);
 * result.match(
 *   (outcome) => console.log(outcome.status, outcome.objects),
 *   (failure) => console.error(failure.action, failure.reason),
 * );
 */
export function createSync(options: SyncOptions): Sync {
  checkOptions(options);
  const { adapter, idempotency } = options;
  const clock = options.clock ?? systemClock;
  const scope = options.scope ?? adapter.provider;
  const journal = createSyncJournal(options.journal, options.logger);
  const runner = createEventRunner({
    adapter,
    idempotency,
    limiter: options.limiter,
    journal,
    policy: options.policy ?? defaultPolicy,
    recipes: options.recipes,
    parser: options.parser ?? { parse: (input: unknown) => parseEvent(input) },
    scope,
    leaseMs: options.leaseMs,
    ttlMs: options.ttlMs,
    retry: resolveRetry(options.retry),
    history: options.history ?? journalHistory(options.journal),
    clock,
    logger: options.logger,
    locks: createKeyLocks(),
    sharedLocks: sharedLocksOf(options, scope, clock),
    fingerprintExcluded: FINGERPRINT_EXCLUDED,
  });
  const single = { adapter, direct: true } as const;

  async function runManyNow(inputs: readonly unknown[], manyOptions: RunManyOptions) {
    const sizes = Object.values(adapter.capabilities.batchSizes).filter(
      (size): size is number => size !== undefined,
    );
    const batching = sizes.length > 0;
    const environment = {
      adapter: batching
        ? createBatchingAdapter({
            adapter,
            scope,
            limiter: options.limiter,
            signal: manyOptions.signal,
            count: (context) => {
              const run = runOf(context);
              if (run !== undefined) run.calls++;
            },
          })
        : adapter,
      direct: !batching,
      // Owners, pipelines and fields are read once per batch, not once per event.
      metadata: createMetadataCache(),
    };
    // A batch fills only as far as events run side by side, so with batch APIs the default is one batch's worth,
    // started in waves so the events of a wave stay in step and meet in the same batch calls.
    const concurrency =
      manyOptions.concurrency ??
      (batching ? Math.min(MAX_BATCH_CONCURRENCY, Math.max(...sizes)) : DEFAULT_CONCURRENCY);
    const results = await runMany(
      inputs,
      (input, signal) => runner.run(input, { ...environment, signal }),
      { ...manyOptions, concurrency },
      batching ? "waves" : "pool",
    );
    return ok(results) as Result<readonly Result<SyncOutcome, SyncFailure>[], never>;
  }

  async function replayNow(eventId: string): Promise<Result<SyncOutcome, SyncFailure>> {
    const refused = (error: CrmError) =>
      err(failureOf({ eventId, step: "replay", objects: [], apiCalls: 0, replayable: false }, error));
    const loaded = await journal.loadReplay(eventId);
    if (loaded.isErr()) return refused(loaded.error);
    const record = loaded.value;
    const key = record.idempotencyKey;
    if (key !== undefined) {
      const stored = await idempotency.get(scope, key);
      if (stored.isErr()) {
        return refused(
          new CrmError({
            reason: "network_error",
            provider: "crmkit",
            code: "store_unavailable",
            message: stored.error.message,
          }),
        );
      }
      const current = stored.value;
      if (current?.state === "in_progress" && (current.leaseExpiresAt ?? 0) > clock.now()) {
        return refused(
          new CrmError({
            reason: "locked",
            provider: "crmkit",
            code: "idempotency_in_progress",
            message: `event ${eventId} is being processed by another worker`,
            retryAfterMs: Math.max(0, (current.leaseExpiresAt ?? 0) - clock.now()),
          }),
        );
      }
    }
    const claimed = await journal.claimReplay(record);
    if (claimed.isErr()) return refused(claimed.error);
    // The stored outcome or failure would be replayed as is, but the operator fixed its cause: plan afresh against
    // the CRM as it is now. What earlier runs created is carried over, so nothing is created twice.
    if (key !== undefined) await idempotency.delete(scope, key);
    return runner.run(record.raw, {
      ...single,
      replayOf: record.objects.map((object) => ({ ...object, type: object.type as never })),
    });
  }

  return {
    plan: (input) => new ResultAsync(runner.plan(input, single)),
    run: (input) => new ResultAsync(runner.run(input, single)),
    runMany: (inputs, manyOptions = {}) => new ResultAsync(runManyNow(inputs, manyOptions)),
    replay: (eventId) => new ResultAsync(replayNow(eventId)),
  };
}
