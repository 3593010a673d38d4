// The fake CRM: an in-memory CrmAdapter with CRM-like behaviour (duplicates, inactive owners, search lag, faults,
// call log) for tests of anything built on the adapter SPI.
export { BUILT_IN_FAKE_FIELDS, DEFAULT_FAKE_OWNERS, DEFAULT_FAKE_PIPELINES } from "./defaults.js";
export { createFakeCrm } from "./fake-crm.js";
export type {
  FakeBatchSizes,
  FakeCall,
  FakeCallFilter,
  FakeCrm,
  FakeCrmFaults,
  FakeCrmMethod,
  FakeCrmOptions,
  FakeCrmProbe,
  FakeRecordSeed,
  FaultRule,
  RandomFaultOptions,
} from "./types.js";
