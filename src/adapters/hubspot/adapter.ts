import {
  type AdapterCapabilities,
  type BatchItemResult,
  type CrmAdapter,
  type CrmObjectType,
  type CrmRecord,
  createOAuthTokenProvider,
  createTransport,
  DEFAULT_METADATA_TTL_MS,
  defineAdapter,
  type TokenProvider,
  transportOptionsOf,
} from "../../adapter/index.js";
import { systemClock } from "../../internal/clock.js";
import { HUBSPOT_ASSOCIATION_TYPES } from "./associations.js";
import { batchAssociate, HUBSPOT_ASSOCIATION_BATCH_SIZE, HUBSPOT_OBJECT_BATCH_SIZE } from "./batch.js";
import { createHubSpotBatchWrites } from "./batch-writes.js";
import { createHubSpotClient } from "./client.js";
import { toHubSpotCrmError } from "./errors.js";
import { createHubSpotFields } from "./fields.js";
import { resolveHubSpotLimiter } from "./limits.js";
import { listChangedRecords } from "./list-changed.js";
import { DEFAULT_EXTERNAL_REF_PROPERTY } from "./mapping.js";
import { createHubSpotMetadata } from "./metadata.js";
import { type HubSpotAdapterOptions, optionError, validateOptions } from "./options.js";
import { type HubSpotApiVersion, hubSpotRoute } from "./paths.js";
import { createHubSpotReads } from "./reads.js";
import { createRecentWrites } from "./recent-writes.js";
import { createHubSpotWrites } from "./writes.js";

/** Default of {@link HubSpotAdapterOptions.baseUrl}. */
export const HUBSPOT_API_URL = "https://api.hubapi.com";

const OBJECTS: readonly CrmObjectType[] = ["contact", "company", "deal", "ticket", "note", "task"];

/** The HubSpot adapter: the whole SPI, every batch method, `listChanged`, and `close`. */
export type HubSpotAdapter = CrmAdapter &
  Required<
    Pick<
      CrmAdapter,
      "findMany" | "listChanged" | "upsert" | "batchCreate" | "batchUpdate" | "batchUpsert" | "batchAssociate"
    >
  > & {
    readonly provider: "hubspot";
    /** Stops the limiter the adapter created (a `limiter` you passed in stays yours to close). */
    close(): Promise<void>;
  };

