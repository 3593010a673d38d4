import { describe, it } from "vitest";
import { runAdapterConformance } from "../../../src/testing/adapter-conformance/index.js";
import { createConformanceBackend } from "./backend.js";

// The Pipedrive adapter against the Pipedrive emulator over real HTTP on 127.0.0.1, with a 2 s search index lag
// that only `settleSearch` (the emulator's clock) lets pass. Pipedrive allows duplicate persons, so the suite runs
// with `duplicateContacts: "allowed"`: find must return every match.
runAdapterConformance(
  { describe, it },
  {
    name: "Pipedrive adapter conformance (emulator over HTTP)",
    duplicateContacts: "allowed",
    create: (seed) => createConformanceBackend(seed),
  },
);

// The same suite with the list index off: every email and domain lookup goes through Pipedrive's search.
runAdapterConformance(
  { describe, it },
  {
    name: "Pipedrive adapter conformance, searching (list index off)",
    duplicateContacts: "allowed",
    create: (seed) => createConformanceBackend(seed, { adapter: { listIndex: false } }),
  },
);
