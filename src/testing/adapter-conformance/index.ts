// The adapter conformance suite: the executable specification of the CrmAdapter SPI, runnable against any backend.
export { runAdapterConformance } from "./run-adapter-conformance.js";
export { ADAPTER_CONFORMANCE_SEED } from "./seed.js";
export type {
  AdapterConformanceBackend,
  AdapterConformanceGroup,
  AdapterConformanceOptions,
  AdapterConformanceRunner,
  AdapterConformanceSeed,
  AdapterProbe,
  SeedRecord,
} from "./types.js";
