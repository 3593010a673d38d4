import { describe, it } from "vitest";
import { HUBSPOT_API_VERSIONS } from "../../../src/adapters/hubspot/paths.js";
import { runAdapterConformance } from "../../../src/testing/adapter-conformance/index.js";
import { createConformanceBackend } from "./backend.js";

// The HubSpot adapter against the HubSpot emulator over real HTTP on 127.0.0.1, with a 2 s search index lag that
// only `settleSearch` (the emulator's clock) lets pass: every read the suite makes right after a write must
// avoid the search API. Once per API version: the legacy v3/v4 paths and the date-based 2026-03 ones.
for (const apiVersion of HUBSPOT_API_VERSIONS) {
  runAdapterConformance(
    { describe, it },
    {
      name: `HubSpot adapter conformance on ${apiVersion} (emulator over HTTP)`,
      duplicateContacts: "rejected",
      create: (seed) => createConformanceBackend(seed, { adapter: { apiVersion } }),
    },
  );
}
