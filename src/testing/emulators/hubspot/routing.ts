import { type EmulatorResponse, fail, type RouteRequest, type Router } from "../common/router.js";
import { parseObjectType } from "./defaults.js";
import { unknownRouteError, validationError } from "./errors.js";
import type { HubSpotContext } from "./store.js";
import type { HubSpotObjectType } from "./types.js";

/** How the emulator treats a route before calling its handler. */
export interface HubSpotRouteMeta {
  /** Scope the token must hold; `undefined` for none. */
  scope: ((params: Record<string, string>) => string) | undefined;
  /** Which limits count the request: the general ones, the search one, or none (OAuth endpoints). */
  limit: "standard" | "search" | "none";
  /** Whether a bearer token is required. */
  auth: boolean;
}

/** The HubSpot emulator's router. */
export type HubSpotRouter = Router<HubSpotContext, HubSpotRouteMeta>;

const SCOPE_BASE: Record<HubSpotObjectType, string> = {
  contacts: "crm.objects.contacts",
  companies: "crm.objects.companies",
  deals: "crm.objects.deals",
  // Notes and tasks are guarded by the contact scopes (their specs list crm.objects.contacts.*).
  notes: "crm.objects.contacts",
  tasks: "crm.objects.contacts",
  tickets: "tickets",
};

/** The read scope of an object type, from a route's `type` parameter. */
export const readScope = (typeName: string | undefined): string => {
  const type = parseObjectType(typeName ?? "") ?? "contacts";
  return type === "tickets" ? "tickets" : `${SCOPE_BASE[type]}.read`;
};

/** The write scope of an object type, from a route's `type` parameter. */
export const writeScope = (typeName: string | undefined): string => {
  const type = parseObjectType(typeName ?? "") ?? "contacts";
  return type === "tickets" ? "tickets" : `${SCOPE_BASE[type]}.write`;
};

/** Metadata of an authenticated, rate-limited route reading `type`. */
export const reads = (param = "type"): HubSpotRouteMeta => ({
  scope: (params) => readScope(params[param]),
  limit: "standard",
  auth: true,
});

/** Metadata of an authenticated, rate-limited route writing `type`. */
export const writes = (param = "type"): HubSpotRouteMeta => ({
  scope: (params) => writeScope(params[param]),
  limit: "standard",
  auth: true,
});

/** The object type a route parameter names; answers 404 for types the emulator does not model. */
export function objectTypeOf(
  context: HubSpotContext,
  request: RouteRequest,
  param = "type",
): HubSpotObjectType {
  const type = parseObjectType(request.params[param] ?? "");
  if (type === undefined) fail(unknownRouteError(context.correlationId(), request.method, request.path));
  return type;
}

/** A JSON object body, or 400 when the body is missing or not an object. */
export function objectBody(context: HubSpotContext, request: RouteRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    fail(validationError(context.correlationId(), "Invalid input JSON: expected an object body"));
  return body as Record<string, unknown>;
}

/** The `inputs` array of a batch body, enforcing the batch cap. */
export function batchInputs(context: HubSpotContext, request: RouteRequest, cap: number): unknown[] {
  const inputs = objectBody(context, request)["inputs"];
  if (!Array.isArray(inputs))
    fail(validationError(context.correlationId(), "Invalid input JSON: `inputs` is required"));
  if (inputs.length > cap)
    fail(
      validationError(
        context.correlationId(),
        `Batch input limit exceeded: ${inputs.length} inputs were provided but the limit is ${cap}`,
      ),
    );
  return inputs;
}

/** A comma-separated and/or repeated query parameter as a list; `undefined` when absent. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const all = query.getAll(name);
  if (all.length === 0) return undefined;
  return all.flatMap((value) => value.split(",")).filter((value) => value !== "");
}

/** An integer query parameter within `[1, max]`, or `fallback` when absent; 400 when out of range. */
export function limitParam(
  context: HubSpotContext,
  raw: string | null | undefined,
  fallback: number,
  max: number,
): number {
  if (raw === null || raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max)
    fail(validationError(context.correlationId(), `limit must be between 1 and ${max}, got ${raw}`));
  return value;
}

/** A string field of an object, or `undefined`. */
export const stringField = (value: unknown, key: string): string | undefined => {
  if (typeof value !== "object" || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === "string" ? field : typeof field === "number" ? String(field) : undefined;
};

/** Offset paging over a sorted list, HubSpot style (`paging.next.after`, absent on the last page). */
export function page<T>(
  items: readonly T[],
  after: string | null | undefined,
  limit: number,
): { slice: T[]; paging?: unknown } {
  const start =
    after === null || after === undefined || after === "" ? 0 : Math.max(0, Number.parseInt(after, 10) || 0);
  const slice = items.slice(start, start + limit);
  const next = start + limit;
  if (next >= items.length) return { slice };
  return { slice, paging: { next: { after: String(next), link: `?after=${next}` } } };
}

/** A 200 JSON response. */
export const ok = (body: unknown, status = 200): EmulatorResponse => ({ status, body });
