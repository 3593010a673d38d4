import type { AdapterCallContext, CrmAdapter, CrmObjectType, CrmRecord } from "../../adapter/index.js";
import { CrmError } from "../../errors/index.js";
import { chunk, HUBSPOT_OBJECT_BATCH_SIZE, type HubSpotBatchResponse } from "./batch.js";
import { type HubSpotClient, readAllPages } from "./client.js";
import type { HubSpotFields } from "./fields.js";
import { type HubSpotObject, hubSpotName, toCrmRecord } from "./mapping.js";
import type { HubSpotMetadata } from "./metadata.js";
import {
  checkSearchBody,
  HUBSPOT_SEARCH_LIMITS,
  type SearchBody,
  type SearchFilter,
  splitInValues,
} from "./search.js";

/** Reads: lookups by key, reads by id and open deals, each through the cheapest endpoint HubSpot offers. */
export interface HubSpotReads
  extends Pick<CrmAdapter, "find" | "get" | "findOpenDeals">,
    Required<Pick<CrmAdapter, "findMany">> {
  /** Reads records by a unique property (batch read with `idProperty`, 100 per call; never the search index). */
  readByUnique(
    type: CrmObjectType,
    idProperty: string | undefined,
    ids: readonly string[],
    ctx?: AdapterCallContext,
    extraNames?: readonly string[],
  ): Promise<HubSpotObject[]>;
}

/** Options of {@link createHubSpotReads}. */
export interface HubSpotReadsOptions {
  /** Also match companies whose `hs_additional_domains` lists the domain. */
  readonly additionalDomains: boolean;
}

const lower = (value: string): string => value.trim().toLowerCase();
const isCaseInsensitive = (type: CrmObjectType, field: string): boolean =>
  (type === "contact" && field === "email") || (type === "company" && field === "domain");

function companyDomains(object: HubSpotObject): string[] {
  const primary = object.properties["domain"];
  const extra = object.properties["hs_additional_domains"] ?? "";
  return [primary ?? "", ...extra.split(";")].map(lower).filter((d) => d !== "");
}

