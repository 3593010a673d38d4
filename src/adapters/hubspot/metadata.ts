import type { AdapterCallContext, CrmOwner, CrmPipeline, CrmStage } from "../../adapter/index.js";
import { createTtlCache } from "../../adapter/index.js";
import type { HUBSPOT_OBJECT_TYPES } from "./associations.js";
import { type HubSpotClient, readAllPages } from "./client.js";
import type { HubSpotProperty } from "./mapping.js";

// Owners, pipelines and property definitions change rarely and are read on every sync, so they are cached for
// `ttlMs` and concurrent callers share one request.

interface HubSpotOwner {
  readonly id: string;
  readonly email?: string | null;
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly archived?: boolean;
}

interface HubSpotStage {
  readonly id: string;
  readonly label: string;
  readonly displayOrder?: number;
  readonly archived?: boolean;
  readonly metadata?: Readonly<Record<string, string | undefined>>;
}

interface HubSpotPipeline {
  readonly id: string;
  readonly label: string;
  readonly displayOrder?: number;
  readonly archived?: boolean;
  readonly stages?: readonly HubSpotStage[];
}

/** Cached metadata reads. */
export interface HubSpotMetadata {
  owners(ctx?: AdapterCallContext): Promise<readonly CrmOwner[]>;
  pipelines(objectType: "deal" | "ticket", ctx?: AdapterCallContext): Promise<readonly CrmPipeline[]>;
  /** Property definitions of an object type; `fresh` bypasses the cache (after a miss). */
  properties(
    type: keyof typeof HUBSPOT_OBJECT_TYPES,
    ctx?: AdapterCallContext,
    fresh?: boolean,
  ): Promise<readonly HubSpotProperty[]>;
  /** When the properties of `type` were last fetched (epoch ms), if ever. */
  propertiesFetchedAt(type: keyof typeof HUBSPOT_OBJECT_TYPES): number | undefined;
}

/** A HubSpot stage as a {@link CrmStage}. Deals: `metadata.isClosed`; tickets: `metadata.ticketState`. */
export function toCrmStage(stage: HubSpotStage, index: number, objectType: "deal" | "ticket"): CrmStage {
  const meta = stage.metadata ?? {};
  const probability = meta["probability"] === undefined ? undefined : Number(meta["probability"]);
  const closed =
    objectType === "deal"
      ? meta["isClosed"] === "true"
      : (meta["ticketState"] ?? "").toUpperCase() === "CLOSED";
  return {
    id: stage.id,
    label: stage.label,
    order: stage.displayOrder ?? index,
    closed,
    won: objectType === "deal" && closed && probability === 1,
    ...(probability === undefined || Number.isNaN(probability) ? {} : { probability }),
  };
}

function toCrmPipeline(pipeline: HubSpotPipeline, objectType: "deal" | "ticket"): CrmPipeline {
  const stages = (pipeline.stages ?? [])
    .filter((stage) => stage.archived !== true)
    .map((stage, i) => toCrmStage(stage, i, objectType))
    .sort((a, b) => a.order - b.order);
  return { id: pipeline.id, label: pipeline.label, objectType, stages };
}

function toCrmOwner(owner: HubSpotOwner, active: boolean): CrmOwner {
  const name = [owner.firstName, owner.lastName].filter((p) => typeof p === "string" && p !== "").join(" ");
  return {
    id: String(owner.id),
    ...(owner.email ? { email: owner.email } : {}),
    ...(name === "" ? {} : { name }),
    active,
  };
}

/** Creates the metadata cache. */
export function createHubSpotMetadata(client: HubSpotClient, ttlMs: number): HubSpotMetadata {
  const cache = createTtlCache({ ttlMs, clock: client.clock });

  return {
    owners: (ctx) =>
      cache.get("owners", async () => {
        // Deactivated users are listed only with archived=true (vendor-facts §1.3).
        const ownersPath = client.route("owners").path;
        const [active, archived] = await Promise.all([
          readAllPages<HubSpotOwner>(client, ownersPath, { limit: 100, archived: false }, ctx),
          readAllPages<HubSpotOwner>(client, ownersPath, { limit: 100, archived: true }, ctx),
        ]);
        const activeIds = new Set(active.map((o) => String(o.id)));
        return [
          ...active.map((o) => toCrmOwner(o, true)),
          ...archived.filter((o) => !activeIds.has(String(o.id))).map((o) => toCrmOwner(o, false)),
        ];
      }),
    pipelines: (objectType, ctx) =>
      cache.get(`pipelines:${objectType}`, async () => {
        const response = await client.send<{ results?: HubSpotPipeline[] }>(
          client.route("pipelines", { type: objectType }),
          ctx,
        );
        return (response.body?.results ?? [])
          .filter((pipeline) => pipeline.archived !== true)
          .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
          .map((pipeline) => toCrmPipeline(pipeline, objectType));
      }),
    properties: (type, ctx, fresh) =>
      cache.get(
        `properties:${type}`,
        async () => {
          const response = await client.send<{ results?: HubSpotProperty[] }>(
            client.route("properties", { type }),
            ctx,
          );
          return response.body?.results ?? [];
        },
        fresh,
      ),
    propertiesFetchedAt: (type) => cache.loadedAt(`properties:${type}`),
  };
}
