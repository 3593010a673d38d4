import { err, ok, type Result } from "neverthrow";
import type { CrmAdapter } from "../adapter/index.js";
import { type ContractError, CrmError, isCrmError } from "../errors/index.js";
import {
  type FailureClass,
  type IdempotencyStore,
  type IdempotentContext,
  runIdempotent,
} from "../idempotency/index.js";
import { type Intents, type Recipe, type RecipeEvent, toIntents } from "../intents/index.js";
import type { Clock } from "../internal/clock.js";
import { deriveEventId, type JournalStatus } from "../journal/index.js";
import { lookupsFor, type PlanPolicy, planUpserts, type UpsertPlan } from "../planner/index.js";
import type { RateLimiter } from "../ratelimit/index.js";
import { type ApplyProgress, applySteps } from "./apply-plan.js";
import { adapterContextOf, bindSignal, type CallContext, type ResolvedRetry } from "./call-adapter.js";
import { crmErrorOfIdempotency, failureOf, keyLockError, type RunState } from "./failures.js";
import type { SyncJournal } from "./journal-writes.js";
import type { KeyLocks } from "./key-locks.js";
import { createdKeys, shareableKeys } from "./lock-keys.js";
import { createMetadataCache, type MetadataCache } from "./metadata-cache.js";
import { carryOver, reviewsOf, statusOf } from "./plan-outcome.js";
import type { HistoryReader } from "./read-snapshot.js";
import { readSnapshot } from "./read-snapshot.js";
import type { SharedKeyHold, SharedKeyLocks } from "./shared-key-locks.js";
import type {
  SyncEventParser,
  SyncFailure,
  SyncLogger,
  SyncObject,
  SyncOutcome,
  SyncPlan,
  SyncStatus,
} from "./types.js";

/** Everything `createSync` resolved from its options; shared by every run of one sync. */
export interface EventRunnerSettings {
  readonly adapter: CrmAdapter;
  readonly idempotency: IdempotencyStore;
  readonly limiter?: RateLimiter | undefined;
  readonly journal: SyncJournal;
  readonly policy: PlanPolicy;
  readonly recipes?: readonly Recipe[] | undefined;
  readonly parser: SyncEventParser;
  readonly scope: string;
  readonly leaseMs?: number | undefined;
  readonly ttlMs?: number | undefined;
  readonly retry: ResolvedRetry | false;
  readonly history: HistoryReader;
  readonly clock: Clock;
  readonly logger?: SyncLogger | undefined;
  readonly locks: KeyLocks;
  /** The same locks across processes, through the idempotency store (`sharedKeyLocks`). */
  readonly sharedLocks?: SharedKeyLocks | undefined;
  readonly fingerprintExcluded: readonly string[];
}

/** How one run reaches the CRM: directly, or through `runMany`'s batching adapter and shared metadata. */
export interface RunEnvironment {
  readonly adapter: CrmAdapter;
  readonly direct: boolean;
  readonly metadata?: MetadataCache | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Set by `replay`: the objects earlier runs of the event created, which a fresh plan must not create again. */
  readonly replayOf?: readonly SyncObject[] | undefined;
}

/**
 * The stored result of a completed run: what redeliveries replay. The plan is the JSON text the run's checkpoints
 * carried, which a store copies as one string instead of walking and serializing the plan object once more; results
 * stored by earlier versions carry the plan object instead.
 */
interface StoredOutcome {
  status: Exclude<SyncStatus, "replayed">;
  planJson?: string;
  plan?: UpsertPlan;
  objects: SyncOutcome["objects"];
}

/**
 * What every checkpoint holds. A store keeps only the last checkpoint, so each one must carry the plan a take-over
 * resumes; it carries it as JSON text, encoded once per event, because a store walks and serializes checkpoint
 * data on every write and an object plan made that the most expensive part of a run (a string is copied).
 */
interface StoredProgress {
  planJson: string;
  progress: ApplyProgress;
}

// Bad data fails the same way every time, so its failure is stored and replayed; everything else (outages,
// credentials an operator will fix) is released so the next delivery resumes from its checkpoint.
function failureClass(thrown: unknown): FailureClass {
  return isCrmError(thrown) && thrown.action === "review" ? "terminal" : "retryable";
}

