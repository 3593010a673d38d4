import type { CrmRecord } from "../adapter/index.js";
import type { RecordIntent } from "../intents/index.js";
import { note, outcomeOf, type PlanContext, review, skip } from "./context.js";
import { resolvePipeline } from "./pipelines.js";
import { entry, findKey, openDealsKey } from "./snapshot.js";
import type { Evidence, PlanTarget } from "./types.js";

/** What the search for a record intent found; `done` means a review or skip step was already recorded. */
export type Found =
  | {
      readonly kind: "matched";
      readonly record: CrmRecord;
      readonly evidence: Evidence;
      readonly key: string;
    }
  | { readonly kind: "none"; readonly evidence: Evidence; readonly key: string }
  | { readonly kind: "done" };

const DONE: Found = { kind: "done" };

function targetKey(target: PlanTarget): string {
  return "id" in target ? target.id : `step:${target.step}`;
}

/** A search without an answer, or with more than one record: never a guess, always a review. */
function unusable(
  ctx: PlanContext,
  intent: RecordIntent,
  id: string,
  label: string,
  evidence: Evidence,
  count: number | undefined,
): Found {
  if (count === undefined) {
    review(
      ctx,
      {
        id,
        kind: "record",
        objectType: intent.objectType,
        reason: "not_looked_up",
        errorReason: "configuration_error",
        evidence,
        summary: `${label}: the snapshot has no answer for ${evidence.query}; crmkit never creates without searching first`,
      },
      label,
    );
  } else {
    review(
      ctx,
      {
        id,
        kind: "record",
        objectType: intent.objectType,
        reason: "ambiguous_duplicate_match",
        errorReason: "ambiguous_duplicate_match",
        evidence,
        summary: `${label}: ${count} matches (ids ${evidence.matchedIds.join(", ")})`,
      },
      label,
    );
  }
  return DONE;
}

/** A key an earlier step already planned: skipped, and references to this intent resolve to that step's record. */
function aliased(ctx: PlanContext, intent: RecordIntent, id: string, label: string, key: string): boolean {
  const first = ctx.plannedKeys.get(key);
  if (first === undefined) return false;
  skip(
    ctx,
    {
      id,
      kind: "record",
      objectType: intent.objectType,
      reason: "duplicate_key_in_plan",
      summary: `${label}: same key as step ${first}`,
    },
    label,
    false,
  );
  const outcome = ctx.outcomes.get(first);
  if (outcome !== undefined) ctx.outcomes.set(id, outcome);
  return true;
}

function decide(
  ctx: PlanContext,
  intent: RecordIntent,
  id: string,
  label: string,
  key: string,
  lookup: string,
  query: string,
  records: readonly CrmRecord[] | undefined,
): Found {
  const evidence: Evidence = {
    lookup,
    query,
    matchedIds: records === undefined ? [] : records.map((record) => record.id),
  };
  note(ctx, id, `searched ${query}: ${records === undefined ? "no answer" : `${records.length} match(es)`}`);
  if (records === undefined || records.length > 1)
    return unusable(ctx, intent, id, label, evidence, records?.length);
  const record = records[0];
  return record === undefined ? { kind: "none", evidence, key } : { kind: "matched", record, evidence, key };
}

/**
 * Searches for the record of an intent: by key in `snapshot.matches`, or among the open deals of its contact in
 * `snapshot.openDeals` (a contact the plan creates has none). Records the review/skip step itself when the search
 * cannot decide.
 */
export function findRecord(ctx: PlanContext, intent: RecordIntent, id: string, label: string): Found {
  const type = intent.objectType;
  if (intent.match.by === "key") {
    const { field, value } = intent.match;
    const key = findKey(type, field, value);
    if (aliased(ctx, intent, id, label, key)) return DONE;
    return decide(
      ctx,
      intent,
      id,
      label,
      key,
      key,
      `${type} ${field} = ${value}`,
      entry(ctx.snapshot.matches, key),
    );
  }

  const contactStep = intent.match.contact.step;
  const contact = outcomeOf(ctx, contactStep);
  if (contact === undefined || contact.status !== "ready") {
    const blocked = contact?.status === "blocked";
    const summary = `${label}: ${blocked ? "depends on review of" : "no record for"} step ${contactStep}`;
    skip(
      ctx,
      {
        id,
        kind: "record",
        objectType: type,
        reason: blocked ? "depends_on_review" : "endpoint_skipped",
        summary,
      },
      label,
      blocked,
    );
    return DONE;
  }
  let pipelineId: string | undefined;
  if (intent.match.pipeline !== undefined || intent.mode === "upsert") {
    const pipeline = resolvePipeline(
      ctx.snapshot.pipelines?.deal,
      intent.match.pipeline ?? ctx.policy.pipelines.deal.pipeline,
    );
    if (!pipeline.ok) {
      review(
        ctx,
        {
          id,
          kind: "record",
          objectType: type,
          reason: "unknown_pipeline",
          errorReason: "configuration_error",
          summary: `${label}: ${pipeline.message}`,
        },
        label,
      );
      return DONE;
    }
    pipelineId = pipeline.pipeline.id;
  }
  const key = `deal:open:${targetKey(contact.target)}:${pipelineId ?? "*"}`;
  if (aliased(ctx, intent, id, label, key)) return DONE;
  if (!("id" in contact.target)) {
    note(ctx, id, `${contact.label} is created by this plan, so it has no open deals yet`);
    return {
      kind: "none",
      evidence: { lookup: key, query: `open deals of new ${contact.label}`, matchedIds: [] },
      key,
    };
  }
  const lookup = openDealsKey(contact.target.id, pipelineId);
  const query = `open deals of contact ${contact.target.id} in pipeline ${pipelineId ?? "(any)"}`;
  return decide(ctx, intent, id, label, key, lookup, query, entry(ctx.snapshot.openDeals, lookup));
}
