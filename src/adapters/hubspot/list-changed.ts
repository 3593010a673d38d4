import type { AdapterCallContext, CrmObjectType, CrmRecord } from "../../adapter/index.js";
import { CrmError } from "../../errors/index.js";
import type { HubSpotClient } from "./client.js";
import type { HubSpotFields } from "./fields.js";
import { type HubSpotObject, lastModifiedProperty, toCrmRecord } from "./mapping.js";
import {
  type ChangeWindow,
  changeWindowBody,
  checkSearchBody,
  HUBSPOT_SEARCH_LIMITS,
  nextChangeWindow,
} from "./search.js";

interface SearchPage {
  readonly results?: readonly HubSpotObject[] | undefined;
  readonly paging?: { readonly next?: { readonly after?: string | undefined } | undefined } | undefined;
}

/**
 * Records of `type` modified at or after `since`, oldest first: a search on the modification date sorted
 * ascending, 200 per page. HubSpot serves at most 10,000 results per query, so past that the scan opens a new
 * window at the newest modification time read and skips the ids it already yielded at that instant. Records
 * modified during the scan may be yielded again later (reconciliation is idempotent).
 */
export async function* listChangedRecords(
  client: HubSpotClient,
  fields: HubSpotFields,
  type: CrmObjectType,
  since: string,
  ctx?: AdapterCallContext,
  pageSize: number = HUBSPOT_SEARCH_LIMITS.maxPageSize,
): AsyncGenerator<CrmRecord, void, undefined> {
  const map = await fields.map(type, ctx);
  const names = await fields.readNames(type, ctx);
  const modified = lastModifiedProperty(type);
  let window: ChangeWindow = { since, seenAtSince: [] };
  for (;;) {
    const yielded: { id: string; modifiedAt: string }[] = [];
    const skip = new Set(window.seenAtSince);
    let after: string | undefined;
    let read = 0;
    let capped = false;
    for (;;) {
      const body = changeWindowBody(window, modified, names, after, read, pageSize);
      const problem = checkSearchBody({ ...body, after: "0" });
      if (problem !== undefined) throw problem;
      const response = await client.send<SearchPage>(
        {
          ...client.route("search", { type }),
          json: body,
          tags: ["search"],
          idempotent: true,
        },
        ctx,
      );
      const results = response.body?.results ?? [];
      read += results.length;
      for (const object of results) {
        const modifiedAt = object.properties[modified] ?? "";
        yielded.push({ id: String(object.id), modifiedAt });
        if (modifiedAt === window.since && skip.has(String(object.id))) continue;
        yield toCrmRecord(map, object);
      }
      after = response.body?.paging?.next?.after;
      if (after === undefined || after === "" || results.length === 0) return;
      if (read >= HUBSPOT_SEARCH_LIMITS.maxResults) {
        capped = true;
        break;
      }
    }
    if (!capped) return;
    const next = nextChangeWindow(window, yielded);
    if (next === undefined)
      throw new CrmError({
        reason: "unknown_response",
        provider: "hubspot",
        message: `listChanged: more than ${HUBSPOT_SEARCH_LIMITS.maxResults} ${type} records share the modification time ${window.since}; the search API cannot page past them`,
      });
    window = next;
  }
}
