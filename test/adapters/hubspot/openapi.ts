import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { HubSpotApiVersion } from "../../../src/adapters/hubspot/index.js";
import { operationsOf, readSpec, type SpecOperation } from "../../helpers/openapi.js";

// The spec reader and validator live in test/helpers/openapi.ts (shared with the other vendors' contract tests);
// this module keeps HubSpot's entry point, which also accepts the object type ids HubSpot's specs use and reads
// one API version's specs at a time.

export { type ContractResult, checkRequest, validate } from "../../helpers/openapi.js";

const OBJECT_TYPE_IDS: Readonly<Record<string, string>> = {
  "0-1": "contacts",
  "0-2": "companies",
  "0-3": "deals",
  "0-5": "tickets",
  "0-27": "tasks",
  "0-46": "notes",
};

/** The spec files of each API version: the legacy family is the `v3` and `v4` files, the other its dated ones. */
const FAMILY_FILES: Readonly<Record<HubSpotApiVersion, RegExp>> = {
  v3: /\.v[34]\.json$/,
  "2026-03": /\.2026-03\.json$/,
};

/** Every operation of the `*.json` specs in `dir`, or only of one API version's specs. */
export function loadOperations(dir: string, version?: HubSpotApiVersion): SpecOperation[] {
  const pattern = version === undefined ? /\.json$/ : FAMILY_FILES[version];
  return readdirSync(dir)
    .filter((file) => pattern.test(file))
    .flatMap((file) =>
      operationsOf(file, readSpec(join(dir, file)), {
        // Some specs name the object by its type id (`/crm/v3/objects/0-3`, `/crm/objects/2026-03/0-3` for deals).
        rewritePattern: (source) =>
          source.replace(
            /\/objects(\/2026-03)?\/(0-\d+)(?=\/|$)/,
            (_, dated: string | undefined, id: string) =>
              `/objects${dated ?? ""}/(?:${id}|${OBJECT_TYPE_IDS[id] ?? id})`,
          ),
      }),
    );
}