function tokenProviderOf(
  options: HubSpotAdapterOptions,
  baseUrl: string,
  apiVersion: HubSpotApiVersion,
): TokenProvider | string {
  if (options.accessToken !== undefined) return options.accessToken;
  if (options.tokenProvider !== undefined) return options.tokenProvider;
  const oauth = options.oauth;
  if (oauth === undefined) return optionError("accessToken", "is required");
  return createOAuthTokenProvider({
    provider: "hubspot",
    tokenUrl: new URL(`/${hubSpotRoute(apiVersion, "token").path}`, baseUrl).toString(),
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    refreshToken: oauth.refreshToken,
    ...(oauth.accessToken === undefined ? {} : { accessToken: oauth.accessToken }),
    ...(oauth.expiresAt === undefined ? {} : { expiresAt: oauth.expiresAt }),
    ...(oauth.onTokens === undefined ? {} : { onTokens: oauth.onTokens }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}

/**
 * Creates the HubSpot CRM adapter: contacts, companies, deals, tickets, notes and tasks over the object and
 * association APIs of `apiVersion` (legacy v3/v4 by default, or the date-based `"2026-03"`), with lookups that
 * spare the 5/s search limit (contacts by email through batch reads), batch writes of 100 (associations 2,000)
 * with per-item outcomes, pipeline/stage and enum labels resolved to internal values, owners/pipelines/properties
 * cached, HubSpot's rate limits enforced before the request, and every error body mapped to a `CrmError`.
 *
 * @example
 * const hubspot = createHubSpotAdapter({
 *   accessToken: process.env.HUBSPOT_TOKEN!,
 *   apiVersion: "2026-03",
 *   limits: { tier: "professional" },
 *   accountId: "62515",
 *   timeZone: "Europe/Berlin",
 *   fieldMap: { contact: { lead_source: "Lead source" } },
 * });
 * const [contact] = await hubspot.find({ type: "contact", field: "email", value: "ada@example.com" });
 */
export function createHubSpotAdapter(options: HubSpotAdapterOptions): HubSpotAdapter {
  validateOptions(options);
  const baseUrl = options.baseUrl ?? HUBSPOT_API_URL;
  const clock = options.clock ?? systemClock;
  const timeZone = options.timeZone ?? "UTC";
  const apiVersion = options.apiVersion ?? "v3";
  const token = tokenProviderOf(options, baseUrl, apiVersion);
  const { limiter, owned } = resolveHubSpotLimiter({
    limiter: options.limiter,
    limits: options.limits,
    timeZone,
    defaultAppType: options.oauth === undefined ? "private" : "public",
    clock: options.clock,
  });
  const transport = createTransport({
    provider: "hubspot",
    baseUrl,
    auth: { type: "bearer", token },
    limiter,
    scope: `hubspot:${options.accountId ?? "default"}`,
    toCrmError: toHubSpotCrmError({ timeZone }),
    headers: { accept: "application/json" },
    ...transportOptionsOf(options),
    clock,
  });
  const client = createHubSpotClient(transport, clock, timeZone, apiVersion);
  const metadata = createHubSpotMetadata(client, options.metadataTtlMs ?? DEFAULT_METADATA_TTL_MS);
  const fields = createHubSpotFields(client, metadata, {
    fieldMap: options.fieldMap ?? {},
    externalRefProperty: options.externalRefProperty ?? DEFAULT_EXTERNAL_REF_PROPERTY,
    refreshAfterMissMs: 60_000,
  });
  const associationTypes = { ...HUBSPOT_ASSOCIATION_TYPES, ...options.associationTypes };
  const upsertKeys: Partial<Record<CrmObjectType, readonly string[]>> = { contact: ["email"] };
  for (const [type, keys] of Object.entries(options.uniqueKeys ?? {}) as [
    CrmObjectType,
    readonly string[],
  ][]) {
    if (!OBJECTS.includes(type)) optionError(`uniqueKeys.${type}`, "is not a crmkit object type");
    upsertKeys[type] = [...new Set([...(upsertKeys[type] ?? []), ...keys])];
  }
  const reads = createHubSpotReads(client, fields, metadata, {
    additionalDomains: options.additionalDomains ?? true,
  });
  const writes = createHubSpotWrites(client, fields, { associationTypes, upsertKeys });
  const batchWrites = createHubSpotBatchWrites(client, fields, associationTypes, writes);
  // HubSpot's search lags writes: lookups merge in what this adapter wrote within the lag, so a second event for
  // a company created a moment ago finds it instead of creating a duplicate (within this process).
  const recent = createRecentWrites(clock, options.searchLagMs ?? 5_000);
  const withRecent = (
    type: CrmObjectType,
    field: string,
    value: string,
    found: readonly CrmRecord[],
    limit: number,
  ): readonly CrmRecord[] => {
    const recalled = recent.recall(type, field, value).filter((r) => !found.some((f) => f.id === r.id));
    return recalled.length === 0 ? found : [...found, ...recalled].slice(0, limit);
  };
  const rememberAll = <T>(results: readonly BatchItemResult<T>[], record: (value: T) => CrmRecord) => {
    recent.remember(results.flatMap((result) => (result.ok ? [record(result.value)] : [])));
    return results;
  };
  const capabilities: AdapterCapabilities = {
    objects: OBJECTS,
    upsertKeys,
    batchSizes: {
      read: HUBSPOT_OBJECT_BATCH_SIZE,
      create: HUBSPOT_OBJECT_BATCH_SIZE,
      update: HUBSPOT_OBJECT_BATCH_SIZE,
      upsert: HUBSPOT_OBJECT_BATCH_SIZE,
      associate: HUBSPOT_ASSOCIATION_BATCH_SIZE,
    },
    tickets: "native",
    searchLagMs: options.searchLagMs ?? 5_000,
    retriesTransientErrors: options.retry !== false,
  };

  return defineAdapter<HubSpotAdapter>({
    provider: "hubspot",
    capabilities,
    find: async (query, ctx) =>
      withRecent(query.type, query.field, query.value, await reads.find(query, ctx), query.limit ?? 10),
    async findMany(type, field, values, ctx) {
      const found = await reads.findMany(type, field, values, ctx);
      return new Map(
        values.map((value) => [
          value,
          withRecent(type, field, value, found.get(value) ?? [], Number.POSITIVE_INFINITY),
        ]),
      );
    },
    get: reads.get,
    findOpenDeals: reads.findOpenDeals,
    listOwners: (ctx) => metadata.owners(ctx),
    listPipelines: (objectType, ctx) => metadata.pipelines(objectType, ctx),
    describeFields: (type, ctx) => fields.describe(type, ctx),
    listChanged: (type, { since }, ctx) => listChangedRecords(client, fields, type, since, ctx),
    async create(type, input, ctx) {
      const record = await writes.create(type, input, ctx);
      recent.remember([record]);
      return record;
    },
    async update(type, input, ctx) {
      const record = await writes.update(type, input, ctx);
      recent.remember([record]);
      return record;
    },
    async upsert(type, input, ctx) {
      const result = await writes.upsert(type, input, ctx);
      recent.remember([result.record]);
      return result;
    },
    associate: writes.associate,
    createNote: writes.createNote,
    createTask: writes.createTask,
    batchCreate: async (type, inputs, ctx) =>
      rememberAll(await batchWrites.batchCreate(type, inputs, ctx), (record) => record),
    batchUpdate: async (type, inputs, ctx) =>
      rememberAll(await batchWrites.batchUpdate(type, inputs, ctx), (record) => record),
    batchUpsert: async (type, inputs, ctx) =>
      rememberAll(await batchWrites.batchUpsert(type, inputs, ctx), (result) => result.record),
    batchAssociate: (pairs, ctx) => batchAssociate(client, associationTypes, pairs, ctx),
    async close() {
      if (owned) await limiter?.close();
    },
  });
}
