import type { AdapterCallContext, CrmRecord, FindQuery } from "../../adapter/index.js";
import { CrmError } from "../../errors/index.js";
import type { PipedriveClient } from "./client.js";
import { operationOf, PIPEDRIVE_OPERATION_COSTS } from "./costs.js";
import type { PipedriveFields } from "./fields.js";
import type { IndexedType, PipedriveListIndex } from "./list-index.js";
import { PIPEDRIVE_ENTITIES, type PipedriveObjectType, supported, unsupported } from "./mapping.js";
import type { PipedriveReads } from "./reads.js";
import { lookupKey, type RecentWrites } from "./recent.js";
import { createPipedriveSearch } from "./search.js";
import { emailsOf, normalizeWebsite } from "./values.js";

// Lookups by key. Persons by email and organizations by domain come from the list index when it can answer
// (list-index.ts) and from Pipedrive's search otherwise; other keys always search. Either way every match is
// confirmed by reading it by id, together with the records this adapter wrote under the key moments ago.

/** What {@link createPipedriveLookups} needs besides the client and fields. */
export interface PipedriveLookupsOptions {
  readonly recent: RecentWrites;
  /** The list-built index for email and domain lookups; `undefined` searches every time. */
  readonly index: PipedriveListIndex | undefined;
  readonly getJson: PipedriveReads["getJson"];
}

/** `find` and `findMany` of the SPI. */
export type PipedriveLookups = Pick<PipedriveReads, "find" | "findMany">;

/** The lookups the list index answers, and the value each is indexed by. */
function indexedLookup(type: PipedriveObjectType, field: string): IndexedType | undefined {
  if (type === "contact" && field === "email") return "contact";
  if (type === "company" && field === "domain") return "company";
  return undefined;
}

const indexValue = (type: IndexedType, value: string): string => {
  const lower = value.trim().toLowerCase();
  return type === "company" ? (normalizeWebsite(lower) ?? lower) : lower;
};

