import { fail } from "../common/router.js";
import { parseObjectType } from "./defaults.js";
import { validationError } from "./errors.js";
import { toPublicRecord } from "./records.js";
import { type HubSpotRouter, objectBody, objectTypeOf, ok, readScope } from "./routing.js";
import { associationsOf, type HubSpotContext, type StoredRecord } from "./store.js";
import type { HubSpotObjectType, HubSpotPropertyType } from "./types.js";
import { addVersioned } from "./versions.js";

/** Search limits from vendor-facts §1.2. */
export const SEARCH_LIMITS = {
  maxFilterGroups: 5,
  maxFiltersPerGroup: 6,
  maxFilters: 18,
  maxLimit: 200,
  maxResults: 10_000,
  maxBodyChars: 3_000,
} as const;

interface Filter {
  propertyName: string;
  operator: string;
  value?: string | undefined;
  highValue?: string | undefined;
  values?: string[] | undefined;
}

const OPERATORS = new Set([
  "EQ",
  "NEQ",
  "LT",
  "LTE",
  "GT",
  "GTE",
  "BETWEEN",
  "IN",
  "NOT_IN",
  "HAS_PROPERTY",
  "NOT_HAS_PROPERTY",
  "CONTAINS_TOKEN",
  "NOT_CONTAINS_TOKEN",
]);

const toMs = (value: string): number => (/^-?\d+$/.test(value) ? Number(value) : Date.parse(value));
const tokens = (value: string): string[] =>
  value
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== "");
const asString = (value: unknown): string | undefined =>
  typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
      ? String(value)
      : undefined;

