import type { AssociationTarget, CrmRecord, RecordRef } from "../adapter/index.js";
import { CrmError, isCrmError } from "../errors/index.js";
import { sleep } from "../internal/clock.js";
import type {
  CreateAssociationStep,
  CreateRecordStep,
  PlanStep,
  PlanTarget,
  UpsertPlan,
} from "../planner/index.js";
import { type CallContext, callAdapter } from "./call-adapter.js";
import type { SyncObject } from "./types.js";

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
  /** Told the id of each record step once its record exists in the CRM (created, updated or found as is). */
  readonly onRecord?: ((step: string) => void) | undefined;
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

/**
 * The association steps still to do that start at `step` and whose other end already has an id: a create can carry
 * them (`WriteInput.associations`), which spares one call per association. Only associations drawn from the new
 * record ride along, so a directional label (HubSpot's primary company) keeps the direction the plan gave it.
 */
function inlineAssociations(
  plan: UpsertPlan,
  step: CreateRecordStep,
  progress: ApplyProgress,
): { step: CreateAssociationStep; to: AssociationTarget }[] {
  const found: { step: CreateAssociationStep; to: AssociationTarget }[] = [];
  for (const other of plan.steps) {
    if (other.action !== "create" || other.kind !== "association" || progress.done.includes(other.id))
      continue;
    if (!("step" in other.from) || other.from.step !== step.id) continue;
    const id = "id" in other.to ? other.to.id : progress.ids[other.to.step];
    if (id === undefined) continue;
    const to = { type: other.to.type, id };
    found.push({ step: other, to: other.label === undefined ? to : { ...to, label: other.label } });
  }
  return found;
}

async function createRecord(
  ctx: ApplyContext,
  step: CreateRecordStep,
  maybeWritten: boolean,
  inline: readonly AssociationTarget[],
): Promise<{ record: CrmRecord; action: "create" | "update"; linked: boolean }> {
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
    return { record: upserted.record, action: upserted.created ? "create" : "update", linked: false };
  }
  if (maybeWritten) {
    const existing = await verifyByKey(ctx, step);
    if (existing !== undefined) return { record: existing, action: "create", linked: false };
  }
  // A record found by `verify` after a lost create may not carry the associations: they are then sent on their own.
  let verified = false;
  const verify = async () => {
    const found = await verifyByKey(ctx, step);
    verified = found !== undefined;
    return found;
  };
  try {
    const record = await callAdapter(
      call,
      (adapter) =>
        adapter.create(
          step.objectType,
          inline.length === 0
            ? { properties: step.properties }
            : { properties: step.properties, associations: inline },
          ac,
        ),
      { writes: true, verify: key === undefined ? undefined : verify },
    );
    return { record, action: "create", linked: !verified && inline.length > 0 };
  } catch (error) {
    // The CRM named the record that already exists (HubSpot 409 "Existing ID", Zoho DUPLICATE_DATA): update it
    // instead of giving up or, worse, creating a second one.
    if (isCrmError(error) && error.reason === "duplicate_conflict" && error.existingId !== undefined) {
      const id = error.existingId;
      const record = await callAdapter(call, (adapter) =>
        adapter.update(step.objectType, { id, properties: step.properties }, ac),
      );
      return { record, action: "update", linked: false };
    }
    throw error;
  }
}

function associated(step: string, from: RecordRef, to: RecordRef): SyncObject {
  return {
    step,
    type: "association",
    id: `${from.type}:${from.id}->${to.type}:${to.id}`,
    action: "associate",
  };
}

// Returns the objects the step wrote, its own first; a record create may also have done association steps (their
// objects name their own step ids).
async function applyStep(
  ctx: ApplyContext,
  plan: UpsertPlan,
  step: PlanStep,
  progress: ApplyProgress,
  maybeWritten: boolean,
): Promise<SyncObject[]> {
  const { call } = ctx;
  const ac = call.adapterContext;
  switch (step.action) {
    case "create":
      switch (step.kind) {
        case "record": {
          const inline = inlineAssociations(plan, step, progress);
          const { record, action, linked } = await createRecord(
            ctx,
            step,
            maybeWritten,
            inline.map((link) => link.to),
          );
          progress.ids[step.id] = record.id;
          const from = { type: step.objectType, id: record.id };
          return [
            { step: step.id, type: step.objectType, id: record.id, action },
            ...(linked ? inline.map((link) => associated(link.step.id, from, link.to)) : []),
          ];
        }
        case "association": {
          const from = resolve(step.from, progress, step.id);
          const to = resolve(step.to, progress, step.id);
          const target = step.label === undefined ? to : { ...to, label: step.label };
          await callAdapter(call, (adapter) => adapter.associate(from, target, ac));
          return [associated(step.id, from, to)];
        }
        case "note": {
          const associations = attachments(step.attach, progress, step.id);
          const note = await callAdapter(call, (adapter) =>
            adapter.createNote({ body: step.body, timestamp: step.timestamp, associations }, ac),
          );
          return [{ step: step.id, type: "note", id: note.id, action: "create" }];
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
          return [{ step: step.id, type: "task", id: task.id, action: "create" }];
        }
      }
      break;
    case "update": {
      const record = await callAdapter(call, (adapter) =>
        adapter.update(step.objectType, { id: step.recordId, properties: step.properties }, ac),
      );
      progress.ids[step.id] = record.id;
      return [{ step: step.id, type: step.objectType, id: record.id, action: "update" }];
    }
    case "noop":
      if (step.target !== undefined && "id" in step.target) {
        progress.ids[step.id] = step.target.id;
        return [{ step: step.id, type: step.target.type, id: step.target.id, action: "noop" }];
      }
      return [];
    case "review":
    case "skip":
      return [];
  }
  return [];
}

function inPlanOrder(objects: readonly SyncObject[], order: ReadonlyMap<string, number>): boolean {
  for (let i = 1; i < objects.length; i++) {
    if ((order.get(objects[i - 1]!.step) ?? 0) > (order.get(objects[i]!.step) ?? 0)) return false;
  }
  return true;
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
  const order = new Map(plan.steps.map((planned, index) => [planned.id, index]));
  for (const step of plan.steps) {
    if (progress.done.includes(step.id)) continue;
    ctx.onStep(step.id);
    let objects: SyncObject[];
    try {
      objects = await applyStep(ctx, plan, step, progress, ctx.resumed);
    } catch (error) {
      throw isCrmError(error)
        ? error
        : new CrmError({ reason: "unknown_response", provider: ctx.call.provider, cause: error });
    }
    const checkpointed = step.action === "create" && step.kind !== "association";
    progress.done.push(step.id);
    for (const object of objects) {
      // Associations sent inline with a create are done too: their own steps are skipped, not sent again.
      if (object.step !== step.id) progress.done.push(object.step);
      progress.objects.push(object);
    }
    // The outcome lists objects in plan order whichever call wrote them, as it did before associations rode along.
    // They almost always arrive in that order already, and a sort allocates a copy of the list every time.
    if (objects.length > 0 && !inPlanOrder(progress.objects, order)) {
      progress.objects.sort((a, b) => (order.get(a.step) ?? 0) - (order.get(b.step) ?? 0));
    }
    // Only creates need a checkpoint: updates and associations are idempotent, so a take-over that repeats them
    // changes nothing, and skipping their checkpoints halves the store writes of a typical event.
    if (checkpointed) await ctx.checkpoint(progress);
    if (step.kind === "record" && progress.ids[step.id] !== undefined) ctx.onRecord?.(step.id);
  }
}
