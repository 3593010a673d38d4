import {
  type EmulatorResponse,
  fail,
  type RouteHandler,
  type RouteRequest,
  type Router,
} from "../common/router.js";
import { tokenCost } from "./costs.js";
import { validationError } from "./errors.js";
import type { PipedriveContext } from "./store.js";

/** How the emulator treats a route before calling its handler. */
export interface PipedriveRouteMeta {
  /** `"METHOD /path/{param}"`, the key of the token-cost table; `undefined` for unpriced routes. */
  operation: string | undefined;
  /** Daily-budget tokens the route costs. */
  cost: number;
  /** OAuth scopes any one of which grants access (from the spec's `security`); `undefined` for none. */
  scopes: readonly string[] | undefined;
  /** Which windows count the request. */
  limit: "standard" | "search" | "none";
  /** Whether a credential is required. */
  auth: boolean;
  /** v1 routes also accept the legacy `?api_token=` query parameter. */
  v1: boolean;
}

/** The Pipedrive emulator's router. */
export type PipedriveRouter = Router<PipedriveContext, PipedriveRouteMeta>;

/** OAuth scope sets of the spec's `security` blocks. */
export const SCOPES = {
  contactsRead: ["contacts:read", "contacts:full"],
  contactsWrite: ["contacts:full"],
  contactsSearch: ["contacts:read", "contacts:full", "search:read"],
  dealsRead: ["deals:read", "deals:full"],
  dealsWrite: ["deals:full"],
  dealsSearch: ["deals:read", "deals:full", "search:read"],
  activitiesRead: ["activities:read", "activities:full"],
  activitiesWrite: ["activities:full"],
  pipelines: ["deals:read", "deals:full", "admin"],
  contactFields: ["contacts:read", "contacts:full", "admin", "contact-fields:full"],
  dealFields: ["deals:read", "deals:full", "admin", "deal-fields:full"],
  activityFields: ["admin"],
  notesRead: ["deals:read", "deals:full", "contacts:read", "contacts:full"],
  notesWrite: ["deals:full", "contacts:full"],
  users: ["users:read"],
  me: ["base"],
  admin: ["admin"],
} as const satisfies Record<string, readonly string[]>;

/**
 * Registers a priced, authenticated route. `path` is written as in the spec (`/api/v2/persons/{id}`); v1 routes
 * are also served under `/api/v1`, the company-domain form.
 */
export function addRoute(
  router: PipedriveRouter,
  method: string,
  path: string,
  scopes: readonly string[],
  handler: RouteHandler<PipedriveContext>,
  limit: "standard" | "search" = "standard",
): void {
  const operation = `${method} ${path}`;
  const v1 = path.startsWith("/v1/");
  const meta: PipedriveRouteMeta = { operation, cost: tokenCost(operation), scopes, limit, auth: true, v1 };
  const pattern = path.replace(/\{(\w+)\}/g, ":$1");
  router.add(method, pattern, meta, handler);
  if (v1) router.add(method, `/api${pattern}`, meta, handler);
}

/** A success response in Pipedrive's envelope. */
export const ok = (data: unknown, additionalData?: unknown, status = 200): EmulatorResponse => ({
  status,
  body:
    additionalData === undefined
      ? { success: true, data }
      : { success: true, data, additional_data: additionalData },
});

/** A JSON object body, or 400 when the body is missing or not an object. */
export function objectBody(request: RouteRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    fail(validationError('"value" must be of type object.'));
  return body as Record<string, unknown>;
}

/** The integer path parameter `name`; 400 when it is not one. */
export function idParam(request: RouteRequest, name = "id"): number {
  const raw = request.params[name] ?? "";
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value))
    fail(validationError(`"${name}" must be a number.`));
  return value;
}

/** An integer query parameter, `undefined` when absent; 400 when malformed. */
export function intQuery(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) fail(validationError(`"${name}" must be a number.`));
  return value;
}

/** A comma-separated query parameter as a list; `undefined` when absent. */
export function listQuery(query: URLSearchParams, name: string): string[] | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  return raw
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** `limit` within `[1, max]` (default 100); 400 otherwise. */
export function limitQuery(query: URLSearchParams, max = 500, name = "limit"): number {
  const value = intQuery(query, name) ?? 100;
  if (value < 1) fail(validationError(`"${name}" must be greater than or equal to 1`));
  if (value > max) fail(validationError(`"${name}" must be less than or equal to ${max}`));
  return value;
}

/** A boolean query parameter (`true`/`1`); `undefined` when absent. */
export function boolQuery(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  fail(validationError(`"${name}" must be a boolean`));
}

/** An RFC3339 query parameter as epoch ms; `undefined` when absent, 400 when malformed. */
export function timeQuery(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || !Number.isFinite(ms))
    fail(validationError(`"${name}" must be in RFC3339 format`));
  return ms;
}

/** An opaque cursor: base64url JSON, like Pipedrive's. */
export const encodeCursor = (value: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(value)).toString("base64url");

/** Decodes a cursor made by {@link encodeCursor}; 400 when it is not one. */
export function decodeCursor(raw: string | null): Record<string, unknown> | undefined {
  if (raw === null || raw === "") return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through to the 400 below
  }
  fail(validationError('"cursor" is invalid'));
}

/** One item of a keyset-paginated list: its sort value and id. */
export interface SortKey {
  value: number;
  id: number;
}

/**
 * Keyset pagination over `items` sorted by `field` in `direction`: the cursor carries the last returned item's
 * sort value and id (the shape Pipedrive's cursors decode to), so inserts between pages never shift or repeat items.
 */
export function cursorPage<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  field: string,
  direction: "asc" | "desc",
  query: URLSearchParams,
): { slice: T[]; additional: { next_cursor: string | null } } {
  const limit = limitQuery(query);
  const sign = direction === "asc" ? 1 : -1;
  const compare = (a: SortKey, b: SortKey): number => sign * (a.value - b.value || a.id - b.id);
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const cursor = decodeCursor(query.get("cursor"));
  let start = 0;
  if (cursor !== undefined) {
    const after = { value: Number(cursor["fieldValue"]), id: Number(cursor["id"]) };
    if (!Number.isFinite(after.value) || !Number.isFinite(after.id))
      fail(validationError('"cursor" is invalid'));
    start = sorted.findIndex((item) => compare(keyOf(item), after) > 0);
    if (start === -1) start = sorted.length;
  }
  const slice = sorted.slice(start, start + limit);
  const last = slice.at(-1);
  const more = start + limit < sorted.length && last !== undefined;
  const next = more
    ? encodeCursor({ field, fieldValue: keyOf(last).value, sortDirection: direction, id: keyOf(last).id })
    : null;
  return { slice, additional: { next_cursor: next } };
}
