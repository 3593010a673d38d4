/**
 * Test kit for crmkit users and adapter authors: fake clock, the in-memory fake CRM, vendor emulators and the
 * conformance suites that specify every SPI.
 * @module
 */
export {
  ADAPTER_CONFORMANCE_SEED,
  type AdapterConformanceBackend,
  type AdapterConformanceGroup,
  type AdapterConformanceOptions,
  type AdapterConformanceRunner,
  type AdapterConformanceSeed,
  type AdapterProbe,
  runAdapterConformance,
  type SeedRecord,
} from "./adapter-conformance/index.js";
export type {
  EmulatorFault,
  FaultHandle,
  FaultInjector,
  FaultPresetOptions,
  FaultResponse,
  ListenOptions,
  RecordedRequest,
  RequestMatcher,
} from "./emulators/common/index.js";
export {
  createHubSpotEmulator,
  HUBSPOT_FAULT_PRESETS,
  type HubSpotAssociationSeed,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
  type HubSpotFaultPreset,
  type HubSpotLimitsConfig,
  type HubSpotOAuthOptions,
  type HubSpotObjectType,
  type HubSpotOwnerSeed,
  type HubSpotPipelineSeed,
  type HubSpotPropertyDefinition,
  type HubSpotPropertyOption,
  type HubSpotPropertyType,
  type HubSpotRecordSeed,
  type HubSpotRecordView,
  type HubSpotStageSeed,
  type HubSpotState,
  type HubSpotTier,
  type HubSpotTokenSeed,
  type HubSpotWebhookSignInput,
  type StoredOwner,
  type StoredRecord,
  signHubSpotWebhook,
} from "./emulators/hubspot/index.js";
export {
  createPipedriveEmulator,
  PIPEDRIVE_FAULT_PRESETS,
  PIPEDRIVE_TOKEN_COSTS,
  type PipedriveCustomFieldSeed,
  type PipedriveCustomFieldType,
  type PipedriveEmulator,
  type PipedriveEmulatorOptions,
  type PipedriveEntityType,
  type PipedriveFaultPreset,
  type PipedriveFieldEntity,
  type PipedriveFieldOption,
  type PipedriveLimitOverrides,
  type PipedriveLimitsConfig,
  type PipedriveOAuthOptions,
  type PipedrivePipelineSeed,
  type PipedrivePlan as PipedriveEmulatorPlan,
  type PipedriveRecordedRequest,
  type PipedriveRecordSeed,
  type PipedriveStageSeed,
  type PipedriveState,
  type PipedriveTokenSeed,
  type PipedriveUserSeed,
  type PipedriveWebhookDelivery,
  type PipedriveWebhookInput,
} from "./emulators/pipedrive/index.js";
export {
  bookingScheduled,
  type EventInputOf,
  type FixtureOverrides,
  leadSubmitted,
  onboardingStarted,
  paymentFailed,
  paymentSucceeded,
  supportRequested,
} from "./event-fixtures.js";
export { createFakeClock, type FakeClock, type FakeClockOptions } from "./fake-clock.js";
export {
  BUILT_IN_FAKE_FIELDS,
  createFakeCrm,
  DEFAULT_FAKE_OWNERS,
  DEFAULT_FAKE_PIPELINES,
  type FakeBatchSizes,
  type FakeCall,
  type FakeCallFilter,
  type FakeCrm,
  type FakeCrmFaults,
  type FakeCrmMethod,
  type FakeCrmOptions,
  type FakeCrmProbe,
  type FakeRecordSeed,
  type FaultRule,
  type RandomFaultOptions,
} from "./fake-crm/index.js";
export {
  type ConformanceRunner as IdempotencyConformanceRunner,
  type IdempotencyStoreConformanceOptions,
  runIdempotencyStoreConformance,
} from "./idempotency-store-conformance.js";
export {
  type JournalConformanceOptions,
  type JournalConformanceRunner,
  runJournalConformance,
} from "./journal-conformance.js";
export {
  type RateLimitStoreConformanceOptions,
  type RateLimitStoreConformanceRunner,
  runRateLimitStoreConformance,
} from "./rate-limit-store-conformance.js";
