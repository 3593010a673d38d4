import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type BookingScheduled,
  type CanonicalEvent,
  CONTRACT_VERSION,
  type LeadSubmitted,
  type OnboardingStarted,
  type PaymentFailed,
  type PaymentSucceeded,
  parseEvent,
  type SupportRequested,
} from "../../src/contract/index.js";
import {
  type BookingScheduledEvent,
  type LeadSubmittedEvent,
  type OnboardingStartedEvent,
  type PaymentEvent,
  type RecipeEvent,
  type SupportRequestedEvent,
  toIntents,
} from "../../src/intents/index.js";
import { leadEvent } from "../planner/builders.js";

// The recipes read events through structural types (src/intents/events.ts); these checks fail the typecheck when
// the contract's parsed types drift away from them.
describe("recipe event types", () => {
  it("accept every parsed canonical event", () => {
    expectTypeOf<CanonicalEvent>().toExtend<RecipeEvent>();
    expectTypeOf<LeadSubmitted>().toExtend<LeadSubmittedEvent>();
    expectTypeOf<PaymentSucceeded>().toExtend<PaymentEvent>();
    expectTypeOf<PaymentFailed>().toExtend<PaymentEvent>();
    expectTypeOf<BookingScheduled>().toExtend<BookingScheduledEvent>();
    expectTypeOf<SupportRequested>().toExtend<SupportRequestedEvent>();
    expectTypeOf<OnboardingStarted>().toExtend<OnboardingStartedEvent>();
    expect(toIntents(leadEvent()).isOk()).toBe(true);
  });

  it("turn a parsed wire-format lead from a free-mail address into intents without a company", () => {
    const parsed = parseEvent({
      event_id: "evt_1",
      event_type: "lead.submitted",
      contract_version: CONTRACT_VERSION,
      source_system: "webflow",
      source_record_id: "sub_1",
      occurred_at: "2025-03-04T10:00:00Z",
      correlation_id: "corr_1",
      contact: { email: " Ann@Gmail.com " },
      lead: { consent_to_contact: true },
      routing: { qualification_status: "qualified", lead_score: 70, routing_tier: "standard" },
    });
    const intents = parsed.andThen((event) => toIntents(event))._unsafeUnwrap();
    expect(intents.items.map((item) => item.id)).toEqual(["contact", "deal", "deal-contact", "note"]);
    expect(intents.items[0]).toMatchObject({ match: { by: "key", field: "email", value: "ann@gmail.com" } });
    expect(intents.event.idempotencyKey).toBe("lead.submitted:webflow:sub_1");
  });
});
