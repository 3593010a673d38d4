import type { AdapterCallContext } from "../../adapter/index.js";
import { type PipedriveClient, readAllPages } from "./client.js";
import { costOf } from "./costs.js";
import type { PipedriveFields } from "./fields.js";
import { PIPEDRIVE_PAGE_SIZE, toUpdatedSince } from "./list-changed.js";
import { PIPEDRIVE_ENTITIES, type ReadShape } from "./mapping.js";
import { emailsOf, normalizeWebsite } from "./values.js";

// Pipedrive prices a search at 20 tokens and a list page of 500 records at 10, and its lists are consistent with
// writes while search lags them. So the adapter keeps an index of the account's persons by email and organizations
// by domain, built from list pages and kept current with `updated_since` lists: once built, a lookup costs nothing
// until the index is older than the search lag estimate, and then one list call brings it up to date. The index is
// therefore never staler than the search index it replaces.
//
// Building it is paid for as it goes (ski rental): a lookup of k keys may read up to k pages (half of what its k
// searches cost) before falling back to searching, so an account too large to pay off is never read whole in one
// go, and the worst case costs 1.5 times the searches alone. Small accounts are indexed by the first lookup.

/** The lookups the index answers: persons by email, organizations by domain. */
export type IndexedType = "contact" | "company";

/** Options of {@link createPipedriveListIndex}. */
export interface ListIndexOptions {
  /** How old the index may be before a lookup refreshes it (the search lag estimate). */
  readonly freshMs: number;
  /** Above this many records of one type, the index is dropped and lookups search. */
  readonly maxRecords: number;
}

/** What {@link PipedriveListIndex.lookup} found, and how, in words for the plan's lookups. */
export interface ListIndexAnswer {
  /**
   * Ids of the records holding each value (lower-cased email, bare domain), or `undefined` when the index cannot
   * answer (the caller searches instead).
   */
  readonly found: ReadonlyMap<string, readonly string[]> | undefined;
  /** How the index answered or why it could not, with the list calls it spent. */
  readonly detail: string;
}

/** The list-built lookup index of one adapter. */
export interface PipedriveListIndex {
  /** Answers from the index, reading at most `budgetPages` pages of its build first. */
  lookup(
    type: IndexedType,
    values: readonly string[],
    budgetPages: number,
    ctx?: AdapterCallContext,
  ): Promise<ListIndexAnswer>;
}

/**
 * A refresh re-reads records changed this long before the newest change it has seen, so a write committed while
 * the previous read ran (with an earlier `update_time`) is not missed. Times come from Pipedrive's own
 * `update_time`, so the local clock's skew does not matter.
 */
export const INDEX_OVERLAP_MS = 60_000;

interface TypeIndex {
  readonly ids: Map<string, Set<string>>;
  readonly keysOf: Map<string, readonly string[]>;
  complete: boolean;
  dropped: boolean;
  cursor: string | undefined;
  buildStartedAt: number | undefined;
  /** Local clock time the index last reflected the account (drives freshness only). */
  syncedAt: number;
  /** The newest `update_time` seen, on Pipedrive's clock: where the next refresh starts reading. */
  newest: number;
  /** The last operation on this index; operations run one after another. */
  tail: Promise<unknown>;
}

/** The values a record is found by: a person's emails, an organization's domain field or website. */
function keysOf(type: IndexedType, json: Record<string, unknown>, shape: ReadShape): string[] {
  if (json["is_deleted"] === true || json["active_flag"] === false) return [];
  if (type === "contact") return emailsOf(json);
  const code = shape.domainField?.field_code;
  const raw =
    code === undefined
      ? json["website"]
      : (json["custom_fields"] as Record<string, unknown> | undefined)?.[code];
  const domain = normalizeWebsite(raw);
  return domain === undefined ? [] : [domain];
}

const pages = (n: number) => `${n} list ${n === 1 ? "page" : "pages"}`;

