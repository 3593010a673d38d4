import { err, ok, type Result } from "neverthrow";
import { type ContractError, CrmError } from "../errors/index.js";
import type { RecipeEvent } from "../intents/index.js";
import {
  type AuditPatch,
  type AuditRecord,
  isJournalError,
  isReplayableStatus,
  type Journal,
  type JournalStatus,
} from "../journal/index.js";
import type { UpsertPlan } from "../planner/index.js";
import type { SyncFailure, SyncLogger, SyncOutcome } from "./types.js";

/** The record as the plan write left it: what a later write can skip when nobody wrote in between. */
export interface PlanWritten {
  readonly plan: UpsertPlan;
  readonly version: number;
  readonly status: JournalStatus;
}

/** The executor's writes to the journal; a no-op when the sync has no journal. */
export interface SyncJournal {
  readonly enabled: boolean;
  rejected(eventId: string, raw: unknown, error: ContractError): Promise<void>;
  started(event: RecipeEvent, raw: unknown, idempotencyKey: string): Promise<void>;
  /** Journals the plan; resolves to what it wrote, or `undefined` when the write failed. */
  planned(eventId: string, plan: UpsertPlan): Promise<PlanWritten | undefined>;
  /** Journals the outcome; `written` is what `planned` returned in the same run. */
  succeeded(
    outcome: SyncOutcome,
    status: JournalStatus,
    startedAt: number,
    finishedAt: number,
    written?: PlanWritten | undefined,
  ): Promise<void>;
  failed(
    failure: SyncFailure,
    startedAt: number,
    finishedAt: number,
    inProgressElsewhere: boolean,
  ): Promise<void>;
  /** Loads a replayable record without claiming it. */
  loadReplay(eventId: string): Promise<Result<AuditRecord, CrmError>>;
  /** Claims a loaded record for a replay (compare-and-set: of two concurrent replays exactly one wins). */
  claimReplay(record: AuditRecord): Promise<Result<void, CrmError>>;
}

const SETTLED: ReadonlySet<JournalStatus> = new Set(["applied", "replayed", "noop"]);
const NOTHING: Promise<void> = Promise.resolve();

/**
 * Wraps the journal so that its failures are logged instead of failing a sync: the CRM state is what matters,
 * and an outage of the audit store must not turn an applied event into a retried one.
 */
