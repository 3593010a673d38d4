import type { AdapterCallContext, CrmAdapter } from "../../adapter/index.js";
import { isCrmError } from "../../errors/index.js";
import { type PipedriveClient, readAllPages } from "./client.js";
import type { PipedriveFields } from "./fields.js";
import type { PipedriveListIndex } from "./list-index.js";
import { createPipedriveLookups } from "./lookups.js";
import { PIPEDRIVE_ENTITIES, type PipedriveObjectType, supported, toCrmRecord } from "./mapping.js";
import type { RecentWrites } from "./recent.js";

/**
 * Reads: lookups by key (`findMany` from the list index when it can answer, else one search per value), reads by
 * id and open deals.
 */
export interface PipedriveReads
  extends Pick<CrmAdapter, "find" | "get" | "findOpenDeals">,
    Required<Pick<CrmAdapter, "findMany">> {
  /** Raw JSON of records by id, in the order asked, skipping ids that do not exist. */
  getJson(
    type: PipedriveObjectType,
    ids: readonly string[],
    ctx?: AdapterCallContext,
  ): Promise<Record<string, unknown>[]>;
}

/** Reading by id one at a time costs 1 token each; a filtered list costs 10 for up to 100 ids. */
const SINGLE_READS_UP_TO = 9;
/** `ids` filter maximum of the v2 list endpoints. */
const IDS_PER_LIST = 100;

/** Options of {@link createPipedriveReads}. */
export interface PipedriveReadsOptions {
  readonly recent: RecentWrites;
  /** The list-built index for email and domain lookups; `undefined` searches every time. */
  readonly index: PipedriveListIndex | undefined;
}

/** Creates the read operations. */
export function createPipedriveReads(
  client: PipedriveClient,
  fields: PipedriveFields,
  options: PipedriveReadsOptions,
): PipedriveReads {
  const getJson: PipedriveReads["getJson"] = async (type, ids, ctx) => {
    const wanted = [...new Set(ids)].filter((id) => /^\d+$/.test(id));
    const path = PIPEDRIVE_ENTITIES[type].path;
    const found = new Map<string, Record<string, unknown>>();
    if (type === "note" || wanted.length <= SINGLE_READS_UP_TO) {
      await Promise.all(
        wanted.map(async (id) => {
          try {
            const response = await client.send<Record<string, unknown>>(
              { method: "GET", path: `${path}/${id}` },
              ctx,
            );
            if (response.body?.data) found.set(id, response.body.data);
          } catch (error) {
            if (!(isCrmError(error) && error.reason === "not_found")) throw error;
          }
        }),
      );
    } else {
      for (let i = 0; i < wanted.length; i += IDS_PER_LIST) {
        const chunk = wanted.slice(i, i + IDS_PER_LIST);
        const rows = await readAllPages<Record<string, unknown>>(
          client,
          path,
          { ids: chunk.join(","), limit: IDS_PER_LIST },
          ctx,
        );
        for (const row of rows) found.set(String(row["id"]), row);
      }
    }
    return ids.flatMap((id) => {
      const json = found.get(id);
      return json === undefined || json["is_deleted"] === true || json["active_flag"] === false ? [] : [json];
    });
  };
  const lookups = createPipedriveLookups(client, fields, { ...options, getJson });

  return {
    getJson,
    find: lookups.find,
    findMany: lookups.findMany,
    async get(type, ids, ctx) {
      const supportedType = supported(type);
      const [rows, shape] = await Promise.all([
        getJson(supportedType, ids, ctx),
        fields.shape(supportedType, ctx),
      ]);
      return rows.map((json) => toCrmRecord(supportedType, json, shape));
    },
    async findOpenDeals(query, ctx) {
      // A filtered list is consistent with writes (search is not) and costs 10 tokens per 500 deals.
      // Pipedrive ids are integers: anything else (a label, another CRM's id) matches no deal.
      if (!/^\d+$/.test(query.contactId)) return [];
      if (query.pipelineId !== undefined && !/^\d+$/.test(query.pipelineId)) return [];
      const [rows, shape] = await Promise.all([
        readAllPages<Record<string, unknown>>(
          client,
          "api/v2/deals",
          {
            person_id: query.contactId,
            status: "open",
            limit: 500,
            ...(query.pipelineId === undefined ? {} : { pipeline_id: query.pipelineId }),
          },
          ctx,
        ),
        fields.shape("deal", ctx),
      ]);
      return rows.map((json) => toCrmRecord("deal", json, shape));
    },
  };
}
