import { registerRecordTests } from "./record-tests.js";
import { registerRelationTests } from "./relation-tests.js";
import { registerShapeTests } from "./shape-tests.js";
import type { AdapterConformanceOptions, AdapterConformanceRunner } from "./types.js";
import { registerWriteTests } from "./write-tests.js";

/**
 * The executable specification of the adapter SPI. Registers one `describe` block of tests with your runner;
 * every test builds a fresh backend with `create(seed)` (see `ADAPTER_CONFORMANCE_SEED`), drives the adapter and
 * checks the result through the backend's own probe, never through the adapter's reads alone. Tests of optional
 * capabilities (upsert, batch methods, native tickets) check that the method is absent when the capability is
 * not declared, and its behaviour when it is. Assertions use `node:assert/strict`, so any runner works.
 *
 * @example
 * import { describe, it } from "vitest";
 * import { createFakeCrm, runAdapterConformance } from "crmkit/testing";
 *
 * runAdapterConformance({ describe, it }, {
 *   create: async (seed) => {
 *     const { adapter, probe } = createFakeCrm({ ...seed, batch: true, upsertKeys: { contact: ["email"] } });
 *     return { adapter, probe, settleSearch: probe.advanceSearchIndex };
 *   },
 *   skip: { tickets: "this CRM has no tickets" },
 * });
 */
export function runAdapterConformance(
  api: AdapterConformanceRunner,
  options: AdapterConformanceOptions,
): void {
  if (typeof options?.create !== "function") {
    throw new TypeError(
      "runAdapterConformance: option `create` must be a function returning { adapter, probe }",
    );
  }
  const duplicates = options.duplicateContacts ?? "allowed";
  if (duplicates !== "allowed" && duplicates !== "rejected") {
    throw new TypeError('runAdapterConformance: option `duplicateContacts` must be "allowed" or "rejected"');
  }
  api.describe(options.name ?? "CrmAdapter conformance", () => {
    registerShapeTests(api, options);
    registerRecordTests(api, options);
    registerRelationTests(api, options);
    registerWriteTests(api, options);
  });
}
