import { createHash } from "node:crypto";
import type { CanonicalEventInput, CanonicalEventType } from "../contract/index.js";
import { canonicalJson } from "../idempotency/index.js";
import { isPlainObject } from "../internal/plain-object.js";

/** What a producer sends for the built-in event type `T`: the wire format the fixture builders return. */
export type EventInputOf<T extends CanonicalEventType> = Extract<CanonicalEventInput, { event_type: T }>;

/**
 * Overrides for a fixture: plain objects merge key by key at any depth, anything else (arrays included) replaces
 * the default, and `undefined` removes the key, e.g. `leadSubmitted({ company: undefined })` for a lead without
 * a company.
 */
export type FixtureOverrides<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends readonly unknown[]
    ? T[K] | undefined
    : NonNullable<T[K]> extends object
      ? FixtureOverrides<NonNullable<T[K]>> | undefined
      : T[K] | undefined;
};

// Fixtures describe one small account, so the builders compose: the default payment pays for the default lead's
// contact, the default onboarding starts for the same contact, and so on. `.test` names never resolve.
const CONTACT = "ops@acme.test";

const DEFAULTS: { readonly [T in CanonicalEventType]: (ids: Ids) => EventInputOf<T> } = {
  "lead.submitted": (ids) => ({
    ...envelope("lead.submitted", "webflow", ids, "2026-05-01T10:00:00Z"),
    contact: { email: CONTACT, first_name: "Olivia", last_name: "Park", job_title: "Head of Operations" },
    company: { name: "Acme Inc", domain: "acme.test" },
    lead: {
      consent_to_contact: true,
      pain_summary: "Leads sit in a spreadsheet for days.",
      urgency: "this_quarter",
    },
    routing: {
      qualification_status: "qualified",
      lead_score: 82,
      routing_tier: "priority",
      target_owner_role: "account_executive",
      confidence: 0.91,
      manual_review_required: false,
    },
  }),
  "payment.succeeded": (ids) => ({
    ...envelope("payment.succeeded", "stripe", ids, "2026-05-14T09:30:00Z"),
    contact: { email: CONTACT },
    payment: {
      provider: "stripe",
      payment_id: `pi_${ids.digest}`,
      amount: 490_000,
      currency: "usd",
      plan: "sprint",
    },
  }),
  "payment.failed": (ids) => ({
    ...envelope("payment.failed", "stripe", ids, "2026-05-14T09:31:00Z"),
    contact: { email: CONTACT },
    payment: { provider: "stripe", payment_id: `pi_${ids.digest}`, amount: 490_000, currency: "usd" },
  }),
  "booking.scheduled": (ids) => ({
    ...envelope("booking.scheduled", "cal.com", ids, "2026-05-02T08:15:00Z"),
    contact: { email: CONTACT, full_name: "Olivia Park" },
    booking: {
      booking_id: `bk_${ids.digest}`,
      starts_at: "2026-05-06T15:00:00Z",
      ends_at: "2026-05-06T15:30:00Z",
      meeting_type: "discovery_call",
    },
  }),
  "support.requested": (ids) => ({
    ...envelope("support.requested", "helpdesk", ids, "2026-06-03T14:22:05Z"),
    contact: { email: CONTACT },
    company: { name: "Acme Inc", domain: "acme.test" },
    ticket: {
      ticket_ref: `T-${ids.digest}`,
      subject: "Deals stopped syncing after the pipeline rename",
      priority: "high",
    },
  }),
  "onboarding.started": (ids) => ({
    ...envelope("onboarding.started", "app", ids, "2026-05-15T07:00:00Z"),
    contact: { email: CONTACT },
    onboarding: { plan: "sprint", tasks: ["Connect the CRM", "Map pipeline stages"] },
  }),
};

interface Ids {
  /** 12 hex characters derived from the event type and the overrides. */
  readonly digest: string;
}

