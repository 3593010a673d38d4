export { type CalendarPeriod, calendarPeriod } from "./calendar.js";
export { genericObserver, retryAfterMs } from "./headers.js";
export { createRateLimiter, type RateLimiterOptions } from "./limiter.js";
export {
  createMemoryRateLimitStore,
  type MemoryRateLimitStore,
  type MemoryRateLimitStoreOptions,
} from "./memory-store.js";
export { resolvePolicies as resolveRateLimitPolicies } from "./policies.js";
export {
  HUBSPOT_LIMIT_INCREASE,
  HUBSPOT_PUBLIC_APP_TEN_SECONDLY,
  HUBSPOT_SEARCH_PER_SECOND,
  HUBSPOT_TIERS,
  type HubSpotLimitsOptions,
  type HubSpotTier,
  hubspotLimits,
} from "./presets/hubspot.js";
export {
  PIPEDRIVE_BASE_DAILY_TOKENS,
  PIPEDRIVE_OAUTH_BURST_MULTIPLIER,
  PIPEDRIVE_PLANS,
  PIPEDRIVE_SEARCH_PER_TWO_SECONDS,
  type PipedriveLimitsOptions,
  type PipedrivePlan,
  pipedriveLimits,
} from "./presets/pipedrive.js";
export type { RateLimitPreset } from "./presets/preset.js";
export {
  SALESFORCE_LONG_RUNNING_CONCURRENCY,
  SALESFORCE_WINDOW_MS,
  type SalesforceLimitsOptions,
  salesforceLimits,
} from "./presets/salesforce.js";
export {
  ZOHO_EDITIONS,
  ZOHO_HEAVY_CONCURRENCY,
  type ZohoEdition,
  type ZohoLimitsOptions,
  zohoLimits,
} from "./presets/zoho.js";
export type {
  MaybePromise,
  RateLimitStore,
  ResolvedPolicy,
  StoreAcquireEntry,
  StoreAcquireRequest,
  StoreAcquireResult,
  StorePolicyUsage,
  StoreScopeStats,
} from "./store.js";
export type {
  AcquireOptions,
  CalendarPolicy,
  ConcurrencyPolicy,
  HeaderObserver,
  ObserveAdvice,
  ObservedResponse,
  Permit,
  PolicyBase,
  RateLimiter,
  RateLimitPolicy,
  RateLimitStats,
  RollingCounterPolicy,
  SlidingWindowPolicy,
} from "./types.js";
