import { CrmError } from "../../errors/index.js";

/** HubSpot's CRM search caps (vendor-facts §1.2). Requests over them fail with 400 `VALIDATION_ERROR`. */
export const HUBSPOT_SEARCH_LIMITS = {
  maxFilterGroups: 5,
  maxFiltersPerGroup: 6,
  maxFilters: 18,
  maxPageSize: 200,
  maxResults: 10_000,
  maxBodyChars: 3_000,
  /** Values per `IN`/`NOT_IN` filter. */
  maxInValues: 100,
} as const;

/** One search filter. */
export interface SearchFilter {
  readonly propertyName: string;
  readonly operator:
    | "EQ"
    | "NEQ"
    | "LT"
    | "LTE"
    | "GT"
    | "GTE"
    | "BETWEEN"
    | "IN"
    | "NOT_IN"
    | "HAS_PROPERTY"
    | "NOT_HAS_PROPERTY"
    | "CONTAINS_TOKEN"
    | "NOT_CONTAINS_TOKEN";
  readonly value?: string | undefined;
  readonly highValue?: string | undefined;
  readonly values?: readonly string[] | undefined;
}

/** The body of a search request (`POST …/objects/{type}/search`, identical in every API version). */
export interface SearchBody {
  readonly filterGroups: readonly { readonly filters: readonly SearchFilter[] }[];
  readonly properties: readonly string[];
  /** Property names to sort by, `-` prefixed for descending (the spec's string form). */
  readonly sorts: readonly string[];
  readonly limit: number;
  /** Paging cursor; `"0"` for the first page. */
  readonly after: string;
}

const overCap = (message: string): CrmError =>
  new CrmError({ reason: "payload_too_large", provider: "hubspot", message: `HubSpot search: ${message}` });

/**
 * Checks a search body against every cap HubSpot enforces, returning the problem (a `payload_too_large`
 * `CrmError`, action `review`) or `undefined`. The adapter never sends a body that fails this check.
 */
export function checkSearchBody(body: SearchBody): CrmError | undefined {
  const limits = HUBSPOT_SEARCH_LIMITS;
  if (body.filterGroups.length > limits.maxFilterGroups)
    return overCap(`${body.filterGroups.length} filter groups (max ${limits.maxFilterGroups})`);
  let total = 0;
  for (const group of body.filterGroups) {
    if (group.filters.length > limits.maxFiltersPerGroup)
      return overCap(`${group.filters.length} filters in one group (max ${limits.maxFiltersPerGroup})`);
    total += group.filters.length;
    for (const filter of group.filters) {
      if ((filter.values?.length ?? 0) > limits.maxInValues)
        return overCap(
          `${filter.values?.length} values in one ${filter.operator} filter (max ${limits.maxInValues})`,
        );
    }
  }
  if (total > limits.maxFilters) return overCap(`${total} filters (max ${limits.maxFilters})`);
  if (!Number.isInteger(body.limit) || body.limit < 1 || body.limit > limits.maxPageSize)
    return overCap(`page size ${body.limit} (1–${limits.maxPageSize})`);
  const offset = Number(body.after);
  if (Number.isFinite(offset) && offset + body.limit > limits.maxResults)
    return overCap(`reading past result ${limits.maxResults}`);
  const chars = JSON.stringify(body).length;
  if (chars > limits.maxBodyChars) return overCap(`a ${chars}-character body (max ${limits.maxBodyChars})`);
  return undefined;
}

/**
 * Splits the values of one `IN` filter into as few search bodies as fit HubSpot's caps (100 values per filter,
 * 3,000 characters per body). `build(values)` makes the body for one chunk; values keep their order, each
 * lands in exactly one chunk. A single value too long for any body is an error.
 *
 * @example
 * splitInValues(emails, (chunk) => ({ filterGroups: [{ filters: [{ propertyName: "email", operator: "IN", values: chunk }] }], properties: ["email"], limit: 200 }))
 */
export function splitInValues(
  values: readonly string[],
  build: (chunk: readonly string[]) => SearchBody,
): SearchBody[] {
  const bodies: SearchBody[] = [];
  let chunk: string[] = [];
  for (const value of values) {
    const candidate = [...chunk, value];
    const body = build(candidate);
    if (checkSearchBody(body) === undefined) {
      chunk = candidate;
      continue;
    }
    if (chunk.length === 0) throw overCap(`the value "${value.slice(0, 40)}…" alone does not fit one search`);
    bodies.push(build(chunk));
    chunk = [value];
    const alone = build(chunk);
    const problem = checkSearchBody(alone);
    if (problem !== undefined) throw problem;
  }
  if (chunk.length > 0) bodies.push(build(chunk));
  return bodies;
}

/** Where a `listChanged` scan stands: the lower bound of the current window and what it already yielded. */
export interface ChangeWindow {
  /** Inclusive lower bound of the window (ISO-8601 or epoch ms string). */
  readonly since: string;
  /** Ids already yielded whose modification time equals `since`; skipped when the next window repeats them. */
  readonly seenAtSince: readonly string[];
}

/**
 * The next window once the current one has hit the 10,000-result cap: it starts at the newest modification time
 * read so far (`GTE`, so records sharing that instant are not lost) and remembers the ids already yielded at that
 * instant. Returns `undefined` when the window cannot advance: more than 10,000 records share one instant.
 */
export function nextChangeWindow(
  current: ChangeWindow,
  yielded: readonly { readonly id: string; readonly modifiedAt: string }[],
): ChangeWindow | undefined {
  const last = yielded.at(-1);
  if (last === undefined) return undefined;
  const at = last.modifiedAt;
  const ids = yielded.filter((r) => r.modifiedAt === at).map((r) => r.id);
  if (at === current.since) {
    const seen = new Set([...current.seenAtSince, ...ids]);
    if (seen.size === current.seenAtSince.length) return undefined;
    return { since: at, seenAtSince: [...seen] };
  }
  return { since: at, seenAtSince: ids };
}

/** A datetime filter value as HubSpot documents it: epoch milliseconds. */
export function toFilterTime(value: string): string {
  if (/^\d+$/.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new CrmError({
      reason: "configuration_error",
      provider: "hubspot",
      message: `Not an ISO-8601 time: ${value}`,
    });
  return String(ms);
}

/**
 * The search body of one page of a `listChanged` window, sorted by modification time ascending. `readSoFar`
 * results of this window were already read, so the page never reaches past HubSpot's 10,000-result cap.
 */
export function changeWindowBody(
  window: ChangeWindow,
  modifiedProperty: string,
  properties: readonly string[],
  after: string | undefined,
  readSoFar: number,
  pageSize: number = HUBSPOT_SEARCH_LIMITS.maxPageSize,
): SearchBody {
  const limit = Math.max(1, Math.min(pageSize, HUBSPOT_SEARCH_LIMITS.maxResults - readSoFar));
  return {
    filterGroups: [
      { filters: [{ propertyName: modifiedProperty, operator: "GTE", value: toFilterTime(window.since) }] },
    ],
    properties: [...new Set([...properties, modifiedProperty])],
    sorts: [modifiedProperty],
    limit,
    after: after ?? "0",
  };
}
