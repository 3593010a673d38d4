/**
 * Daily-budget token cost of every operation the emulator serves, keyed `"METHOD /path/{param}"`. Copied from the
 * `x-token-cost` of each operation in Pipedrive's OpenAPI specs (`openapi-v2.yaml` for `/api/v2/*`,
 * `openapi-v1.yaml` for `/v1/*`, both of 2026-08-18); a test re-reads the specs when `CRMKIT_VENDOR_SPECS` is set.
 *
 * @example
 * PIPEDRIVE_TOKEN_COSTS["GET /api/v2/persons/search"]; // 20
 */
export const PIPEDRIVE_TOKEN_COSTS: Readonly<Record<string, number>> = Object.freeze({
  "GET /api/v2/persons": 10,
  "POST /api/v2/persons": 5,
  "GET /api/v2/persons/{id}": 1,
  "PATCH /api/v2/persons/{id}": 5,
  "DELETE /api/v2/persons/{id}": 3,
  "GET /api/v2/persons/search": 20,
  "GET /api/v2/organizations": 10,
  "POST /api/v2/organizations": 5,
  "GET /api/v2/organizations/{id}": 1,
  "PATCH /api/v2/organizations/{id}": 5,
  "DELETE /api/v2/organizations/{id}": 3,
  "GET /api/v2/organizations/search": 20,
  "GET /api/v2/deals": 10,
  "POST /api/v2/deals": 5,
  "GET /api/v2/deals/{id}": 1,
  "PATCH /api/v2/deals/{id}": 5,
  "DELETE /api/v2/deals/{id}": 3,
  "GET /api/v2/deals/search": 20,
  "GET /api/v2/activities": 10,
  "POST /api/v2/activities": 5,
  "GET /api/v2/activities/{id}": 1,
  "PATCH /api/v2/activities/{id}": 5,
  "DELETE /api/v2/activities/{id}": 3,
  "GET /api/v2/pipelines": 5,
  "GET /api/v2/pipelines/{id}": 1,
  "GET /api/v2/stages": 5,
  "GET /api/v2/stages/{id}": 1,
  "GET /api/v2/personFields": 10,
  "GET /api/v2/personFields/{field_code}": 1,
  "GET /api/v2/organizationFields": 10,
  "GET /api/v2/organizationFields/{field_code}": 1,
  "GET /api/v2/dealFields": 10,
  "GET /api/v2/dealFields/{field_code}": 1,
  "GET /api/v2/activityFields": 10,
  "GET /api/v2/activityFields/{field_code}": 1,
  "GET /v1/personFields": 20,
  "GET /v1/organizationFields": 20,
  "GET /v1/dealFields": 20,
  "GET /v1/notes": 20,
  "POST /v1/notes": 10,
  "GET /v1/notes/{id}": 2,
  "DELETE /v1/notes/{id}": 6,
  "GET /v1/users": 20,
  "GET /v1/users/me": 2,
  "GET /v1/users/find": 40,
  "GET /v1/users/{id}": 2,
  "GET /v1/webhooks": 10,
  "POST /v1/webhooks": 10,
  "DELETE /v1/webhooks/{id}": 6,
});

/** The cost of an operation; throws for an operation missing from the table so a new route cannot go unpriced. */
export function tokenCost(operation: string): number {
  const cost = PIPEDRIVE_TOKEN_COSTS[operation];
  if (cost === undefined) throw new RangeError(`no token cost for ${operation}`);
  return cost;
}
