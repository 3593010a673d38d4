/**
 * Every size limit the contract enforces. A value past a limit is an issue (`too_big`) naming the limit, never a
 * silent truncation. Lengths count UTF-16 code units, as JavaScript's `string.length` does.
 *
 * @example
 * if (summary.length > CONTRACT_LIMITS.freeText) summary = summary.slice(0, CONTRACT_LIMITS.freeText);
 */
export const CONTRACT_LIMITS = {
  /** Identifiers: `event_id`, `source_record_id`, `correlation_id`, `payment_id`, `booking_id`, `ticket_ref`. */
  id: 255,
  /** `event_type`, including custom types registered with `defineEventType`. */
  eventType: 64,
  /** `source_system` (it is part of the derived idempotency key). */
  sourceSystem: 64,
  /** `idempotency_key`, sent or derived (the idempotency stores accept keys up to this length). */
  idempotencyKey: 255,
  /** `contract_version`. */
  contractVersion: 16,
  /** An email address (RFC 5321 path limit). */
  email: 254,
  /** A phone number as sent, before normalization to E.164. */
  phone: 64,
  /** A company domain as sent; a full URL is accepted, so this is a URL length. */
  domainInput: 2048,
  /** A normalized domain name (RFC 1035). */
  domain: 253,
  /** An ISO-8601 timestamp as sent. */
  timestamp: 64,
  /** Names and short labels: names, job title, company name, budget range, urgency, plan, product, provider. */
  name: 200,
  /** One-line texts: ticket subject, booking location, UTM values, pipeline and owner-role names. */
  text: 1000,
  /** Free text: `lead.pain_summary`, `ticket.description`. */
  freeText: 10_000,
  /** One entry of `lead.detected_stack` or of `onboarding.tasks`. */
  listItem: 200,
  /** Entries in `lead.detected_stack`. */
  detectedStack: 50,
  /** Entries in `onboarding.tasks`. */
  tasks: 50,
  /** `raw`, measured as UTF-8 bytes of its JSON serialization. */
  rawBytes: 65_536,
  /** Nesting depth of the whole event (the event object itself is depth 1). */
  depth: 32,
  /** Values (objects, arrays and primitives) in the whole event, unknown keys and `raw` included. */
  nodes: 10_000,
} as const;

/** The shape of {@link CONTRACT_LIMITS}. */
export type ContractLimits = typeof CONTRACT_LIMITS;
