import { CrmError } from "../../errors/index.js";

/**
 * Daily-budget token cost of every operation the Pipedrive adapter calls, keyed `"METHOD /path/{param}"`. Copied
 * from the `x-token-cost` of each operation in Pipedrive's OpenAPI specs (`openapi-v2.yaml` for `/api/v2/*`,
 * `openapi-v1.yaml` for `/v1/*`, both of 2026-08-18). The adapter passes each call's cost to the limiter's weighted
 * daily policy, so the budget is spent before the request, never discovered by a 429.
 *
 * @example
 * PIPEDRIVE_OPERATION_COSTS["GET /api/v2/persons/search"]; // 20
 */
export const PIPEDRIVE_OPERATION_COSTS: Readonly<Record<string, number>> = Object.freeze({
  "GET /api/v2/persons": 10,
  "POST /api/v2/persons": 5,
  "GET /api/v2/persons/{id}": 1,
  "PATCH /api/v2/persons/{id}": 5,
  "GET /api/v2/persons/search": 20,
  "GET /api/v2/organizations": 10,
  "POST /api/v2/organizations": 5,
  "GET /api/v2/organizations/{id}": 1,
  "PATCH /api/v2/organizations/{id}": 5,
  "GET /api/v2/organizations/search": 20,
  "GET /api/v2/deals": 10,
  "POST /api/v2/deals": 5,
  "GET /api/v2/deals/{id}": 1,
  "PATCH /api/v2/deals/{id}": 5,
  "GET /api/v2/deals/search": 20,
  "GET /api/v2/activities": 10,
  "POST /api/v2/activities": 5,
  "GET /api/v2/activities/{id}": 1,
  "PATCH /api/v2/activities/{id}": 5,
  "GET /api/v2/pipelines": 5,
  "GET /api/v2/stages": 5,
  "GET /api/v2/personFields": 10,
  "GET /api/v2/organizationFields": 10,
  "GET /api/v2/dealFields": 10,
  "GET /api/v2/activityFields": 10,
  "GET /v1/notes": 20,
  "POST /v1/notes": 10,
  "GET /v1/notes/{id}": 2,
  "GET /v1/users": 20,
});

/** The `"METHOD /path/{param}"` operation of a request path (numeric segments become `{id}`). */
export function operationOf(method: string, path: string): string {
  const normalized = `/${path.replace(/^\/+/, "").replace(/\?.*$/, "")}`.replace(/\/\d+(?=\/|$)/g, "/{id}");
  return `${method.toUpperCase()} ${normalized}`;
}

/**
 * The token cost of a request the adapter is about to send. An operation missing from the table is a bug in the
 * adapter (a new call that nobody priced), so it fails loudly instead of spending an unknown amount.
 */
export function costOf(method: string, path: string): number {
  const operation = operationOf(method, path);
  const cost = PIPEDRIVE_OPERATION_COSTS[operation];
  if (cost === undefined)
    throw new CrmError({
      reason: "configuration_error",
      provider: "pipedrive",
      message: `crmkit's Pipedrive adapter cannot price ${operation}: it is missing from PIPEDRIVE_OPERATION_COSTS`,
    });
  return cost;
}
