/**
 * The canonical event contract: schemas, normalizers, parsing and JSON Schema export.
 * @module
 */
export { Booking, BookingScheduled } from "./booking.js";
export { CONTRACT_LIMITS, type ContractLimits } from "./bounds.js";
export {
  type DefineEventTypeOptions,
  defineEventType,
  type EventObjectSchema,
  type EventOf,
  type EventOutput,
  type EventSchema,
  type EventTypeDefinition,
} from "./define-event-type.js";
export {
  deriveIdempotencyKey,
  Envelope,
  EVENT_TYPE_PATTERN,
  type IdempotencyKeyParts,
  SOURCE_SYSTEM_PATTERN,
} from "./envelope.js";
export {
  BUILTIN_EVENT_TYPES,
  CanonicalEvent,
  type CanonicalEventInput,
  type CanonicalEventType,
} from "./events.js";
export {
  CurrencyCode,
  DomainName,
  EmailAddress,
  Identifier,
  OptionalDomainName,
  OptionalPhoneNumber,
  optionalText,
  PhoneNumber,
  requiredText,
  Timestamp,
} from "./fields.js";
export { FREE_MAIL_DOMAINS, isFreeMailDomain } from "./free-mail.js";
export { canonicalEventJsonSchema, eventJsonSchema, type JsonSchema } from "./json-schema.js";
export { LeadDetails, LeadSubmitted, Utm } from "./lead.js";
export { normalizeDomain } from "./normalize-domain.js";
export { normalizeEmail } from "./normalize-email.js";
export { type NormalizePhoneOptions, normalizePhone, type PhoneRegion } from "./normalize-phone.js";
export { normalizeTimestamp } from "./normalize-timestamp.js";
export { Onboarding, OnboardingStarted } from "./onboarding.js";
export {
  createEventParser,
  type EventParser,
  type EventParserOptions,
  type ParseEventOptions,
  parseEvent,
} from "./parse.js";
export { Company, Contact, emailDomain } from "./parties.js";
export { Payment, PaymentFailed, PaymentSucceeded } from "./payment.js";
export {
  DEFAULT_MIN_CONFIDENCE,
  type ManualReviewOptions,
  needsManualReview,
  QUALIFICATION_STATUSES,
  ROUTING_TIERS,
  Routing,
  type RoutingReviewReason,
  routingReviewReasons,
} from "./routing.js";
export { SupportRequested, TICKET_PRIORITIES, Ticket } from "./support.js";
export {
  CONTRACT_MAJOR_VERSION,
  CONTRACT_VERSION,
  isSupportedContractVersion,
} from "./version.js";