/** Creates the read operations. */
export function createHubSpotReads(
  client: HubSpotClient,
  fields: HubSpotFields,
  metadata: HubSpotMetadata,
  options: HubSpotReadsOptions,
): HubSpotReads {
  const searchPage = async (
    type: CrmObjectType,
    page: SearchBody,
    ctx?: AdapterCallContext,
  ): Promise<{ results: HubSpotObject[]; total: number; after: string | undefined }> => {
    const problem = checkSearchBody(page);
    if (problem !== undefined) throw problem;
    const response = await client.send<{
      total?: number;
      results?: HubSpotObject[];
      paging?: { next?: { after?: string } };
    }>(
      {
        ...client.route("search", { type }),
        json: page,
        tags: ["search"],
        idempotent: true,
      },
      ctx,
    );
    const results = response.body?.results ?? [];
    return {
      results,
      total: response.body?.total ?? results.length,
      after: response.body?.paging?.next?.after,
    };
  };

  const search = async (
    type: CrmObjectType,
    body: SearchBody,
    max: number,
    ctx?: AdapterCallContext,
  ): Promise<HubSpotObject[]> => {
    const out: HubSpotObject[] = [];
    let after: string | undefined;
    do {
      const page = await searchPage(type, after === undefined ? body : { ...body, after }, ctx);
      out.push(...page.results);
      after = page.after;
    } while (
      after !== undefined &&
      out.length < max &&
      Number(after) + body.limit <= HUBSPOT_SEARCH_LIMITS.maxResults
    );
    return out;
  };

  // Every company with a secondary domain, when listing them takes fewer than `budget` searches; `undefined`
  // (after one search) when there are too many. Most accounts have few, so a batch of domains is checked in one
  // search instead of one search per five domains.
  const companiesWithAdditionalDomains = async (
    names: string[],
    budget: number,
    ctx?: AdapterCallContext,
  ): Promise<HubSpotObject[] | undefined> => {
    const body = searchBody(
      names,
      [[{ propertyName: "hs_additional_domains", operator: "HAS_PROPERTY" }]],
      HUBSPOT_SEARCH_LIMITS.maxPageSize,
    );
    const first = await searchPage("company", body, ctx);
    const pages = Math.ceil(first.total / HUBSPOT_SEARCH_LIMITS.maxPageSize);
    if (first.after === undefined) return first.results;
    if (pages >= budget || first.total > HUBSPOT_SEARCH_LIMITS.maxResults) return undefined;
    return [
      ...first.results,
      ...(await search("company", { ...body, after: first.after }, first.total, ctx)),
    ];
  };

  const readByUnique: HubSpotReads["readByUnique"] = async (type, idProperty, ids, ctx, extraNames = []) => {
    const properties = [...new Set([...(await fields.readNames(type, ctx)), ...extraNames])];
    const out: HubSpotObject[] = [];
    for (const part of chunk([...new Set(ids)], HUBSPOT_OBJECT_BATCH_SIZE)) {
      // 207 lists the ids that do not exist; they are simply absent from `results`.
      const response = await client.send<HubSpotBatchResponse>(
        {
          ...client.route("batchRead", { type }),
          json: {
            inputs: part.map((id) => ({ id })),
            properties,
            propertiesWithHistory: [],
            ...(idProperty === undefined ? {} : { idProperty }),
          },
          idempotent: true,
        },
        ctx,
      );
      out.push(...(response.body?.results ?? []));
    }
    return out;
  };

  const searchBody = (names: string[], filters: SearchFilter[][], limit: number): SearchBody => ({
    filterGroups: filters.map((group) => ({ filters: group })),
    properties: names,
    sorts: [],
    after: "0",
    limit: Math.min(Math.max(limit, 1), HUBSPOT_SEARCH_LIMITS.maxPageSize),
  });

  const findManyBy = async (
    type: CrmObjectType,
    field: string,
    values: readonly string[],
    limit: number,
    ctx?: AdapterCallContext,
  ): Promise<Map<string, CrmRecord[]>> => {
    const map = await fields.map(type, ctx);
    const insensitive = isCaseInsensitive(type, field);
    const normalize = (v: string): string => (insensitive ? lower(v) : v.trim());
    const wanted = [...new Set(values.map(normalize))].filter((v) => v !== "");
    const found = new Map<string, HubSpotObject[]>(wanted.map((v) => [v, []]));
    const add = (key: string, object: HubSpotObject): void => {
      const list = found.get(key);
      if (list !== undefined && !list.some((o) => o.id === object.id)) list.push(object);
    };
    if (type === "contact" && field === "email") {
      // Batch read by idProperty=email: 100 per call, outside the 5/s search limit and never lagging writes.
      for (const object of await readByUnique(type, "email", wanted, ctx))
        add(lower(object.properties["email"] ?? ""), object);
    } else {
      const name = hubSpotName(map, field);
      const names = [
        ...new Set([
          ...(await fields.readNames(type, ctx)),
          ...(type === "company" ? ["hs_additional_domains"] : []),
        ]),
      ];
      const byAdditionalDomain = type === "company" && field === "domain" && options.additionalDomains;
      const bodies = splitInValues(wanted, (chunkValues) =>
        searchBody(
          names,
          [
            [
              {
                propertyName: name,
                operator: chunkValues.length === 1 ? "EQ" : "IN",
                ...(chunkValues.length === 1 ? { value: chunkValues[0] } : { values: chunkValues }),
              },
            ],
          ],
          HUBSPOT_SEARCH_LIMITS.maxPageSize,
        ),
      );
      if (byAdditionalDomain) {
        // A secondary domain is a `;`-separated token list: one CONTAINS_TOKEN group per domain (groups are ORed).
        // The groups ride in the free group slots of the primary searches, so a single lookup is one search; the
        // rest go five to a search, unless listing every company that has a secondary domain takes fewer searches.
        // Matches are confirmed exactly.
        const tokens = wanted.map((domain) => [
          { propertyName: "hs_additional_domains", operator: "CONTAINS_TOKEN" as const, value: domain },
        ]);
        let next = 0;
        for (const [index, body] of bodies.entries()) {
          let merged = body;
          for (; next < tokens.length; next++) {
            const candidate = {
              ...merged,
              filterGroups: [...merged.filterGroups, { filters: tokens[next]! }],
            };
            if (checkSearchBody(candidate) !== undefined) break;
            merged = candidate;
          }
          bodies[index] = merged;
        }
        const rest = chunk(tokens.slice(next), HUBSPOT_SEARCH_LIMITS.maxFilterGroups);
        const listed =
          rest.length > 1 ? await companiesWithAdditionalDomains(names, rest.length, ctx) : undefined;
        if (listed !== undefined) {
          for (const object of listed) for (const domain of companyDomains(object)) add(domain, object);
        } else {
          for (const group of rest) bodies.push(searchBody(names, group, HUBSPOT_SEARCH_LIMITS.maxPageSize));
        }
      }
      for (const body of bodies) {
        for (const object of await search(type, body, Number.POSITIVE_INFINITY, ctx)) {
          if (byAdditionalDomain) {
            for (const domain of companyDomains(object)) add(domain, object);
          } else {
            const key =
              type === "company" && field === "domain"
                ? lower(object.properties["domain"] ?? "")
                : normalize(object.properties[name] ?? "");
            add(key, object);
          }
        }
      }
    }
    const out = new Map<string, CrmRecord[]>();
    for (const value of values) {
      out.set(
        value,
        (found.get(normalize(value)) ?? []).slice(0, limit).map((o) => toCrmRecord(map, o)),
      );
    }
    return out;
  };

  return {
    readByUnique,
    async find(query, ctx) {
      const limit = query.limit ?? 10;
      if (!Number.isInteger(limit) || limit < 1)
        throw new CrmError({
          reason: "configuration_error",
          provider: "hubspot",
          message: "find: `limit` must be a positive integer",
        });
      const found = await findManyBy(query.type, query.field, [query.value], limit, ctx);
      return found.get(query.value) ?? [];
    },
    findMany: (type, field, values, ctx) => findManyBy(type, field, values, Number.POSITIVE_INFINITY, ctx),
    async get(type, ids, ctx) {
      const map = await fields.map(type, ctx);
      const objects = await readByUnique(type, undefined, ids, ctx);
      const byId = new Map(objects.map((o) => [String(o.id), o]));
      return ids.flatMap((id) => {
        const object = byId.get(id);
        return object === undefined ? [] : [toCrmRecord(map, object)];
      });
    },
    async findOpenDeals(query, ctx) {
      // Associations and reads by id are consistent with writes; search would miss a deal created seconds ago.
      const links = await readAllPages<{ toObjectId: number | string }>(
        client,
        client.route("associations", { type: "contact", id: query.contactId, toType: "deal" }).path,
        { limit: 500 },
        ctx,
      );
      const ids = [...new Set(links.map((l) => String(l.toObjectId)))];
      if (ids.length === 0) return [];
      const map = await fields.map("deal", ctx);
      const deals = await readByUnique("deal", undefined, ids, ctx, [
        "pipeline",
        "dealstage",
        "hs_is_closed",
      ]);
      let pipelines: Awaited<ReturnType<HubSpotMetadata["pipelines"]>> | undefined;
      const open: CrmRecord[] = [];
      for (const deal of deals) {
        const pipelineId = deal.properties["pipeline"] ?? undefined;
        if (query.pipelineId !== undefined && pipelineId !== query.pipelineId) continue;
        let closed = deal.properties["hs_is_closed"];
        if (closed === null || closed === undefined) {
          pipelines ??= await metadata.pipelines("deal", ctx);
          const stage = pipelines
            .find((p) => p.id === pipelineId)
            ?.stages.find((s) => s.id === deal.properties["dealstage"]);
          closed = String(stage?.closed ?? false);
        }
        if (closed !== "true") open.push(toCrmRecord(map, deal));
      }
      return open;
    },
  };
}
