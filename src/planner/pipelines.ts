import type { CrmPipeline, CrmStage } from "../adapter/index.js";

/** A pipeline found by label or id, or why none was. */
export type PipelineResolution =
  | { readonly ok: true; readonly pipeline: CrmPipeline }
  | { readonly ok: false; readonly message: string };

/** A stage found in a pipeline, or why none was. */
export type StageResolution =
  | { readonly ok: true; readonly stage: CrmStage }
  | { readonly ok: false; readonly message: string };

const sameLabel = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * The pipeline whose id or label (case-insensitive) is `ref`; without `ref`, the first pipeline. Ids win over
 * labels so a pipeline labelled like another's id cannot hijack it.
 */
export function resolvePipeline(
  pipelines: readonly CrmPipeline[] | undefined,
  ref: string | undefined,
): PipelineResolution {
  if (pipelines === undefined || pipelines.length === 0) {
    return {
      ok: false,
      message: "the snapshot has no pipelines (listPipelines was not read or returned none)",
    };
  }
  if (ref === undefined) return { ok: true, pipeline: pipelines[0]! };
  const byId = pipelines.find((pipeline) => pipeline.id === ref);
  if (byId !== undefined) return { ok: true, pipeline: byId };
  const byLabel = pipelines.find((pipeline) => sameLabel(pipeline.label, ref));
  if (byLabel !== undefined) return { ok: true, pipeline: byLabel };
  const known = pipelines.map((pipeline) => JSON.stringify(pipeline.label)).join(", ");
  return { ok: false, message: `no pipeline has the id or label ${JSON.stringify(ref)} (known: ${known})` };
}

/** A stage of `pipeline` by id or label (case-insensitive). */
export function stageByRef(pipeline: CrmPipeline, ref: string): StageResolution {
  const stage =
    pipeline.stages.find((candidate) => candidate.id === ref) ??
    pipeline.stages.find((candidate) => sameLabel(candidate.label, ref));
  if (stage !== undefined) return { ok: true, stage };
  return {
    ok: false,
    message: `pipeline ${JSON.stringify(pipeline.label)} has no stage ${JSON.stringify(ref)}`,
  };
}

/** The open stage with the lowest order: where new records start. */
export function initialStage(pipeline: CrmPipeline): StageResolution {
  let best: CrmStage | undefined;
  for (const stage of pipeline.stages) {
    if (!stage.closed && (best === undefined || stage.order < best.order)) best = stage;
  }
  if (best !== undefined) return { ok: true, stage: best };
  return { ok: false, message: `pipeline ${JSON.stringify(pipeline.label)} has no open stage` };
}

/** The won stage with the lowest order. */
export function wonStage(pipeline: CrmPipeline): StageResolution {
  let best: CrmStage | undefined;
  for (const stage of pipeline.stages) {
    if (stage.won && (best === undefined || stage.order < best.order)) best = stage;
  }
  if (best !== undefined) return { ok: true, stage: best };
  return { ok: false, message: `pipeline ${JSON.stringify(pipeline.label)} has no won stage` };
}

/** The pipeline a stage id belongs to, for records whose pipeline is not known by id. */
export function pipelineOfStage(
  pipelines: readonly CrmPipeline[] | undefined,
  stageId: string,
): CrmPipeline | undefined {
  return pipelines?.find((pipeline) => pipeline.stages.some((stage) => stage.id === stageId));
}
