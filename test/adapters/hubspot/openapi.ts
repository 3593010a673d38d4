import { loadOperations as loadSpecOperations, type SpecOperation } from "../../helpers/openapi.js";

// The spec reader and validator live in test/helpers/openapi.ts (shared with the other vendors' contract tests);
// this module keeps HubSpot's entry point, which also accepts the object type ids HubSpot's specs use.

export { type ContractResult, checkRequest, validate } from "../../helpers/openapi.js";

const OBJECT_TYPE_IDS: Readonly<Record<string, string>> = {
  "0-1": "contacts",
  "0-2": "companies",
  "0-3": "deals",
  "0-5": "tickets",
  "0-27": "tasks",
  "0-46": "notes",
};

/** Every operation of every `*.json` spec in `dir`. */
export function loadOperations(dir: string): SpecOperation[] {
  return loadSpecOperations(dir, {
    // Some specs name the object by its type id (`/crm/v3/objects/0-3` for deals).
    rewritePattern: (source) =>
      source.replace(
        /\/objects\/(0-\d+)(?=\/|$)/,
        (_, id: string) => `/objects/(?:${id}|${OBJECT_TYPE_IDS[id] ?? id})`,
      ),
  });
}
