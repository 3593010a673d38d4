import type { HubSpotApiVersion } from "../../../src/adapters/hubspot/index.js";

// Tests are written against HubSpot's legacy paths; `atVersion` rewrites them to another API version's. It is
// spelled out here by hand, independently of the adapter's path table, so a wrong entry there fails the tests.

const DATE_VERSIONED: readonly [RegExp, string][] = [
  [/^\/crm\/v3\/objects(?=\/|$)/, "/crm/objects/2026-03"],
  [/^\/crm\/v4\/objects(?=\/|$)/, "/crm/objects/2026-03"],
  [/^\/crm\/v4\/associations(?=\/|$)/, "/crm/associations/2026-03"],
  [/^\/crm\/v3\/(owners|pipelines|properties)(?=\/|$)/, "/crm/$1/2026-03"],
  [/^\/oauth\/v3(?=\/|$)/, "/oauth/2026-03"],
];

/**
 * A function turning a legacy path (`/crm/v3/objects/contacts/batch/read`, `/crm/v4/associations/…`,
 * `/oauth/v3/token`) into the same endpoint's path in `version`; other paths are returned unchanged.
 *
 * @example
 * atVersion("2026-03")("/crm/v3/owners") // "/crm/owners/2026-03"
 */
export function atVersion(version: HubSpotApiVersion): (legacyPath: string) => string {
  if (version === "v3") return (path) => path;
  return (path) => {
    const [pathname = "", query] = path.split("?", 2);
    for (const [pattern, replacement] of DATE_VERSIONED) {
      if (pattern.test(pathname)) {
        const rewritten = pathname.replace(pattern, replacement);
        return query === undefined ? rewritten : `${rewritten}?${query}`;
      }
    }
    return path;
  };
}

/** Matches every legacy CRM or OAuth v3 path (`/crm/v3/…`, `/crm/v4/…`, `/oauth/v3/…`). */
export const LEGACY_PATH = /^\/(crm\/v[34]|oauth\/v3)\//;

/** Matches every 2026-03 path the adapter may send. */
export const DATE_VERSIONED_PATH =
  /^\/(crm\/(objects|associations|owners|pipelines|properties)\/2026-03|oauth\/2026-03)(\/|$)/;
