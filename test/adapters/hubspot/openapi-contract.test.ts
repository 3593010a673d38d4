import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAdapterConformance } from "../../../src/testing/adapter-conformance/index.js";
import { ADAPTER_CONFORMANCE_SEED } from "../../../src/testing/adapter-conformance/seed.js";
import type { RecordedRequest } from "../../../src/testing/emulators/common/request-log.js";
import { createConformanceBackend } from "./backend.js";
import { checkRequest, loadOperations } from "./openapi.js";

// Every request the adapter sends during the conformance suite (plus the operations the suite does not reach)
// is checked against HubSpot's official OpenAPI specs, read from $CRMKIT_VENDOR_SPECS/hubspot at test time.

const specsRoot = process.env["CRMKIT_VENDOR_SPECS"];
const specDir = specsRoot === undefined ? undefined : join(specsRoot, "hubspot");
if (specDir === undefined || !existsSync(specDir)) {
  if (process.env["CI"] === "true")
    throw new Error(
      "CRMKIT_VENDOR_SPECS must point at the vendor specs in CI (expected <dir>/hubspot/*.json)",
    );
  console.warn(
    "[crmkit] HubSpot OpenAPI contract test skipped: set CRMKIT_VENDOR_SPECS to the vendor-specs directory",
  );
}

// HubSpot publishes no tickets spec among the saved files; ticket requests share the objects API's shape.
const UNCOVERED = /^\/crm\/v3\/(objects|properties|pipelines)\/tickets(\/|$)/;

describe.skipIf(specDir === undefined || !existsSync(specDir))(
  "HubSpot adapter requests vs the official OpenAPI specs",
  () => {
    const recorded: RecordedRequest[] = [];
    const record = (requests: readonly RecordedRequest[]) => recorded.push(...requests);

    runAdapterConformance(
      { describe, it },
      {
        name: "conformance run (recorded)",
        duplicateContacts: "rejected",
        create: (seed) => createConformanceBackend(seed, { record }),
      },
    );

    it("records the operations the suite does not reach: listChanged, company findMany, batchUpsert, associations, metadata", async () => {
      const backend = await createConformanceBackend(ADAPTER_CONFORMANCE_SEED, { record });
      const { adapter } = backend;
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
        for await (const _ of adapter.listChanged?.("contact", { since: "2020-01-01T00:00:00.000Z" }) ?? [])
          void _;
        await adapter.describeFields("deal");
        await adapter.listPipelines("ticket");
      } finally {
        await backend.cleanup?.();
      }
    });

    it("sent only requests whose method, path, query parameters and body the specs declare", () => {
      expect(recorded.length).toBeGreaterThan(100);
      const operations = loadOperations(specDir as string);
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
