import * as z from "zod";
import { bookingScheduledType } from "./booking.js";
import { leadSubmittedType } from "./lead.js";
import { onboardingStartedType } from "./onboarding.js";
import { paymentFailedType, paymentSucceededType } from "./payment.js";
import { supportRequestedType } from "./support.js";

/**
 * The built-in event type definitions, in documentation order. Pass your own beside them with
 * `createEventParser({ eventTypes })`; the built-ins are always included.
 *
 * @example
 * for (const { type, description } of BUILTIN_EVENT_TYPES) console.log(type, description);
 */
export const BUILTIN_EVENT_TYPES = [
  leadSubmittedType,
  paymentSucceededType,
  paymentFailedType,
  bookingScheduledType,
  supportRequestedType,
  onboardingStartedType,
] as const;

/** The `event_type` of a built-in event. */
export type CanonicalEventType = (typeof BUILTIN_EVENT_TYPES)[number]["type"];

/**
 * Every built-in event, discriminated by `event_type`. As a schema it validates any built-in event; as a type it
 * is what `parseEvent` returns, narrowed with `switch (event.event_type)`.
 *
 * @example
 * const result = parseEvent(body);
 * if (result.isOk() && result.value.event_type === "lead.submitted") console.log(result.value.contact.email);
 */
export const CanonicalEvent = z.discriminatedUnion("event_type", [
  leadSubmittedType.schema,
  paymentSucceededType.schema,
  paymentFailedType.schema,
  bookingScheduledType.schema,
  supportRequestedType.schema,
  onboardingStartedType.schema,
]);

/** A parsed built-in event. */
export type CanonicalEvent = z.output<typeof CanonicalEvent>;

/** What a producer sends for a built-in event (before normalization and defaults). */
export type CanonicalEventInput = z.input<typeof CanonicalEvent>;