function compare(kind: HubSpotPropertyType, a: string, b: string): number {
  if (kind === "number") return Number(a) - Number(b);
  if (kind === "date" || kind === "datetime") return toMs(a) - toMs(b);
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function equals(kind: HubSpotPropertyType, stored: string, wanted: string): boolean {
  if (kind === "enumeration")
    return stored.split(";").some((part) => part.toLowerCase() === wanted.toLowerCase());
  return compare(kind, stored, wanted) === 0;
}

function containsToken(stored: string, wanted: string): boolean {
  if (wanted.includes("*")) {
    const pattern = new RegExp(
      `^${wanted
        .toLowerCase()
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    return pattern.test(stored.toLowerCase()) || tokens(stored).some((token) => pattern.test(token));
  }
  const have = new Set(tokens(stored));
  const want = tokens(wanted);
  return want.length > 0 && want.every((token) => have.has(token));
}

/** Whether one filter matches a record version. */
function matches(
  context: HubSpotContext,
  type: HubSpotObjectType,
  record: StoredRecord,
  props: Record<string, string>,
  filter: Filter,
): boolean {
  const { propertyName, operator } = filter;
  if (propertyName.startsWith("associations.")) {
    const toType = parseObjectType(propertyName.slice("associations.".length));
    const ids =
      toType === undefined ? [] : associationsOf(context.state, type, record.id, toType).map((a) => a.toId);
    switch (operator) {
      case "EQ":
        return ids.includes(filter.value ?? "");
      case "NEQ":
        return !ids.includes(filter.value ?? "");
      case "IN":
        return (filter.values ?? []).some((v) => ids.includes(v));
      case "NOT_IN":
        return !(filter.values ?? []).some((v) => ids.includes(v));
      case "HAS_PROPERTY":
        return ids.length > 0;
      case "NOT_HAS_PROPERTY":
        return ids.length === 0;
      default:
        return false;
    }
  }
  const kind = context.state.properties[type].get(propertyName)?.type ?? "string";
  const stored = props[propertyName];
  const has = stored !== undefined && stored !== "";
  const value = filter.value ?? "";
  const isIn = (): boolean =>
    (filter.values ?? []).some((v) =>
      kind === "string" ? (stored as string).toLowerCase() === v : equals(kind, stored as string, v),
    );
  switch (operator) {
    case "EQ":
      return has && equals(kind, stored, value);
    case "NEQ":
      return !has || !equals(kind, stored, value);
    case "LT":
      return has && compare(kind, stored, value) < 0;
    case "LTE":
      return has && compare(kind, stored, value) <= 0;
    case "GT":
      return has && compare(kind, stored, value) > 0;
    case "GTE":
      return has && compare(kind, stored, value) >= 0;
    case "BETWEEN":
      return has && compare(kind, stored, value) >= 0 && compare(kind, stored, filter.highValue ?? "") <= 0;
    case "IN":
      return has && isIn();
    case "NOT_IN":
      return !has || !isIn();
    case "HAS_PROPERTY":
      return has;
    case "NOT_HAS_PROPERTY":
      return !has;
    case "CONTAINS_TOKEN":
      return has && containsToken(stored, value);
    case "NOT_CONTAINS_TOKEN":
      return !has || !containsToken(stored, value);
    default:
      return false;
  }
}

/** Parses and checks `filterGroups` against HubSpot's caps; 400 `VALIDATION_ERROR` when over. */
function parseFilterGroups(context: HubSpotContext, raw: unknown): Filter[][] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail(validationError(context.correlationId(), "filterGroups must be an array"));
  if (raw.length > SEARCH_LIMITS.maxFilterGroups)
    fail(
      validationError(
        context.correlationId(),
        `Too many filter groups: ${raw.length}. The maximum is ${SEARCH_LIMITS.maxFilterGroups}.`,
      ),
    );
  let total = 0;
  const groups = raw.map((group) => {
    const filters = (group as { filters?: unknown } | null)?.filters;
    if (!Array.isArray(filters))
      fail(validationError(context.correlationId(), "each filter group needs a filters array"));
    if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup)
      fail(
        validationError(
          context.correlationId(),
          `Too many filters in a group: ${filters.length}. The maximum is ${SEARCH_LIMITS.maxFiltersPerGroup}.`,
        ),
      );
    total += filters.length;
    return filters.map((f): Filter => {
      const fields = (f ?? {}) as Record<string, unknown>;
      const operator = asString(fields["operator"]) ?? "EQ";
      const propertyName = asString(fields["propertyName"]);
      if (propertyName === undefined || !OPERATORS.has(operator))
        fail(
          validationError(
            context.correlationId(),
            `Invalid filter: propertyName ${propertyName} operator ${operator}`,
          ),
        );
      const values = Array.isArray(fields["values"])
        ? fields["values"].map((v) => asString(v) ?? "")
        : undefined;
      return {
        propertyName,
        operator,
        value: asString(fields["value"]),
        highValue: asString(fields["highValue"]),
        values,
      };
    });
  });
  if (total > SEARCH_LIMITS.maxFilters)
    fail(
      validationError(
        context.correlationId(),
        `Too many filters: ${total}. The maximum is ${SEARCH_LIMITS.maxFilters}.`,
      ),
    );
  return groups;
}

const parseSorts = (raw: unknown): { name: string; descending: boolean }[] =>
  (Array.isArray(raw) ? raw : []).flatMap((sort) => {
    if (typeof sort === "string") return [{ name: sort.replace(/^-/, ""), descending: sort.startsWith("-") }];
    const name = asString((sort as Record<string, unknown> | null)?.["propertyName"]);
    const direction = asString((sort as Record<string, unknown> | null)?.["direction"]);
    return name === undefined ? [] : [{ name, descending: direction === "DESCENDING" }];
  });

/** Registers `POST …/objects/{type}/search` in both families (per-account search limit, no rate headers). */
export function registerSearchRoutes(router: HubSpotRouter): void {
  const meta = {
    scope: (params: Record<string, string>) => readScope(params["type"]),
    limit: "search" as const,
    auth: true,
  };
  addVersioned(router, "POST", "objects", "/:type/search", meta, (req, context) => {
    const type = objectTypeOf(context, req);
    if (req.rawBody.length > SEARCH_LIMITS.maxBodyChars)
      fail(
        validationError(
          context.correlationId(),
          `Request body exceeds ${SEARCH_LIMITS.maxBodyChars} characters`,
        ),
      );
    const body = objectBody(context, req);
    const groups = parseFilterGroups(context, body["filterGroups"]);
    const limit = body["limit"] === undefined ? 10 : Number(body["limit"]);
    if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_LIMITS.maxLimit)
      fail(validationError(context.correlationId(), `limit must be between 0 and ${SEARCH_LIMITS.maxLimit}`));
    const after = Number.parseInt(asString(body["after"]) ?? "0", 10) || 0;
    if (after >= SEARCH_LIMITS.maxResults)
      fail(
        validationError(
          context.correlationId(),
          `Paging beyond ${SEARCH_LIMITS.maxResults} results is not supported`,
        ),
      );
    const query = tokens(asString(body["query"]) ?? "");
    const now = context.clock.now();
    const hits: StoredRecord[] = [];
    for (const record of context.state.records[type].values()) {
      const version = record.indexed.filter((v) => v.visibleAt <= now).at(-1);
      if (version === undefined || version.archived) continue;
      const props = version.properties;
      if (
        groups.length > 0 &&
        !groups.some((group) => group.every((f) => matches(context, type, record, props, f)))
      )
        continue;
      if (query.length > 0) {
        const words = Object.values(props).flatMap(tokens);
        if (!query.every((q) => words.some((w) => w.startsWith(q)))) continue;
      }
      hits.push({ ...record, properties: props });
    }
    const sorts = parseSorts(body["sorts"]);
    hits.sort((a, b) => {
      for (const { name, descending } of sorts) {
        const kind = context.state.properties[type].get(name)?.type ?? "string";
        const x = a.properties[name];
        const y = b.properties[name];
        if (x === y) continue;
        if (x === undefined) return 1;
        if (y === undefined) return -1;
        const order = compare(kind, x, y);
        if (order !== 0) return descending ? -order : order;
      }
      return Number(a.id) - Number(b.id);
    });
    const requested =
      Array.isArray(body["properties"]) && body["properties"].length > 0
        ? (body["properties"] as string[])
        : "defaults";
    const end = Math.min(after + limit, SEARCH_LIMITS.maxResults);
    const results = hits.slice(after, end).map((record) => toPublicRecord(record, requested));
    const next = after + limit;
    return ok({
      total: hits.length,
      results,
      ...(next < hits.length ? { paging: { next: { after: String(next), link: `?after=${next}` } } } : {}),
    });
  });
}