/** Creates the (empty) index; nothing is read until the first lookup. */
export function createPipedriveListIndex(
  client: PipedriveClient,
  fields: PipedriveFields,
  options: ListIndexOptions,
): PipedriveListIndex {
  const indexes = new Map<IndexedType, TypeIndex>();
  const indexOf = (type: IndexedType): TypeIndex => {
    let index = indexes.get(type);
    if (index === undefined) {
      index = {
        ids: new Map(),
        keysOf: new Map(),
        complete: false,
        dropped: false,
        cursor: undefined,
        buildStartedAt: undefined,
        syncedAt: 0,
        newest: 0,
        tail: Promise.resolve(),
      };
      indexes.set(type, index);
    }
    return index;
  };

  const add = (
    type: IndexedType,
    index: TypeIndex,
    rows: readonly Record<string, unknown>[],
    shape: ReadShape,
  ) => {
    for (const json of rows) {
      const id = String(json["id"]);
      const updated = Date.parse(String(json["update_time"] ?? ""));
      if (updated > index.newest) index.newest = updated;
      for (const key of index.keysOf.get(id) ?? []) index.ids.get(key)?.delete(id);
      const keys = keysOf(type, json, shape);
      if (keys.length === 0) index.keysOf.delete(id);
      else index.keysOf.set(id, keys);
      for (const key of keys) {
        let ids = index.ids.get(key);
        if (ids === undefined) {
          ids = new Set();
          index.ids.set(key, ids);
        }
        ids.add(id);
      }
    }
    if (index.keysOf.size > options.maxRecords) {
      // Too large to hold: searching per key is the better deal for this account.
      index.dropped = true;
      index.ids.clear();
      index.keysOf.clear();
    }
  };

  // Everything changed since the newest change seen (with an overlap; re-reading a record is harmless).
  const refresh = async (type: IndexedType, index: TypeIndex, ctx?: AdapterCallContext) => {
    const startedAt = client.clock.now();
    const [rows, shape] = await Promise.all([
      readAllPages<Record<string, unknown>>(
        client,
        PIPEDRIVE_ENTITIES[type].path,
        {
          updated_since: toUpdatedSince(String(Math.max(0, index.newest - INDEX_OVERLAP_MS))),
          sort_by: "update_time",
          sort_direction: "asc",
          limit: PIPEDRIVE_PAGE_SIZE,
        },
        ctx,
      ),
      fields.shape(type, ctx),
    ]);
    add(type, index, rows, shape);
    index.syncedAt = startedAt;
    // Pipedrive ends a cursor listing on its first short page, so the rows tell how many pages were read.
    return Math.max(1, Math.ceil(rows.length / PIPEDRIVE_PAGE_SIZE));
  };

  // Reads up to `pages` more pages of the full listing (complete once the last one is read); returns the pages read.
  const build = async (type: IndexedType, index: TypeIndex, pages: number, ctx?: AdapterCallContext) => {
    index.buildStartedAt ??= client.clock.now();
    const shape = await fields.shape(type, ctx);
    let read = 0;
    for (let page = 0; page < pages && !index.dropped; page++) {
      read++;
      const response = await client.send<Record<string, unknown>[] | null>(
        {
          method: "GET",
          path: PIPEDRIVE_ENTITIES[type].path,
          searchParams: {
            limit: PIPEDRIVE_PAGE_SIZE,
            sort_by: "id",
            sort_direction: "asc",
            ...(index.cursor === undefined ? {} : { cursor: index.cursor }),
          },
        },
        ctx,
      );
      add(type, index, response.body?.data ?? [], shape);
      const next = response.body?.additional_data?.next_cursor ?? undefined;
      index.cursor = next === "" ? undefined : next;
      if (index.cursor === undefined) {
        // The listing holds every write from before it started; later ones are caught up by the next refresh,
        // which re-reads from then on.
        index.syncedAt = index.buildStartedAt;
        index.complete = !index.dropped;
        return read;
      }
    }
    return read;
  };

  const answer = (index: TypeIndex, values: readonly string[]) =>
    new Map(values.map((value) => [value, [...(index.ids.get(value) ?? [])]] as const));

  return {
    lookup(type, values, budgetPages, ctx) {
      const index = indexOf(type);
      const path = PIPEDRIVE_ENTITIES[type].path;
      const listTokens = costOf("GET", path);
      const searchTokens = costOf("GET", `${path}/search`);
      const tooMany = (): ListIndexAnswer => ({
        found: undefined,
        detail: `more than ${options.maxRecords} ${path.split("/").pop()}: searching costs less than indexing them`,
      });
      const run = async (): Promise<ListIndexAnswer> => {
        if (index.dropped) return tooMany();
        let built = 0;
        if (!index.complete) {
          built = await build(type, index, Math.max(1, budgetPages), ctx);
          if (index.dropped) return tooMany();
          if (!index.complete) {
            return { found: undefined, detail: `list index still being built (${pages(built)} read now)` };
          }
        }
        const refreshed =
          client.clock.now() - index.syncedAt >= options.freshMs ? await refresh(type, index, ctx) : 0;
        if (index.dropped) return tooMany();
        const spent = built + refreshed;
        const how =
          built > 0
            ? `list index built now (${pages(spent)}, ${spent * listTokens} tokens)`
            : refreshed > 0
              ? `list index brought up to date (${pages(refreshed)}, ${refreshed * listTokens} tokens)`
              : "list index, already current (no call)";
        const searches = values.length * searchTokens;
        return {
          found: answer(index, values),
          detail: `${how} instead of ${values.length} × search (${searches} tokens)`,
        };
      };
      // One build or refresh at a time: concurrent lookups wait and are then answered from the fresh index.
      const result = index.tail.then(run, run);
      index.tail = result.catch(() => undefined);
      return result;
    },
  };
}
