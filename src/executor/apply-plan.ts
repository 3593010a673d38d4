import type { AssociationTarget, CrmRecord, RecordRef } from "../adapter/index.js";
import { CrmError, isCrmError } from "../errors/index.js";
import { sleep } from "../internal/clock.js";
import type { CreateRecordStep, PlanStep, PlanTarget, UpsertPlan } from "../planner/index.js";
import { type CallContext, callAdapter } from "./call-adapter.js";
import type { SyncObject, SyncReview } from "./types.js";

/** What has been written so far; checkpointed after every create so a take-over resumes instead of re-creating. */
export interface ApplyProgress {
  /** Record id per create/update step id (what `{ step }` plan targets resolve to). */
  ids: Record<string, string>;
  /** Ids of the steps already done. */
  done: string[];
  objects: SyncObject[];
}

/** Everything `applySteps` needs besides the plan. */
export interface ApplyContext {
  readonly call: CallContext;
  /** Saves progress; throws when the lease is lost (a zombie must stop writing). */
  readonly checkpoint: (progress: ApplyProgress) => Promise<void>;
  /**
   * True when the plan comes from an earlier attempt (take-over or resumed progress). Such a plan is stale: the
   * interrupted attempt may have written its next step, and other events may have created the same record while
   * it waited, so every keyed create is searched for before it is sent.
   */
  readonly resumed: boolean;
  /** Told the id of each step before it runs, so a failure can say where it stopped. */
  readonly onStep: (step: string) => void;
}

function resolve(target: PlanTarget, progress: ApplyProgress, step: string): RecordRef {
  if ("id" in target) return { type: target.type, id: target.id };
  const id = progress.ids[target.step];
  if (id === undefined) {
    throw new CrmError({
      reason: "unknown_response",
      provider: "crmkit",
      code: "unresolved_step_reference",
      message: `plan step "${step}" refers to step "${target.step}", which produced no record`,
    });
  }
  return { type: target.type, id };
}

function attachments(
  targets: readonly PlanTarget[],
  progress: ApplyProgress,
  step: string,
): AssociationTarget[] {
  return targets.map((target) => resolve(target, progress, step));
}

async function verifyByKey(ctx: ApplyContext, step: CreateRecordStep): Promise<CrmRecord | undefined> {
  if (step.key === undefined) return undefined;
  // A record created moments ago may not be searchable yet; wait out the adapter's declared lag first.
  const lag = ctx.call.adapter.capabilities.searchLagMs;
  if (lag > 0) await sleep(ctx.call.clock, lag, ctx.call.signal);
  const key = step.key;
  const found = await callAdapter(ctx.call, (adapter) =>
    adapter.find({ type: step.objectType, field: key.field, value: key.value }, ctx.call.adapterContext),
  );
  if (found.length > 1) {
    throw new CrmError({
      reason: "ambiguous_duplicate_match",
      provider: "crmkit",
      message: `${found.length} ${step.objectType} records match ${key.field} = ${key.value} (ids ${found.map((r) => r.id).join(", ")})`,
    });
  }
  return found[0];
}

async function createRecord(
  ctx: ApplyContext,
  step: CreateRecordStep,
  maybeWritten: boolean,
): Promise<{ record: CrmRecord; action: "create" | "update" }> {
  const { call } = ctx;
  const ac = call.adapterContext;
  const key = step.key;
  const capabilities = call.adapter.capabilities;
  if (
    key !== undefined &&
    call.adapter.upsert !== undefined &&
    capabilities.upsertKeys[step.objectType]?.includes(key.field)
  ) {
    // A native upsert on a unique key is idempotent: safe to send again whatever happened before.
    const upserted = await callAdapter(call, (adapter) =>
      adapter.upsert!(step.objectType, { key, properties: step.properties }, ac),
    );
    return { record: upserted.record, action: upserted.created ? "create" : "update" };
  }
  if (maybeWritten) {
    const existing = await verifyByKey(ctx, step);
    if (existing !== undefined) return { record: existing, action: "create" };
  }
  try {
    const record = await callAdapter(
      call,
      (adapter) => adapter.create(step.objectType, { properties: step.properties }, ac),
      {
        writes: true,
        verify: key === undefined ? undefined : () => verifyByKey(ctx, step),
      },
    );
    return { record, action: "create" };
  } catch (error) {
    // The CRM named the record that already exists (HubSpot 409 "Existing ID", Zoho DUPLICATE_DATA): update it
    // instead of giving up or, worse, creating a second one.
    if (isCrmError(error) && error.reason === "duplicate_conflict" && error.existingId !== undefined) {
      const id = error.existingId;
      const record = await callAdapter(call, (adapter) =>
        adapter.update(step.objectType, { id, properties: step.properties }, ac),
      );
      return { record, action: "update" };
    }
    throw error;
  }
}

