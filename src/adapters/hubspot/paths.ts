import type { CrmObjectType } from "../../adapter/index.js";
import { HUBSPOT_OBJECT_TYPES } from "./associations.js";

// The one table of every HubSpot endpoint the adapter calls, per API version. Modules ask for an operation by name
// (`client.route("search", { type })`) and never spell a path, so a version is added here and nowhere else. The
// OpenAPI contract test instantiates every entry against that version's official specs.

/**
 * The HubSpot API version the adapter's paths belong to: `"v3"` is the legacy path-versioned family
 * (`/crm/v3/…`, associations `/crm/v4/…`, supported until September 2027), `"2026-03"` the first GA date-based
 * release (`/crm/objects/2026-03/…`, `/crm/associations/2026-03/…`, …).
 */
export type HubSpotApiVersion = "v3" | "2026-03";

/** Every supported {@link HubSpotApiVersion}, oldest first. */
export const HUBSPOT_API_VERSIONS: readonly HubSpotApiVersion[] = ["v3", "2026-03"];

/**
 * The operations the adapter sends: method and path template per version. `{type}` and `{toType}` are HubSpot
 * object type names (`contacts`), `{id}` and `{toId}` record ids.
 */
export const HUBSPOT_OPERATIONS = {
  create: { method: "POST", v3: "/crm/v3/objects/{type}", "2026-03": "/crm/objects/2026-03/{type}" },
  update: {
    method: "PATCH",
    v3: "/crm/v3/objects/{type}/{id}",
    "2026-03": "/crm/objects/2026-03/{type}/{id}",
  },
  search: {
    method: "POST",
    v3: "/crm/v3/objects/{type}/search",
    "2026-03": "/crm/objects/2026-03/{type}/search",
  },
  batchRead: {
    method: "POST",
    v3: "/crm/v3/objects/{type}/batch/read",
    "2026-03": "/crm/objects/2026-03/{type}/batch/read",
  },
  batchCreate: {
    method: "POST",
    v3: "/crm/v3/objects/{type}/batch/create",
    "2026-03": "/crm/objects/2026-03/{type}/batch/create",
  },
  batchUpdate: {
    method: "POST",
    v3: "/crm/v3/objects/{type}/batch/update",
    "2026-03": "/crm/objects/2026-03/{type}/batch/update",
  },
  batchUpsert: {
    method: "POST",
    v3: "/crm/v3/objects/{type}/batch/upsert",
    "2026-03": "/crm/objects/2026-03/{type}/batch/upsert",
  },
  associate: {
    method: "PUT",
    v3: "/crm/v4/objects/{type}/{id}/associations/{toType}/{toId}",
    "2026-03": "/crm/objects/2026-03/{type}/{id}/associations/{toType}/{toId}",
  },
  associations: {
    method: "GET",
    v3: "/crm/v4/objects/{type}/{id}/associations/{toType}",
    "2026-03": "/crm/objects/2026-03/{type}/{id}/associations/{toType}",
  },
  batchAssociate: {
    method: "POST",
    v3: "/crm/v4/associations/{type}/{toType}/batch/create",
    "2026-03": "/crm/associations/2026-03/{type}/{toType}/batch/create",
  },
  owners: { method: "GET", v3: "/crm/v3/owners", "2026-03": "/crm/owners/2026-03" },
  pipelines: { method: "GET", v3: "/crm/v3/pipelines/{type}", "2026-03": "/crm/pipelines/2026-03/{type}" },
  properties: { method: "GET", v3: "/crm/v3/properties/{type}", "2026-03": "/crm/properties/2026-03/{type}" },
  token: { method: "POST", v3: "/oauth/v3/token", "2026-03": "/oauth/2026-03/token" },
} as const satisfies Record<string, { readonly method: string } & Record<HubSpotApiVersion, string>>;

/** The name of an operation in {@link HUBSPOT_OPERATIONS}. */
export type HubSpotOperation = keyof typeof HUBSPOT_OPERATIONS;

/** The values of an operation's placeholders; object types are crmkit's, ids are sent URL-encoded. */
export interface HubSpotRouteParams {
  readonly type?: CrmObjectType | undefined;
  readonly id?: string | undefined;
  readonly toType?: CrmObjectType | undefined;
  readonly toId?: string | undefined;
}

/** A request's method and its path relative to the API root (no leading slash), ready for the transport. */
export interface HubSpotRoute {
  readonly method: string;
  readonly path: string;
}

/**
 * The method and path of `operation` in `version`.
 *
 * @example
 * hubSpotRoute("2026-03", "search", { type: "contact" }) // { method: "POST", path: "crm/objects/2026-03/contacts/search" }
 */
export function hubSpotRoute(
  version: HubSpotApiVersion,
  operation: HubSpotOperation,
  params: HubSpotRouteParams = {},
): HubSpotRoute {
  const entry = HUBSPOT_OPERATIONS[operation];
  const path = entry[version].replace(/\{(type|id|toType|toId)\}/g, (_, name: keyof HubSpotRouteParams) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`hubSpotRoute: "${operation}" needs \`${name}\``);
    return name === "type" || name === "toType"
      ? HUBSPOT_OBJECT_TYPES[value as CrmObjectType]
      : encodeURIComponent(value);
  });
  return { method: entry.method, path: path.slice(1) };
}
