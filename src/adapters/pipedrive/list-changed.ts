import type { AdapterCallContext, CrmObjectType, CrmRecord } from "../../adapter/index.js";
import { CrmError } from "../../errors/index.js";
import type { PipedriveClient } from "./client.js";
import type { PipedriveFields } from "./fields.js";
import { PIPEDRIVE_ENTITIES, supported, toCrmRecord } from "./mapping.js";

/** v2 lists return at most this many records per page. */
export const PIPEDRIVE_PAGE_SIZE = 500;

/** An instant as the v2 `updated_since` filter takes it: RFC3339 in UTC, whole seconds. */
export function toUpdatedSince(since: string): string {
  const ms = /^\d+$/.test(since) ? Number(since) : Date.parse(since);
  if (!Number.isFinite(ms))
    throw new CrmError({
      reason: "configuration_error",
      provider: "pipedrive",
      message: `listChanged: \`since\` is not an ISO-8601 time: ${since}`,
    });
  // Truncating to the second widens the window by under a second; reconciliation is idempotent.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Records of `type` updated at or after `since`, oldest first: the v2 list filtered by `updated_since`, sorted by
 * `update_time` ascending, 500 per page (10 tokens a page) through the opaque `next_cursor`. The cursor is keyset
 * based, so records written during the scan are neither skipped nor repeated within it. Notes (v1) are not listed.
 */
export async function* listChangedRecords(
  client: PipedriveClient,
  fields: PipedriveFields,
  rawType: CrmObjectType,
  since: string,
  ctx?: AdapterCallContext,
  pageSize: number = PIPEDRIVE_PAGE_SIZE,
): AsyncGenerator<CrmRecord, void, undefined> {
  const type = supported(rawType);
  if (type === "note")
    throw new CrmError({
      reason: "configuration_error",
      provider: "pipedrive",
      message: "listChanged: Pipedrive's v1 notes API has no updated_since filter",
    });
  const shape = await fields.shape(type, ctx);
  const updatedSince = toUpdatedSince(since);
  let cursor: string | undefined;
  do {
    const response = await client.send<Record<string, unknown>[] | null>(
      {
        method: "GET",
        path: PIPEDRIVE_ENTITIES[type].path,
        searchParams: {
          updated_since: updatedSince,
          sort_by: "update_time",
          sort_direction: "asc",
          limit: pageSize,
          ...(cursor === undefined ? {} : { cursor }),
        },
      },
      ctx,
    );
    for (const json of response.body?.data ?? []) yield toCrmRecord(type, json, shape);
    cursor = response.body?.additional_data?.next_cursor ?? undefined;
  } while (cursor !== undefined && cursor !== "");
}