export function createSyncJournal(journal: Journal | undefined, logger: SyncLogger | undefined): SyncJournal {
  const guard = (
    what: string,
    eventId: string,
    write: () => PromiseLike<Result<unknown, CrmError>>,
  ): Promise<void> => {
    // Without a journal every write is the same settled promise: a run awaits three of them.
    if (journal === undefined) return NOTHING;
    return Promise.resolve(write()).then((result) => {
      if (result.isErr())
        logger?.error?.(`crmkit: journal ${what} failed`, { eventId, error: result.error.toJSON() });
    });
  };
  const currentStatus = async (eventId: string): Promise<JournalStatus | undefined> => {
    const record = await journal?.get(eventId);
    return record?.isOk() ? record.value?.status : undefined;
  };

  return {
    enabled: journal !== undefined,
    rejected: (eventId, raw, error) =>
      guard("reject", eventId, async () => {
        const begun = await journal!.begin({
          eventId,
          raw,
          status: "rejected",
          validation: { ok: false, issues: [...error.issues] },
          error,
        });
        if (begun.isErr() || begun.value.created) return begun;
        return journal!.update(eventId, { status: "rejected", error });
      }),
    started: (event, raw, idempotencyKey) =>
      guard("begin", event.event_id, async () => {
        const begun = await journal!.begin({
          eventId: event.event_id,
          raw,
          status: "in_progress",
          idempotencyKey,
          eventType: event.event_type,
          sourceSystem: event.source_system,
          event,
        });
        if (begun.isErr() || begun.value.created || SETTLED.has(begun.value.record.status)) return begun;
        return journal!.update(event.event_id, { status: "in_progress", event });
      }),
    planned: async (eventId, plan) => {
      if (journal === undefined) return undefined;
      let written: PlanWritten | undefined;
      await guard("plan", eventId, async () => {
        const updated = await journal!.update(eventId, { plan, trace: plan.trace });
        if (updated.isOk()) written = { plan, version: updated.value.version, status: updated.value.status };
        return updated;
      });
      return written;
    },
    succeeded: (outcome, status, startedAt, finishedAt, written) =>
      guard("success", outcome.eventId, async () => {
        const attempt = {
          startedAt,
          finishedAt,
          outcome: "succeeded" as const,
          calls: outcome.apiCalls,
        };
        // The outcome and its attempt land in one write: the record never shows one without the other.
        if (written !== undefined && written.plan === outcome.plan) {
          // Unless someone wrote since (the version check refuses it then), the record holds this very plan and
          // the status the plan write saw: sending the plan again would only convert and redact it again.
          const patch: AuditPatch = { objects: outcome.objects, error: null, attempt };
          if (!SETTLED.has(written.status)) patch.status = status;
          const updated = await journal!.update(outcome.eventId, patch, { ifVersion: written.version });
          if (updated.isOk() || !isJournalError(updated.error, "journal_conflict")) return updated;
        }
        const current = await currentStatus(outcome.eventId);
        return journal!.update(outcome.eventId, {
          plan: outcome.plan,
          trace: outcome.plan.trace,
          objects: outcome.objects,
          error: null,
          attempt,
          ...(current !== undefined && SETTLED.has(current) ? {} : { status }),
        });
      }),
    failed: (failure, startedAt, finishedAt, inProgressElsewhere) =>
      guard("failure", failure.eventId, async () => {
        const attempt = {
          startedAt,
          finishedAt,
          outcome: failure.objects.length > 0 ? ("partial" as const) : ("failed" as const),
          error: failure.error,
          calls: failure.apiCalls,
        };
        // Another worker holds the lease and will journal the outcome; this delivery only notes its attempt.
        if (!inProgressElsewhere) {
          const current = await currentStatus(failure.eventId);
          if (current === undefined || !SETTLED.has(current)) {
            const status: JournalStatus = failure.action === "review" ? "review" : "dead_letter";
            return journal!.update(failure.eventId, {
              status,
              error: failure.error,
              objects: failure.objects,
              attempt,
              ...(failure.plan === undefined ? {} : { plan: failure.plan, trace: failure.plan.trace }),
            });
          }
        }
        return journal!.appendAttempt(failure.eventId, attempt);
      }),
    async loadReplay(eventId) {
      if (journal === undefined) {
        return err(
          new CrmError({
            reason: "configuration_error",
            provider: "crmkit",
            code: "no_journal",
            message: "replay needs a journal: pass `journal` to createSync",
          }),
        );
      }
      const found = await journal.get(eventId);
      if (found.isErr()) return err(found.error);
      const record = found.value;
      if (record === undefined) {
        return err(
          new CrmError({
            reason: "not_found",
            provider: "crmkit",
            code: "journal_not_found",
            message: `no journal record for event ${eventId}`,
          }),
        );
      }
      if (!isReplayableStatus(record.status)) {
        return err(
          new CrmError({
            reason: "validation_failed",
            provider: "crmkit",
            code: "not_replayable",
            message: `event ${eventId} is ${record.status}; only review, partial_review, dead_letter and rejected events can be replayed`,
          }),
        );
      }
      return ok(record);
    },
    async claimReplay(record) {
      const claimed = await journal!.update(
        record.eventId,
        { status: "in_progress", replay: true, error: null },
        { ifStatus: record.status, ifVersion: record.version },
      );
      return claimed.isErr() ? err(claimed.error) : ok(undefined);
    },
  };
}