async function applyStep(
  ctx: ApplyContext,
  step: PlanStep,
  progress: ApplyProgress,
  maybeWritten: boolean,
): Promise<SyncObject | undefined> {
  const { call } = ctx;
  const ac = call.adapterContext;
  switch (step.action) {
    case "create":
      switch (step.kind) {
        case "record": {
          const { record, action } = await createRecord(ctx, step, maybeWritten);
          progress.ids[step.id] = record.id;
          return { step: step.id, type: step.objectType, id: record.id, action };
        }
        case "association": {
          const from = resolve(step.from, progress, step.id);
          const to = resolve(step.to, progress, step.id);
          const target = step.label === undefined ? to : { ...to, label: step.label };
          await callAdapter(call, (adapter) => adapter.associate(from, target, ac));
          return {
            step: step.id,
            type: "association",
            id: `${from.type}:${from.id}->${to.type}:${to.id}`,
            action: "associate",
          };
        }
        case "note": {
          const associations = attachments(step.attach, progress, step.id);
          const note = await callAdapter(call, (adapter) =>
            adapter.createNote({ body: step.body, timestamp: step.timestamp, associations }, ac),
          );
          return { step: step.id, type: "note", id: note.id, action: "create" };
        }
        case "task": {
          const associations = attachments(step.attach, progress, step.id);
          const task = await callAdapter(call, (adapter) =>
            adapter.createTask(
              {
                subject: step.subject,
                dueAt: step.dueAt,
                associations,
                ...(step.body === undefined ? {} : { body: step.body }),
                ...(step.ownerId === undefined ? {} : { ownerId: step.ownerId }),
                ...(step.priority === undefined ? {} : { priority: step.priority }),
              },
              ac,
            ),
          );
          return { step: step.id, type: "task", id: task.id, action: "create" };
        }
      }
      break;
    case "update": {
      const record = await callAdapter(call, (adapter) =>
        adapter.update(step.objectType, { id: step.recordId, properties: step.properties }, ac),
      );
      progress.ids[step.id] = record.id;
      return { step: step.id, type: step.objectType, id: record.id, action: "update" };
    }
    case "noop":
      if (step.target !== undefined && "id" in step.target) {
        progress.ids[step.id] = step.target.id;
        return { step: step.id, type: step.target.type, id: step.target.id, action: "noop" };
      }
      return undefined;
    case "review":
    case "skip":
      return undefined;
  }
  return undefined;
}

/** The review decisions of a plan. */
export function reviewsOf(plan: UpsertPlan): SyncReview[] {
  return plan.steps.flatMap((step) =>
    step.action === "review" ? [{ step: step.id, reason: step.errorReason, summary: step.summary }] : [],
  );
}

/**
 * Applies a plan's steps in order through the adapter, skipping those `progress` marks done and checkpointing
 * after every create. Throws the `CrmError` of the first failed step (after `onStep` named it): nothing after it is
 * written.
 */
export async function applySteps(
  ctx: ApplyContext,
  plan: UpsertPlan,
  progress: ApplyProgress,
): Promise<void> {
  for (const step of plan.steps) {
    if (progress.done.includes(step.id)) continue;
    ctx.onStep(step.id);
    let object: SyncObject | undefined;
    try {
      object = await applyStep(ctx, step, progress, ctx.resumed);
    } catch (error) {
      throw isCrmError(error)
        ? error
        : new CrmError({ reason: "unknown_response", provider: ctx.call.provider, cause: error });
    }
    const checkpointed = step.action === "create" && step.kind !== "association";
    progress.done.push(step.id);
    if (object !== undefined) progress.objects.push(object);
    // Only creates need a checkpoint: updates and associations are idempotent, so a take-over that repeats them
    // changes nothing, and skipping their checkpoints halves the store writes of a typical event.
    if (checkpointed) await ctx.checkpoint(progress);
  }
}

/**
 * Marks the creates of a fresh plan that an earlier run of the same event already made (a replay after a fix) as
 * done with the ids that run got, so a replay never creates a second note, task or deal.
 */
export function carryOver(plan: UpsertPlan, progress: ApplyProgress, earlier: readonly SyncObject[]): void {
  for (const step of plan.steps) {
    if (step.action !== "create" || progress.done.includes(step.id)) continue;
    const made = earlier.find((object) => object.step === step.id && object.action === "create");
    if (made === undefined) continue;
    const type = step.kind === "record" ? step.objectType : step.kind;
    if (made.type !== type) continue;
    progress.done.push(step.id);
    progress.ids[step.id] = made.id;
    progress.objects.push(made);
  }
}
