import type { CrmObjectType, CrmPipeline, CrmRecord, CrmStage } from "../adapter/index.js";
import type { RecordIntent, StageIntent } from "../intents/index.js";
import type { Rank } from "./fields.js";
import {
  initialStage,
  pipelineOfStage,
  resolvePipeline,
  type StageResolution,
  stageByRef,
  wonStage,
} from "./pipelines.js";
import type { PlanPolicy } from "./policy.js";
import type { Snapshot } from "./snapshot.js";
import type { StepReason } from "./types.js";

/** The pipeline and stage a deal or ticket step writes, or why it cannot. */
export type StagePlan =
  | { readonly kind: "none"; readonly why?: string | undefined }
  | {
      readonly kind: "stage";
      readonly pipeline: CrmPipeline;
      readonly stage: CrmStage;
      /** The record's current stage, for labels in the change. */
      readonly from?: CrmStage | undefined;
      readonly rank: Rank;
    }
  | { readonly kind: "error"; readonly reason: StepReason; readonly message: string };

const lifecycleRanks = new WeakMap<readonly string[], Rank>();

/** Rank of a lifecycle stage in `order` (case-insensitive). */
export function lifecycleRank(order: readonly string[]): Rank {
  let rank = lifecycleRanks.get(order);
  if (rank === undefined) {
    const table = new Map(order.map((stage, index) => [stage.toLowerCase(), index]));
    rank = (value) => (typeof value === "string" ? table.get(value.toLowerCase()) : undefined);
    lifecycleRanks.set(order, rank);
  }
  return rank;
}

const stageRanks = new WeakMap<CrmPipeline, Rank>();

function stageRank(pipeline: CrmPipeline): Rank {
  let rank = stageRanks.get(pipeline);
  if (rank === undefined) {
    const table = new Map(pipeline.stages.map((stage) => [stage.id, stage.order]));
    rank = (value) => (typeof value === "string" ? table.get(value) : undefined);
    stageRanks.set(pipeline, rank);
  }
  return rank;
}

function stageFor(
  policy: PlanPolicy,
  intent: StageIntent,
  pipeline: CrmPipeline,
  type: "deal" | "ticket",
): StageResolution {
  if (intent.kind === "label") return stageByRef(pipeline, intent.label);
  if (intent.kind === "won") {
    const label = policy.pipelines.deal.wonStage;
    return label === undefined ? wonStage(pipeline) : stageByRef(pipeline, label);
  }
  const label = policy.pipelines[type].initialStage;
  return label === undefined ? initialStage(pipeline) : stageByRef(pipeline, label);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Decides the pipeline and stage of a deal or ticket: new records get the intent's stage (else the initial one)
 * in the intent's pipeline (else the policy's, else the first); existing records keep their pipeline and only get
 * a stage when the intent asks for one. Deals need pipelines in the snapshot; tickets without any are left to
 * the CRM's defaults.
 */
export function planStage(
  snapshot: Snapshot,
  policy: PlanPolicy,
  intent: RecordIntent,
  type: CrmObjectType,
  existing: CrmRecord | undefined,
): StagePlan {
  if (type !== "deal" && type !== "ticket") return { kind: "none" };
  if (intent.stage === undefined && existing !== undefined) return { kind: "none" };
  const pipelines = snapshot.pipelines?.[type];
  if (type === "ticket" && (pipelines === undefined || pipelines.length === 0)) {
    return {
      kind: "none",
      why: "the snapshot has no ticket pipelines: pipeline and stage are left to the CRM's defaults",
    };
  }
  const currentPipeline = text(existing?.properties["pipeline_id"]);
  const currentStage = text(existing?.properties["stage_id"]);
  const matchPipeline = intent.match.by === "open_deal" ? intent.match.pipeline : undefined;
  const resolved = resolvePipeline(
    pipelines,
    currentPipeline ?? intent.pipeline ?? matchPipeline ?? policy.pipelines[type].pipeline,
  );
  const pipeline = resolved.ok
    ? resolved.pipeline
    : currentStage === undefined
      ? undefined
      : pipelineOfStage(pipelines, currentStage);
  if (pipeline === undefined)
    return { kind: "error", reason: "unknown_pipeline", message: resolved.ok ? "" : resolved.message };
  const stage = stageFor(policy, intent.stage ?? { kind: "initial" }, pipeline, type);
  if (!stage.ok) return { kind: "error", reason: "unknown_stage", message: stage.message };
  const from =
    currentStage === undefined
      ? undefined
      : pipeline.stages.find((candidate) => candidate.id === currentStage);
  return { kind: "stage", pipeline, stage: stage.stage, from, rank: stageRank(pipeline) };
}
