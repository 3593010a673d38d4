import { body, contactIntent, line } from "../build.js";
import type { BookingScheduledEvent } from "../events.js";
import { defineRecipe } from "../recipe.js";
import type { Intent } from "../types.js";

/**
 * `booking.scheduled`: the contact upserted by email; a meeting task due at the booking's start for the contact's
 * owner; a note with the booking; and, when `policy.pipelines.deal.bookingStage` is set, the open deal moves to
 * that stage (forward only).
 */
export const bookingScheduledRecipe = defineRecipe<BookingScheduledEvent>({
  type: "booking.scheduled",
  toIntents(event, { policy }) {
    const { booking } = event;
    const stage = policy.pipelines.deal.bookingStage;
    const items: Intent[] = [
      contactIntent(event.contact, { why: "the person who booked is upserted by email" }),
    ];
    if (stage !== undefined) {
      items.push({
        kind: "record",
        id: "deal",
        objectType: "deal",
        mode: "update_only",
        match: { by: "open_deal", contact: { step: "contact" } },
        properties: {},
        stage: { kind: "label", label: stage },
        why: `a booked meeting moves the open deal to ${JSON.stringify(stage)} (policy.pipelines.deal.bookingStage)`,
      });
    }
    const subject = policy.tasks.booking.subject;
    const details = body([
      line("Meeting", booking.meeting_type),
      line("Starts", booking.starts_at),
      line("Ends", booking.ends_at),
      line("Location", booking.location),
      `Booking ${booking.booking_id} via ${event.source_system}`,
    ]);
    items.push({
      kind: "task",
      id: "task",
      subject: booking.meeting_type === undefined ? subject : `${subject}: ${booking.meeting_type}`,
      body: details,
      dueAt: booking.starts_at,
      priority: "medium",
      attach: [{ step: "contact" }, ...(stage === undefined ? [] : [{ step: "deal", optional: true }])],
      owner: { from: "record", steps: [{ step: "contact" }] },
      why: "the meeting is on the contact owner's task list",
    });
    if (policy.notes.contact) {
      items.push({
        kind: "note",
        id: "note",
        body: details,
        timestamp: event.occurred_at,
        attach: [{ step: "contact" }],
        why: "the booking is recorded on the contact",
      });
    }
    return { items };
  },
});