function asCrmError(error: unknown, provider: string): CrmError {
  return isCrmError(error) ? error : new CrmError({ reason: "unknown_response", provider, cause: error });
}

/** The per-event pipeline behind `plan`, `run`, `runMany` and `replay`. */
export function createEventRunner(settings: EventRunnerSettings) {
  const { idempotency, journal, policy, scope, clock } = settings;
  const fingerprint = { excludeKeys: settings.fingerprintExcluded };

  const newCall = (environment: RunEnvironment, idempotencyKey: string | undefined): CallContext => {
    const call: CallContext = {
      provider: environment.adapter.provider,
      scope,
      clock,
      adapter: environment.adapter,
      direct: environment.direct,
      limiter: settings.limiter,
      retry: settings.retry,
      logger: settings.logger,
      signal: environment.signal,
      adapterContext: {},
      metadata: environment.metadata ?? createMetadataCache(),
      calls: 0,
      lookups: [],
    };
    call.adapterContext = adapterContextOf(call, environment.signal, idempotencyKey);
    return call;
  };

  const prepare = (
    input: unknown,
    state: RunState,
  ): Result<{ event: RecipeEvent; intents: Intents }, ContractError> =>
    settings.parser.parse(input).andThen((event) => {
      state.eventId = event.event_id;
      state.idempotencyKey = event.idempotency_key;
      return toIntents(event, { recipes: settings.recipes, policy }).map((intents) => ({ event, intents }));
    });

  // Input without a usable event id (or that failed to parse) is journaled under its own id when it carries one,
  // so the rejection lands on the record an operator will look for.
  const eventIdOf = (input: unknown): string => {
    const id = (input as { event_id?: unknown } | null | undefined)?.event_id;
    return typeof id === "string" && id.trim() !== "" && id.length <= 512 ? id : deriveEventId(input);
  };

  async function plan(input: unknown, environment: RunEnvironment): Promise<Result<SyncPlan, SyncFailure>> {
    const state: RunState = { eventId: "", step: "parse", objects: [], apiCalls: 0, replayable: false };
    const prepared = prepare(input, state);
    if (prepared.isErr())
      return err(failureOf({ ...state, eventId: state.eventId || eventIdOf(input) }, prepared.error));
    const call = newCall(environment, state.idempotencyKey);
    try {
      state.step = "lookup";
      const snapshot = await readSnapshot(call, prepared.value.intents, policy, settings.history);
      const planned = planUpserts({ intents: prepared.value.intents, snapshot, policy });
      return ok({ event: prepared.value.event, plan: planned, apiCalls: call.calls });
    } catch (error) {
      state.apiCalls = call.calls;
      return err(failureOf(state, asCrmError(error, call.provider)));
    }
  }

  async function execute(
    context: IdempotentContext,
    intents: Intents,
    state: RunState,
    call: CallContext,
    environment: RunEnvironment,
  ): Promise<StoredOutcome> {
    // The lease's signal also aborts when another worker takes the event over: a zombie stops calling the CRM.
    bindSignal(call, context.signal);
    const keys = lookupsFor(intents, { tickets: call.adapter.capabilities.tickets }).flatMap((request) =>
      request.kind === "find" ? [request.key] : [],
    );
    const release = await settings.locks.acquire(keys);
    const shareable = shareableKeys(intents);
    let shared: SharedKeyHold | undefined;
    const progress: ApplyProgress = { ids: {}, done: [], objects: [] };
    try {
      if (settings.sharedLocks !== undefined) {
        const held = await settings.sharedLocks.acquire(keys);
        if (held.isErr()) throw keyLockError(held.error, state);
        shared = held.value;
      }
      const stored = context.lastCheckpoint?.data as StoredProgress | undefined;
      let planned: UpsertPlan;
      let planJson: string;
      if (typeof stored?.planJson === "string") {
        // Resume the interrupted attempt's own plan: re-planning from a lagging search index could create twice.
        planJson = stored.planJson;
        planned = JSON.parse(planJson) as UpsertPlan;
        Object.assign(progress, structuredClone(stored.progress));
      } else {
        state.step = "lookup";
        const snapshot = await readSnapshot(call, intents, policy, settings.history);
        state.step = "plan";
        planned = planUpserts({ intents, snapshot, policy });
        if (environment.replayOf !== undefined) carryOver(planned, progress, environment.replayOf);
        planJson = JSON.stringify(planned);
        const saved = await context.checkpoint("planned", { planJson, progress } as never);
        if (saved.isErr()) throw saved.error;
      }
      state.plan = planned;
      state.objects = progress.objects;
      state.planWritten = await journal.planned(state.eventId, planned);
      await applySteps(
        {
          call,
          resumed: context.takeover || progress.done.length > 0,
          onStep: (step) => {
            state.step = step;
          },
          onRecord: (step) => {
            const key = shareable.get(step);
            if (key !== undefined) release.share(key);
          },
          checkpoint: async (current) => {
            const saved = await context.checkpoint(current.done.at(-1) ?? "planned", {
              planJson,
              progress: current,
            } satisfies StoredProgress as never);
            if (saved.isErr()) throw crmErrorOfIdempotency(saved.error, state);
          },
        },
        planned,
        progress,
      );
      return { status: statusOf(planned), planJson, objects: progress.objects };
    } finally {
      // Only with shared locks: the common run neither computes the keys nor waits another tick.
      if (shared !== undefined) await shared.release(createdKeys(intents, progress));
      release();
    }
  }

  async function run(input: unknown, environment: RunEnvironment): Promise<Result<SyncOutcome, SyncFailure>> {
    const startedAt = clock.now();
    const state: RunState = {
      eventId: "",
      step: "parse",
      objects: [],
      apiCalls: 0,
      replayable: journal.enabled,
    };
    const prepared = prepare(input, state);
    if (prepared.isErr()) {
      state.eventId ||= eventIdOf(input);
      await journal.rejected(state.eventId, input, prepared.error);
      return err(failureOf(state, prepared.error));
    }
    const { event, intents } = prepared.value;
    const key =
      event.idempotency_key ?? `${event.event_type}:${event.source_system}:${event.source_record_id}`;
    state.idempotencyKey = key;
    await journal.started(event, input, key);
    const call = newCall(environment, key);
    state.step = "lease";
    const result = await runIdempotent(
      idempotency,
      scope,
      key,
      event,
      (context) => execute(context, intents, state, call, environment),
      {
        leaseMs: settings.leaseMs,
        ttlMs: settings.ttlMs,
        clock,
        signal: environment.signal,
        fingerprint,
        classify: failureClass,
      },
    );
    state.apiCalls = call.calls;
    if (result.isOk()) {
      const { result: stored, replayed, attempt } = result.value;
      // A run that executed here holds the plan it stored; a replayed one parses it back.
      const plan = state.plan ?? stored.plan ?? (JSON.parse(stored.planJson!) as UpsertPlan);
      const outcome: SyncOutcome = {
        status: replayed ? "replayed" : stored.status,
        eventId: state.eventId,
        idempotencyKey: key,
        plan,
        objects: stored.objects,
        reviews: reviewsOf(plan),
        apiCalls: call.calls,
        attempt,
      };
      // The journal's `replayed` means "applied by replay(eventId)"; a redelivery answered from the idempotency
      // store keeps the status its first run recorded.
      const status: JournalStatus =
        environment.replayOf !== undefined && !replayed && stored.status !== "partial_review"
          ? "replayed"
          : stored.status;
      await journal.succeeded(outcome, status, startedAt, clock.now(), state.planWritten);
      return ok(outcome);
    }
    const inProgressElsewhere = result.error.type === "InProgress";
    if (inProgressElsewhere) state.replayable = false;
    const failure = failureOf(state, crmErrorOfIdempotency(result.error, state));
    await journal.failed(failure, startedAt, clock.now(), inProgressElsewhere);
    return err(failure);
  }

  return { plan, run };
}

/** The per-event pipeline. */
export type EventRunner = ReturnType<typeof createEventRunner>;