function envelope<T extends CanonicalEventType>(type: T, source: string, ids: Ids, occurredAt: string) {
  const short = type.split(".")[0];
  return {
    event_id: `evt_${short}_${ids.digest}`,
    event_type: type,
    contract_version: "1.0" as const,
    source_system: source,
    source_record_id: `${short}_${ids.digest}`,
    occurred_at: occurredAt,
    correlation_id: `req_${ids.digest}`,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && isPlainObject(value);
}

function merge(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(overrides)) {
    const value = overrides[key];
    const current = out[key];
    if (value === undefined) delete out[key];
    else if (isRecord(value) && isRecord(current)) out[key] = merge(current, value);
    // A copy, so a test that changes the event it got never changes the arrays or objects it passed in.
    else out[key] = structuredClone(value);
  }
  return out;
}

// Equal overrides give equal ids, so building a fixture twice is a redelivery of one event; any other difference
// gives fresh ids, so two leads with different emails never collide on an idempotency key.
function build<T extends CanonicalEventType>(type: T, overrides: object | undefined): EventInputOf<T> {
  const given = (overrides ?? {}) as Record<string, unknown>;
  if (!isRecord(given)) {
    throw new TypeError(`crmkit/testing: ${type} fixture overrides must be a plain object`);
  }
  const digest = createHash("sha256")
    .update(canonicalJson({ type, overrides: given }))
    .digest("hex")
    .slice(0, 12);
  const base = DEFAULTS[type]({ digest }) as unknown as Record<string, unknown>;
  return merge(base, given) as unknown as EventInputOf<T>;
}

/**
 * A valid `lead.submitted` event in the wire format: a qualified, consenting lead (`ops@acme.test` at Acme Inc,
 * `acme.test`) routed to an account executive, with deep-merged `overrides`.
 *
 * @example
 * await sync.run(leadSubmitted({ contact: { email: "cfo@globex.test" }, company: { domain: "globex.test" } }));
 * leadSubmitted({ routing: { qualification_status: "unqualified" } }); // no deal
 * leadSubmitted({ company: undefined }); // no company block
 */
export function leadSubmitted(
  overrides?: FixtureOverrides<EventInputOf<"lead.submitted">>,
): EventInputOf<"lead.submitted"> {
  return build("lead.submitted", overrides);
}

/**
 * A valid `payment.succeeded` event: the default lead's contact pays 4,900.00 USD for the `sprint` plan.
 *
 * @example
 * await sync.run(leadSubmitted());
 * await sync.run(paymentSucceeded()); // the lead's open deal moves to won, an onboarding task is created
 */
export function paymentSucceeded(
  overrides?: FixtureOverrides<EventInputOf<"payment.succeeded">>,
): EventInputOf<"payment.succeeded"> {
  return build("payment.succeeded", overrides);
}

/**
 * A valid `payment.failed` event for the default contact.
 *
 * @example
 * await sync.run(paymentFailed({ payment: { amount: 1_000 } }));
 */
export function paymentFailed(
  overrides?: FixtureOverrides<EventInputOf<"payment.failed">>,
): EventInputOf<"payment.failed"> {
  return build("payment.failed", overrides);
}

/**
 * A valid `booking.scheduled` event: a 30-minute discovery call for the default contact.
 *
 * @example
 * await sync.run(bookingScheduled({ booking: { meeting_type: "demo" } }));
 */
export function bookingScheduled(
  overrides?: FixtureOverrides<EventInputOf<"booking.scheduled">>,
): EventInputOf<"booking.scheduled"> {
  return build("booking.scheduled", overrides);
}

/**
 * A valid `support.requested` event: a high-priority ticket from the default contact at Acme Inc.
 *
 * @example
 * await sync.run(supportRequested({ ticket: { ticket_ref: "T-1042" } })); // redelivered: the same ticket
 */
export function supportRequested(
  overrides?: FixtureOverrides<EventInputOf<"support.requested">>,
): EventInputOf<"support.requested"> {
  return build("support.requested", overrides);
}

/**
 * A valid `onboarding.started` event for the default contact, with two onboarding tasks.
 *
 * @example
 * await sync.run(onboardingStarted({ onboarding: { tasks: ["Kick-off call"] } }));
 */
export function onboardingStarted(
  overrides?: FixtureOverrides<EventInputOf<"onboarding.started">>,
): EventInputOf<"onboarding.started"> {
  return build("onboarding.started", overrides);
}
