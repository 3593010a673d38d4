import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CrmObjectType } from "../../../src/adapter/index.js";
import {
  HUBSPOT_API_VERSIONS,
  HUBSPOT_OPERATIONS,
  type HubSpotApiVersion,
  type HubSpotOperation,
  hubSpotRoute,
} from "../../../src/adapters/hubspot/paths.js";
import { runAdapterConformance } from "../../../src/testing/adapter-conformance/index.js";
import { ADAPTER_CONFORMANCE_SEED } from "../../../src/testing/adapter-conformance/seed.js";
import type { RecordedRequest } from "../../../src/testing/emulators/common/request-log.js";
import { createConformanceBackend } from "./backend.js";
import { checkRequest, loadOperations } from "./openapi.js";

// Every request the adapter sends during the conformance suite (plus the operations the suite does not reach)
// is checked against HubSpot's official OpenAPI specs of the adapter's API version, read from
// $CRMKIT_VENDOR_SPECS/hubspot at test time; so is every entry of the adapter's path table.

const specsRoot = process.env["CRMKIT_VENDOR_SPECS"];
const specDir = specsRoot === undefined ? undefined : join(specsRoot, "hubspot");
const missing = specDir === undefined || !existsSync(specDir);
if (missing) {
  if (process.env["CI"] === "true")
    throw new Error(
      "CRMKIT_VENDOR_SPECS must point at the vendor specs in CI (expected <dir>/hubspot/*.json)",
    );
  console.warn(
    "[crmkit] HubSpot OpenAPI contract test skipped: set CRMKIT_VENDOR_SPECS to the vendor-specs directory",
  );
}

// HubSpot publishes no tickets spec among the saved files; ticket requests share the objects API's shape.
const UNCOVERED =
  /^\/crm\/(v3\/(objects|properties|pipelines)|(objects|properties|pipelines)\/2026-03)\/tickets(\/|$)/;
const SPEC_TYPES: readonly CrmObjectType[] = ["contact", "company", "deal", "note", "task"];
const OTHER: Readonly<Record<HubSpotApiVersion, HubSpotApiVersion>> = { v3: "2026-03", "2026-03": "v3" };

/** `operation` instantiated for every object type the saved specs cover. */
function instances(version: HubSpotApiVersion, operation: HubSpotOperation): string[] {
  const template: string = HUBSPOT_OPERATIONS[operation][version];
  const types = operation === "pipelines" ? (["deal"] as const) : SPEC_TYPES;
  if (!template.includes("{type}")) return [`/${hubSpotRoute(version, operation).path}`];
  const paths = types.flatMap((type) =>
    SPEC_TYPES.filter((toType) => toType !== type).map(
      (toType) => `/${hubSpotRoute(version, operation, { type, id: "51", toType, toId: "52" }).path}`,
    ),
  );
  return [...new Set(paths)];
}

describe.skipIf(missing).each(HUBSPOT_API_VERSIONS)(
  "HubSpot adapter requests vs the official OpenAPI specs of %s",
  (apiVersion) => {
    const operations = missing ? [] : loadOperations(specDir as string, apiVersion);
    const recorded: RecordedRequest[] = [];
    const record = (requests: readonly RecordedRequest[]) => recorded.push(...requests);
    const backend = (seed: typeof ADAPTER_CONFORMANCE_SEED) =>
      createConformanceBackend(seed, { record, adapter: { apiVersion } });

    it("every operation in the adapter's path table exists in this version's specs, with its method, and only there", () => {
      const others = loadOperations(specDir as string, OTHER[apiVersion]);
      const declared = (ops: typeof operations, method: string, path: string) =>
        ops.some((op) => op.method === method && op.pattern.test(path));
      const problems: string[] = [];
      for (const operation of Object.keys(HUBSPOT_OPERATIONS) as HubSpotOperation[]) {
        const { method } = HUBSPOT_OPERATIONS[operation];
        for (const path of instances(apiVersion, operation)) {
          if (!declared(operations, method, path))
            problems.push(`${operation}: ${method} ${path} is not declared`);
          if (declared(others, method, path))
            problems.push(`${operation}: ${method} ${path} is in the other family`);
        }
      }
      expect(problems).toEqual([]);
    });

    runAdapterConformance(
      { describe, it },
      { name: `conformance run on ${apiVersion} (recorded)`, duplicateContacts: "rejected", create: backend },
    );

    it("records the operations the suite does not reach: listChanged, company findMany, batchUpsert, associations, metadata, OAuth refresh", async () => {
      const oauth = { clientId: "contract-client", clientSecret: "contract-secret" };
      const world = await createConformanceBackend(ADAPTER_CONFORMANCE_SEED, {
        record,
        emulator: { oauth: { ...oauth, refreshTokens: ["contract-refresh"] } },
        adapter: {
          apiVersion,
          accessToken: undefined,
          oauth: { ...oauth, refreshToken: "contract-refresh" },
        },
      });
      const { adapter } = world;
      try {
        await adapter.findMany?.("company", "domain", ["acme.example", "b.example"]);
        await adapter.find({ type: "contact", field: "phone", value: "+14155550123" });
        await adapter.batchUpsert?.("contact", [
          { key: { field: "email", value: "u@x.example" }, properties: { first_name: "U" } },
        ]);
        const person = await adapter.create("contact", { properties: { email: "listed@x.example" } });
        await adapter.update("contact", {
          id: person.id,
          properties: { last_name: "L" },
          associations: [{ type: "company", id: "501" }],
        });
        await adapter.associate(
          { type: "contact", id: person.id },
          { type: "company", id: "501", label: "primary" },
        );
        await adapter.findOpenDeals({ contactId: person.id });
        for await (const _ of adapter.listChanged?.("contact", { since: "2020-01-01T00:00:00.000Z" }) ?? [])
          void _;
        await adapter.describeFields("deal");
        await adapter.listPipelines("ticket");
        await adapter.listOwners();
      } finally {
        await world.cleanup?.();
      }
    });

    it("sent only requests whose method, path, query parameters and body this version's specs declare", () => {
      expect(recorded.length).toBeGreaterThan(100);
      expect(recorded.filter((r) => r.path.endsWith("/token"))).toHaveLength(1);
      const failures = recorded
        .filter((request) => !UNCOVERED.test(request.path))
        .map((request) => checkRequest(operations, request))
        .filter((result) => result.problems.length > 0);
      const summary = [
        ...new Set(
          failures.map(
            (f) => `${f.request} (${f.operation ?? "no match"}): ${f.problems.slice(0, 3).join("; ")}`,
          ),
        ),
      ];
      expect(summary).toEqual([]);
    });
  },
);
