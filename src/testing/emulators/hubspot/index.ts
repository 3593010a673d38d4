/**
 * HTTP-level HubSpot emulator for tests (`crmkit/testing`).
 * @module
 */
export { createHubSpotEmulator, type HubSpotEmulator, type HubSpotRecordView } from "./emulator.js";
export { HUBSPOT_FAULT_PRESETS, type HubSpotFaultPreset } from "./faults.js";
export type { HubSpotLimitsConfig } from "./limits.js";
export type { HubSpotState, StoredOwner, StoredRecord } from "./store.js";
export type {
  HubSpotAssociationSeed,
  HubSpotEmulatorOptions,
  HubSpotOAuthOptions,
  HubSpotObjectType,
  HubSpotOwnerSeed,
  HubSpotPipelineSeed,
  HubSpotPropertyDefinition,
  HubSpotPropertyOption,
  HubSpotPropertyType,
  HubSpotRecordSeed,
  HubSpotStageSeed,
  HubSpotTier,
  HubSpotTokenSeed,
} from "./types.js";
export { type HubSpotWebhookSignInput, signHubSpotWebhook } from "./webhooks.js";
