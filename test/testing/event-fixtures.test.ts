import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEvent } from "../../src/contract/index.js";
import { createSync } from "../../src/executor/index.js";
import { createMemoryIdempotencyStore } from "../../src/idempotency/index.js";
import { createPlanPolicy } from "../../src/planner/index.js";
import {
  bookingScheduled,
  leadSubmitted,
  onboardingStarted,
  paymentFailed,
  paymentSucceeded,
  supportRequested,
} from "../../src/testing/event-fixtures.js";
import { createFakeCrm } from "../../src/testing/fake-crm/index.js";

const builders = {
  "lead.submitted": leadSubmitted,
  "payment.succeeded": paymentSucceeded,
  "payment.failed": paymentFailed,
  "booking.scheduled": bookingScheduled,
  "support.requested": supportRequested,
  "onboarding.started": onboardingStarted,
} as const;

describe("event fixtures", () => {
  it.each(Object.entries(builders))(
    "%s builds an event that parses, with its own event_type",
    (type, build) => {
      const event = build();
      const parsed = parseEvent(event);
      expect(parsed.isOk() ? parsed.value.event_type : parsed.error.issues).toBe(type);
    },
  );

  it("deep-merges overrides: objects key by key, arrays replaced, undefined removes the key", () => {
    const lead = leadSubmitted({
      contact: { email: "cfo@globex.test" },
      lead: { detected_stack: ["HubSpot"] },
      company: undefined,
    });
    expect(lead.contact).toMatchObject({ email: "cfo@globex.test", first_name: "Olivia", last_name: "Park" });
    expect(lead.lead?.detected_stack).toEqual(["HubSpot"]);
    expect("company" in lead).toBe(false);
    expect(parseEvent(lead).isOk()).toBe(true);
    const onboarding = onboardingStarted({ onboarding: { tasks: ["Kick-off"] } });
    expect(onboarding.onboarding.tasks).toEqual(["Kick-off"]);
  });

  it("builds equal events for equal overrides (a redelivery) and fresh ids for any difference (property)", () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.emailAddress(), (a, b) => {
        const first = leadSubmitted({ contact: { email: a } });
        expect(leadSubmitted({ contact: { email: a } })).toEqual(first);
        const second = leadSubmitted({ contact: { email: b } });
        if (a !== b) {
          expect(second.event_id).not.toBe(first.event_id);
          expect(second.source_record_id).not.toBe(first.source_record_id);
        }
      }),
    );
  });

  it("hands out a fresh object every time, sharing nothing with the overrides", () => {
    const first = leadSubmitted();
    first.contact.email = "changed@acme.test";
    expect(leadSubmitted().contact.email).toBe("ops@acme.test");
    const stack = ["HubSpot"];
    const lead = leadSubmitted({ lead: { detected_stack: stack } });
    lead.lead?.detected_stack?.push("Stripe");
    expect(stack).toEqual(["HubSpot"]);
  });

  it("throws a TypeError naming the fixture for overrides that are not a plain object", () => {
    expect(() => leadSubmitted([] as never)).toThrow(/lead\.submitted fixture overrides/);
  });

  it("compose on the fake CRM: the default payment wins the default lead's deal and starts onboarding", async () => {
    const { adapter, probe } = createFakeCrm();
    const sync = createSync({
      adapter,
      idempotency: createMemoryIdempotencyStore(),
      policy: createPlanPolicy({ routing: [{ role: "account_executive", owner: "alex@example.com" }] }),
    });
    expect((await sync.run(leadSubmitted()))._unsafeUnwrap().status).toBe("applied");
    expect((await sync.run(leadSubmitted()))._unsafeUnwrap().status).toBe("replayed");
    expect((await sync.run(paymentSucceeded()))._unsafeUnwrap().status).toBe("applied");
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.list("deal")).toHaveLength(1);
    expect(probe.list("deal")[0]?.properties["stage_id"]).toBe("closed_won");
    expect(probe.list("task").length).toBeGreaterThan(0);
  });
});
