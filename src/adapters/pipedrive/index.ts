/**
 * The Pipedrive adapter (`crmkit/pipedrive`): the CRM adapter, its error mapping and token-cost table, and webhook
 * verification and parsing.
 * @module
 */
export { createPipedriveAdapter, PIPEDRIVE_API_URL, type PipedriveAdapter } from "./adapter.js";
export { PIPEDRIVE_OPERATION_COSTS } from "./costs.js";
export { type ClassifiedPipedriveError, classifyPipedriveError, toPipedriveCrmError } from "./errors.js";
export type { PipedriveAdapterLimits } from "./limits.js";
export type {
  PipedriveAdapterOptions,
  PipedriveDomainStrategy,
  PipedriveFieldMap,
  PipedriveStatusStages,
} from "./options.js";
export {
  type PipedriveWebhookAction,
  type PipedriveWebhookChangeEvent,
  type PipedriveWebhookCreateEvent,
  type PipedriveWebhookDeleteEvent,
  type PipedriveWebhookEntity,
  PipedriveWebhookError,
  type PipedriveWebhookErrorCode,
  type PipedriveWebhookEvent,
  type PipedriveWebhookHeaders,
  parsePipedriveWebhook,
  type VerifyPipedriveWebhookInput,
  verifyPipedriveWebhook,
} from "./webhooks.js";
