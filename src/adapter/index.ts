// The adapter module: the SPI every CRM implements (crm-adapter.ts, define-adapter.ts) and the shared HTTP
// transport with retries and auth that the built-in adapters use.

// Building blocks the vendor adapters share (internal: `src/index.ts` does not re-export them).
export { noteWrite, taskWrite } from "./activity-writes.js";
export {
  type ResolveAdapterLimiterOptions,
  type ResolvedLimiter,
  resolveAdapterLimiter,
} from "./adapter-limiter.js";
export {
  type AdapterTransportOptions,
  DEFAULT_METADATA_TTL_MS,
  transportOptionsOf,
} from "./adapter-options.js";
export type { BearerAuth, HeaderAuth, NoAuth, TransportAuth } from "./auth.js";
export {
  type AdapterCallContext,
  type AdapterCapabilities,
  type AssociationTarget,
  type BatchItemResult,
  CRM_OBJECT_TYPES,
  type CrmAdapter,
  type CrmObjectType,
  type CrmOwner,
  type CrmPipeline,
  type CrmProperties,
  type CrmRecord,
  type CrmStage,
  type CrmValue,
  DEFAULT_RECORD_ORDER,
  type FieldMeta,
  type FieldType,
  type FindQuery,
  type LookupReport,
  type NoteInput,
  type OpenDealsQuery,
  type RecordObjectType,
  type RecordRef,
  type TaskInput,
  type UpdateInput,
  type UpsertInput,
  type UpsertResult,
  type WriteInput,
} from "./crm-adapter.js";
export { defineAdapter } from "./define-adapter.js";
export type {
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  TransportEvent,
  TransportHooks,
  TransportLogger,
} from "./hooks.js";
export {
  createOAuthTokenProvider,
  type OAuthTokenProvider,
  type OAuthTokenProviderOptions,
  type OAuthTokens,
} from "./oauth-token-provider.js";
export {
  createOptionChecks,
  isTimeZone,
  type OptionChecks,
  type OptionChecksOptions,
} from "./option-checks.js";
export type { ExpectBody } from "./response-body.js";
export {
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRY_TIME_MS,
  DEFAULT_MIN_DELAY_MS,
  DEFAULT_RETRIES,
  type RetryOptions,
} from "./retry.js";
export { type ParseRetryAfterOptions, parseRetryAfter } from "./retry-after.js";
export { defaultToCrmError, type ErrorResponse, type ToCrmError } from "./to-crm-error.js";
export {
  type AccessToken,
  type GetTokenOptions,
  type StaticTokenOptions,
  staticToken,
  type TokenProvider,
} from "./token-provider.js";
export { createTransport } from "./transport.js";
export {
  DEFAULT_REQUEST_ID_HEADERS,
  DEFAULT_TIMEOUT_MS,
  type SearchParams,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from "./transport-types.js";
export { createTtlCache, type TtlCache, type TtlCacheOptions } from "./ttl-cache.js";
export { parseWebhookJson, webhookContractError } from "./webhook-body.js";
export { readHeader, safeEqual, WebhookError, type WebhookHeaders } from "./webhook-verify.js";
