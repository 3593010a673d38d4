import type { AdapterCallContext, CrmOwner, CrmPipeline, CrmStage } from "../../adapter/index.js";
import { createTtlCache } from "../../adapter/index.js";
import { type PipedriveClient, readAllPages } from "./client.js";
import { PIPEDRIVE_ENTITIES, type PipedriveFieldDef, type PipedriveObjectType } from "./mapping.js";
import type { PipedriveStatusStages } from "./options.js";
import { statusStageId } from "./values.js";

// Users, pipelines and field definitions change rarely and are read on every sync, so they are cached for `ttlMs`
// and concurrent callers share one request (a users list costs 20 tokens, a fields list 10).

interface PipedriveUser {
  readonly id: number;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly active_flag?: boolean;
  readonly is_deleted?: boolean;
}

interface PipedrivePipeline {
  readonly id: number;
  readonly name: string;
  readonly order_nr?: number;
  readonly is_deleted?: boolean;
}

interface PipedriveStage {
  readonly id: number;
  readonly name: string;
  readonly order_nr?: number;
  readonly pipeline_id: number;
  readonly deal_probability?: number | null;
  readonly is_deleted?: boolean;
}

/** Cached metadata reads. */
export interface PipedriveMetadata {
  owners(ctx?: AdapterCallContext): Promise<readonly CrmOwner[]>;
  /** Deal pipelines with their real stages plus the synthetic won and lost stages. */
  pipelines(ctx?: AdapterCallContext): Promise<readonly CrmPipeline[]>;
  /** Field definitions of an object type; `fresh` bypasses the cache. */
  fields(
    type: PipedriveObjectType,
    ctx?: AdapterCallContext,
    fresh?: boolean,
  ): Promise<readonly PipedriveFieldDef[]>;
  /** When the fields of `type` were last fetched (epoch ms), if ever. */
  fieldsFetchedAt(type: PipedriveObjectType): number | undefined;
  /** Drops the cached fields of `type`; the next read fetches them. */
  forgetFields(type: PipedriveObjectType): void;
}

/**
 * A Pipedrive pipeline as a {@link CrmPipeline}: its stages in `order_nr` order (open: Pipedrive stages never close
 * a deal), then a won and a lost stage standing for the deal statuses.
 */
export function toCrmPipeline(
  pipeline: PipedrivePipeline,
  stages: readonly PipedriveStage[],
  labels: PipedriveStatusStages,
): CrmPipeline {
  const id = String(pipeline.id);
  const own = labels.pipelines?.[pipeline.name] ?? {};
  const real: CrmStage[] = stages
    .filter((s) => s.pipeline_id === pipeline.id && s.is_deleted !== true)
    .sort((a, b) => (a.order_nr ?? 0) - (b.order_nr ?? 0) || a.id - b.id)
    .map((s, order) => ({
      id: String(s.id),
      label: s.name,
      order,
      closed: false,
      won: false,
      ...(typeof s.deal_probability === "number" ? { probability: s.deal_probability / 100 } : {}),
    }));
  const n = real.length;
  return {
    id,
    label: pipeline.name,
    objectType: "deal",
    stages: [
      ...real,
      {
        id: statusStageId(id, "won"),
        label: own.won ?? labels.won ?? "Won",
        order: n,
        closed: true,
        won: true,
        probability: 1,
      },
      {
        id: statusStageId(id, "lost"),
        label: own.lost ?? labels.lost ?? "Lost",
        order: n + 1,
        closed: true,
        won: false,
        probability: 0,
      },
    ],
  };
}

/** Creates the metadata cache. */
export function createPipedriveMetadata(
  client: PipedriveClient,
  ttlMs: number,
  statusStages: PipedriveStatusStages,
): PipedriveMetadata {
  const cache = createTtlCache({ ttlMs, clock: client.clock });

  return {
    owners: (ctx) =>
      cache.get("owners", async () => {
        // Users are v1 only; "active" is `active_flag` on a user that is not deleted (vendor-facts §3.3).
        const response = await client.send<PipedriveUser[] | null>({ method: "GET", path: "v1/users" }, ctx);
        return (response.body?.data ?? []).map(
          (user): CrmOwner => ({
            id: String(user.id),
            ...(user.email ? { email: user.email } : {}),
            ...(user.name ? { name: user.name } : {}),
            active: user.active_flag === true && user.is_deleted !== true,
          }),
        );
      }),
    pipelines: (ctx) =>
      cache.get("pipelines", async () => {
        const [pipelines, stages] = await Promise.all([
          readAllPages<PipedrivePipeline>(client, "api/v2/pipelines", { limit: 500 }, ctx),
          readAllPages<PipedriveStage>(client, "api/v2/stages", { limit: 500 }, ctx),
        ]);
        return pipelines
          .filter((p) => p.is_deleted !== true)
          .sort((a, b) => (a.order_nr ?? 0) - (b.order_nr ?? 0) || a.id - b.id)
          .map((p) => toCrmPipeline(p, stages, statusStages));
      }),
    fields: (type, ctx, fresh) =>
      cache.get(
        `fields:${type}`,
        async () => {
          const path = PIPEDRIVE_ENTITIES[type].fields;
          if (path === undefined) return [];
          return readAllPages<PipedriveFieldDef>(client, path, { limit: 500 }, ctx);
        },
        fresh,
      ),
    fieldsFetchedAt: (type) => cache.loadedAt(`fields:${type}`),
    forgetFields: (type) => cache.forget(`fields:${type}`),
  };
}
