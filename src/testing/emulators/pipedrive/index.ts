/**
 * HTTP-level Pipedrive emulator for tests (`crmkit/testing`).
 * @module
 */
export { PIPEDRIVE_TOKEN_COSTS } from "./costs.js";
export {
  createPipedriveEmulator,
  type PipedriveEmulator,
  type PipedriveRecordedRequest,
} from "./emulator.js";
export { PIPEDRIVE_FAULT_PRESETS, type PipedriveFaultPreset } from "./faults.js";
export type { StoredField } from "./fields.js";
export type { PipedriveLimitsConfig } from "./limits.js";
export type {
  PipedriveState,
  StoredEntity,
  StoredPipeline,
  StoredStage,
  StoredUser,
  StoredWebhook,
} from "./store.js";
export type {
  PipedriveCustomFieldSeed,
  PipedriveCustomFieldType,
  PipedriveEmulatorOptions,
  PipedriveEntityType,
  PipedriveFieldEntity,
  PipedriveFieldOption,
  PipedriveLimitOverrides,
  PipedriveOAuthOptions,
  PipedrivePipelineSeed,
  PipedrivePlan,
  PipedriveRecordSeed,
  PipedriveStageSeed,
  PipedriveTokenSeed,
  PipedriveUserSeed,
} from "./types.js";
export type {
  PipedriveWebhookDelivery,
  PipedriveWebhookEntity,
  PipedriveWebhookInput,
} from "./webhooks.js";
