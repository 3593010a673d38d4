/**
 * The HubSpot adapter (`crmkit/hubspot`): the CRM adapter, its error mapping, association type table and webhook
 * verification and parsing.
 * @module
 */
export { createHubSpotAdapter, HUBSPOT_API_URL, type HubSpotAdapter } from "./adapter.js";
export {
  HUBSPOT_ASSOCIATION_TYPES,
  HUBSPOT_OBJECT_TYPES,
  type HubSpotAssociationSpec,
  type HubSpotAssociationTypeTable,
} from "./associations.js";
export { type HubSpotErrorOptions, toHubSpotCrmError } from "./errors.js";
export type { HubSpotFieldMap } from "./fields.js";
export type { HubSpotAdapterLimits } from "./limits.js";
export { DEFAULT_EXTERNAL_REF_PROPERTY, DEFAULT_HUBSPOT_PROPERTIES } from "./mapping.js";
export type { HubSpotAdapterOptions, HubSpotOAuthOptions } from "./options.js";
export type { HubSpotApiVersion } from "./paths.js";
export { HUBSPOT_SEARCH_LIMITS } from "./search.js";
export {
  HUBSPOT_WEBHOOK_MAX_AGE_MS,
  type HubSpotAssociationChangeEvent,
  type HubSpotLifecycleEvent,
  type HubSpotMergeEvent,
  type HubSpotOtherEvent,
  type HubSpotPropertyChangeEvent,
  HubSpotWebhookError,
  type HubSpotWebhookErrorCode,
  type HubSpotWebhookEvent,
  type HubSpotWebhookObjectType,
  parseHubSpotWebhook,
  type VerifyHubSpotSignatureInput,
  verifyHubSpotSignature,
  type WebhookHeaders,
} from "./webhooks.js";
