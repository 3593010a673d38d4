import type { RouteHandler, RouteRequest } from "../common/router.js";
import type { HubSpotRouteMeta, HubSpotRouter } from "./routing.js";
import type { HubSpotContext } from "./store.js";

// HubSpot serves every CRM API twice: under the legacy path versions (`/crm/v3/…`, associations `/crm/v4/…`) and
// under the date-based release (`/crm/objects/2026-03/…`). The emulator registers each route once per family from
// the prefix table below, so both families share one store, one set of limits and one fault queue.

/** An API family the emulator serves: the legacy path-versioned APIs or the 2026-03 date-based release. */
export type HubSpotApiFamily = "v3" | "2026-03";

/** Every family the emulator serves, legacy first. */
export const HUBSPOT_API_FAMILIES: readonly HubSpotApiFamily[] = ["v3", "2026-03"];

/** Where each API lives in each family. */
export const API_PREFIXES = {
  v3: {
    objects: "/crm/v3/objects",
    objectAssociations: "/crm/v4/objects",
    associations: "/crm/v4/associations",
    owners: "/crm/v3/owners",
    pipelines: "/crm/v3/pipelines",
    properties: "/crm/v3/properties",
    oauth: "/oauth/v3",
  },
  "2026-03": {
    objects: "/crm/objects/2026-03",
    objectAssociations: "/crm/objects/2026-03",
    associations: "/crm/associations/2026-03",
    owners: "/crm/owners/2026-03",
    pipelines: "/crm/pipelines/2026-03",
    properties: "/crm/properties/2026-03",
    oauth: "/oauth/2026-03",
  },
} as const satisfies Record<HubSpotApiFamily, Record<string, string>>;

/** The name of an API in {@link API_PREFIXES}. */
export type HubSpotApi = keyof (typeof API_PREFIXES)["v3"];

/** A route handler that also learns which family the request came in on. */
export type VersionedHandler = (
  request: RouteRequest,
  context: HubSpotContext,
  family: HubSpotApiFamily,
) => ReturnType<RouteHandler<HubSpotContext>>;

/**
 * Registers `rest` (a pattern after the API's prefix, e.g. `/:type/search`) under every family.
 *
 * @example
 * addVersioned(router, "POST", "objects", "/:type/search", meta, (req, context) => ok({ results: [] }));
 */
export function addVersioned(
  router: HubSpotRouter,
  method: string,
  api: HubSpotApi,
  rest: string,
  meta: HubSpotRouteMeta,
  handler: VersionedHandler,
): void {
  for (const family of HUBSPOT_API_FAMILIES)
    router.add(method, `${API_PREFIXES[family][api]}${rest}`, meta, (request, context) =>
      handler(request, context, family),
    );
}
