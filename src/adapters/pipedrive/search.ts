import type { AdapterCallContext, CrmRecord } from "../../adapter/index.js";
import type { PipedriveClient } from "./client.js";
import type { PipedriveFields } from "./fields.js";
import { type PipedriveObjectType, toCrmRecord } from "./mapping.js";
import type { PipedriveReads } from "./reads.js";
import type { RecentWrites } from "./recent.js";

// Pipedrive's search and the confirmation every lookup ends with: hits (and the records this adapter wrote under
// the key moments ago, which search may not show yet) are read by id and kept only when they really hold the value.

/** One hit of a v2 `.../search` response. */
export interface SearchItem {
  readonly item: {
    readonly id: number;
    readonly emails?: readonly string[];
    readonly phones?: readonly string[];
  };
}

/** What {@link createPipedriveSearch} needs besides the client and fields. */
export interface PipedriveSearchOptions {
  readonly recent: RecentWrites;
  readonly getJson: PipedriveReads["getJson"];
}

/** Searches and confirms matches by id. */
export function createPipedriveSearch(
  client: PipedriveClient,
  fields: PipedriveFields,
  options: PipedriveSearchOptions,
) {
  const { getJson } = options;
  const search = async (
    entity: "persons" | "organizations" | "deals",
    params: { term: string; fields: string; exact_match: boolean },
    max: number,
    ctx?: AdapterCallContext,
  ): Promise<SearchItem[]> => {
    const out: SearchItem[] = [];
    let cursor: string | undefined;
    do {
      const response = await client.send<{ items?: SearchItem[] } | null>(
        {
          method: "GET",
          path: `api/v2/${entity}/search`,
          searchParams: {
            ...params,
            limit: Math.min(500, Math.max(max, 10)),
            ...(cursor === undefined ? {} : { cursor }),
          },
        },
        ctx,
      );
      out.push(...(response.body?.data?.items ?? []));
      cursor = response.body?.additional_data?.next_cursor ?? undefined;
    } while (cursor !== undefined && cursor !== "" && out.length < max);
    return out;
  };

  // Ids from search plus the ids this adapter wrote under the key, read by id and kept when `matches` holds.
  const confirm = async (
    type: PipedriveObjectType,
    key: string,
    searched: readonly string[],
    matches: (json: Record<string, unknown>) => boolean,
    limit: number,
    ctx?: AdapterCallContext,
    preloaded?: ReadonlyMap<string, Record<string, unknown>>,
  ): Promise<CrmRecord[]> => {
    const ids = [...new Set([...searched, ...options.recent.ids(key)])].sort((a, b) => Number(a) - Number(b));
    if (ids.length === 0) return [];
    const shape = await fields.shape(type, ctx);
    const missing = preloaded === undefined ? ids : ids.filter((id) => !preloaded.has(id));
    const read = missing.length === 0 ? [] : await getJson(type, missing, ctx);
    const byId = new Map([
      ...(preloaded ?? new Map()),
      ...read.map((json) => [String(json["id"]), json] as const),
    ]);
    const rows = ids.flatMap((id) => {
      const json = byId.get(id);
      return json === undefined ? [] : [json];
    });
    const kept = new Set<string>();
    const out: CrmRecord[] = [];
    for (const json of rows) {
      const id = String(json["id"]);
      if (!matches(json)) continue;
      kept.add(id);
      if (out.length < limit) out.push(toCrmRecord(type, json, shape));
    }
    for (const id of options.recent.ids(key)) if (!kept.has(id)) options.recent.forget(key, id);
    return out;
  };

  return { search, confirm };
}
