import * as z from "zod";
import { CONTRACT_LIMITS } from "./bounds.js";
import { defineEventType } from "./define-event-type.js";
import { Identifier, optionalText, Timestamp } from "./fields.js";
import { Contact } from "./parties.js";

/**
 * A scheduled meeting. `ends_at`, when present, must not be before `starts_at`.
 *
 * @example
 * Booking.parse({ booking_id: "bk_1", starts_at: "2024-05-02T15:00:00+02:00" }); // starts_at → UTC
 */
export const Booking = z
  .object({
    booking_id: Identifier,
    starts_at: Timestamp,
    ends_at: Timestamp.optional(),
    meeting_type: optionalText(CONTRACT_LIMITS.name),
    location: optionalText(CONTRACT_LIMITS.text),
  })
  .superRefine((booking, ctx) => {
    // Both values are canonical UTC strings here, so string order is time order.
    if (booking.ends_at !== undefined && booking.ends_at < booking.starts_at) {
      ctx.addIssue({
        code: "custom",
        path: ["ends_at"],
        params: { code: "ends_before_start" },
        message: `is before starts_at (${booking.starts_at}); send the meeting's end, or leave ends_at out`,
      });
    }
  });

/** A parsed {@link Booking} block. */
export type Booking = z.output<typeof Booking>;

/** The `booking.scheduled` event type definition. */
export const bookingScheduledType = defineEventType({
  type: "booking.scheduled",
  description: "A contact booked a meeting (demo, discovery call, onboarding session).",
  schema: z.object({ contact: Contact, booking: Booking }),
});

/**
 * `booking.scheduled`: the contact booked a meeting.
 *
 * @example
 * BookingScheduled.parse(body).booking.starts_at; // "2024-05-02T13:00:00.000Z"
 */
export const BookingScheduled = bookingScheduledType.schema;

/** A parsed `booking.scheduled` event. */
export type BookingScheduled = z.output<typeof BookingScheduled>;