/** Creates the lookups. */
export function createPipedriveLookups(
  client: PipedriveClient,
  fields: PipedriveFields,
  options: PipedriveLookupsOptions,
): PipedriveLookups {
  const { getJson } = options;
  const { search, confirm } = createPipedriveSearch(client, fields, options);

  // Whether a record holds an indexed value, read the way the index reads it.
  const holds = async (type: IndexedType, value: string, ctx?: AdapterCallContext) => {
    if (type === "contact") return (json: Record<string, unknown>) => emailsOf(json).includes(value);
    const code = (await fields.shape("company", ctx)).domainField?.field_code;
    return (json: Record<string, unknown>) =>
      normalizeWebsite(
        code === undefined
          ? json["website"]
          : (json["custom_fields"] as Record<string, unknown> | undefined)?.[code],
      ) === value;
  };

  // Lookups answered by the list index, confirmed by reading the matches by id in one go (a deleted record is
  // still in the index until a refresh sees it gone). `undefined` when the index cannot answer.
  const fromIndex = async (
    type: IndexedType,
    values: readonly string[],
    limit: number,
    budgetPages: number,
    ctx?: AdapterCallContext,
  ): Promise<{ records: Map<string, CrmRecord[]> | undefined; detail: string }> => {
    const index = options.index;
    if (index === undefined)
      return { records: undefined, detail: "the list index is off (`listIndex: false`)" };
    const keys = values.map((value) => indexValue(type, value));
    const { found, detail } = await index.lookup(type, keys, budgetPages, ctx);
    if (found === undefined) return { records: undefined, detail };
    const keyOf = (value: string) => lookupKey(type, type === "contact" ? "email" : "domain", value);
    const all = [...new Set(keys.flatMap((k) => [...(found.get(k) ?? []), ...options.recent.ids(keyOf(k))]))];
    const rows = all.length === 0 ? [] : await getJson(type, all, ctx);
    const preloaded = new Map(rows.map((json) => [String(json["id"]), json] as const));
    const out = new Map<string, CrmRecord[]>();
    for (const [i, value] of values.entries()) {
      const k = keys[i] as string;
      const ids = (found.get(k) ?? []).filter((id) => preloaded.has(id));
      out.set(value, await confirm(type, keyOf(k), ids, await holds(type, k, ctx), limit, ctx, preloaded));
    }
    ctx?.onLookup?.({
      type,
      field: type === "contact" ? "email" : "domain",
      keys: values.length,
      via: "index",
      detail,
    });
    return { records: out, detail };
  };

  // Every search-answered lookup says so, with why the index did not answer it (when it was asked).
  const searched = (query: FindQuery, why: string | undefined, ctx?: AdapterCallContext) => {
    const tokens =
      PIPEDRIVE_OPERATION_COSTS[
        operationOf("GET", `${PIPEDRIVE_ENTITIES[supported(query.type)].path}/search`)
      ];
    const cost = tokens === undefined ? "1 search" : `1 search (${tokens} tokens)`;
    ctx?.onLookup?.({
      type: query.type,
      field: query.field,
      keys: 1,
      via: "search",
      detail: why === undefined ? cost : `${cost}: ${why}`,
    });
  };

  const findBy = async (query: FindQuery, limit: number, ctx?: AdapterCallContext): Promise<CrmRecord[]> => {
    const type = supported(query.type);
    const value = query.value.trim();
    if (value === "") return [];
    const indexed = indexedLookup(type, query.field);
    let why: string | undefined;
    if (indexed !== undefined) {
      // One search costs 20 tokens, a list page 10: the index may read one page of its build for this lookup.
      const answered = await fromIndex(indexed, [value], limit, 1, ctx);
      if (answered.records !== undefined) return answered.records.get(value) ?? [];
      why = answered.detail;
    }
    searched(query, why, ctx);
    const key = lookupKey(type, query.field, value);
    const lower = value.toLowerCase();
    // Search pages are cheap to over-read compared with a second search (20 tokens): ask for a few extra.
    const max = limit + 10;
    if (type === "contact" && query.field === "email") {
      const hits = await search("persons", { term: lower, fields: "email", exact_match: true }, max, ctx);
      const ids = hits
        .filter((h) => (h.item.emails ?? []).some((e) => e.toLowerCase() === lower))
        .map((h) => String(h.item.id));
      return confirm(type, key, ids, (json) => emailsOf(json).includes(lower), limit, ctx);
    }
    if (type === "company" && query.field === "domain") {
      const domain = normalizeWebsite(value) ?? lower;
      const shape = await fields.shape("company", ctx);
      const code = shape.domainField?.field_code;
      if (code !== undefined) {
        const hits = await search(
          "organizations",
          { term: domain, fields: "custom_fields", exact_match: true },
          max,
          ctx,
        );
        return confirm(
          type,
          key,
          hits.map((h) => String(h.item.id)),
          (json) =>
            normalizeWebsite((json["custom_fields"] as Record<string, unknown> | undefined)?.[code]) ===
            domain,
          limit,
          ctx,
        );
      }
      // Organization search does not cover `website`: search names for the domain's first label, then verify.
      const label = domain.split(".")[0] ?? domain;
      const hits = await search(
        "organizations",
        { term: label, fields: "name", exact_match: label.length < 2 },
        Math.max(max, 100),
        ctx,
      );
      return confirm(
        type,
        key,
        hits.map((h) => String(h.item.id)),
        (json) => normalizeWebsite(json["website"]) === domain,
        limit,
        ctx,
      );
    }
    const shape = await fields.shape(type, ctx);
    const custom = shape.custom.get(query.field);
    const entity =
      type === "contact"
        ? "persons"
        : type === "company"
          ? "organizations"
          : type === "deal"
            ? "deals"
            : undefined;
    if (entity === undefined) throw unsupported(type, `find by "${query.field}"`);
    const standard: Record<string, [string, (json: Record<string, unknown>) => unknown]> = {
      "contact:phone": [
        "phone",
        (json) => (json["phones"] as { value?: string }[] | undefined)?.map((p) => p.value),
      ],
      "contact:name": ["name", (json) => json["name"]],
      "company:name": ["name", (json) => json["name"]],
      "deal:name": ["title", (json) => json["title"]],
    };
    const std = standard[`${type}:${query.field}`];
    if (std === undefined && custom === undefined) throw unsupported(type, `find by "${query.field}"`);
    const hits = await search(
      entity,
      { term: value, fields: std?.[0] ?? "custom_fields", exact_match: true },
      max,
      ctx,
    );
    const read = (json: Record<string, unknown>): unknown =>
      std !== undefined
        ? std[1](json)
        : (json["custom_fields"] as Record<string, unknown> | undefined)?.[custom?.field_code ?? ""];
    return confirm(
      type,
      key,
      hits.map((h) => String(h.item.id)),
      (json) => {
        const stored = read(json);
        const values = (Array.isArray(stored) ? stored : [stored]).map((v) =>
          typeof v === "object" && v !== null ? (v as { value?: unknown }).value : v,
        );
        const digits = (s: string) => s.replace(/\D/g, "");
        return values.some((v) =>
          query.field === "phone"
            ? digits(String(v ?? "")) === digits(value)
            : String(v ?? "").toLowerCase() === lower,
        );
      },
      limit,
      ctx,
    );
  };

  return {
    async findMany(type, field, values, ctx) {
      const supportedType = supported(type);
      const distinct = [...new Set(values.map((v) => v.trim()).filter((v) => v !== ""))];
      const indexed = indexedLookup(supportedType, field);
      // k searches cost 20k tokens: the index may spend half of that (k pages) on its build before giving up.
      const answered =
        indexed === undefined
          ? undefined
          : (await fromIndex(indexed, distinct, 10, distinct.length, ctx)).records;
      const searched = new Map(
        await Promise.all(
          distinct
            .filter((value) => answered?.get(value) === undefined)
            .map(async (value) => [value, await findBy({ type, field, value }, 10, ctx)] as const),
        ),
      );
      return new Map(
        values.map((value) => {
          const trimmed = value.trim();
          return [value, answered?.get(trimmed) ?? searched.get(trimmed) ?? []] as const;
        }),
      );
    },
    async find(query, ctx) {
      const limit = query.limit ?? 10;
      if (!Number.isInteger(limit) || limit < 1)
        throw new CrmError({
          reason: "configuration_error",
          provider: "pipedrive",
          message: "find: `limit` must be a positive integer",
        });
      return findBy(query, limit, ctx);
    },
  };
}
