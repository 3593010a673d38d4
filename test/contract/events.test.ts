import { describe, expect, it } from "vitest";
import { BUILTIN_EVENT_TYPES, CanonicalEvent } from "../../src/contract/index.js";
import { type FixtureName, fixture } from "./fixtures.js";

describe("CanonicalEvent", () => {
  it("validates every built-in fixture as a schema, selecting the type by event_type", () => {
    const names: FixtureName[] = [
      "diagnostic-lead",
      "payment-succeeded",
      "payment-failed",
      "booking-scheduled",
      "support-requested",
      "onboarding-started",
    ];
    for (const name of names) expect(CanonicalEvent.safeParse(fixture(name)).success).toBe(true);
    expect(CanonicalEvent.safeParse(fixture("broken-lead")).success).toBe(false);
  });

  it("lists the six built-in types in documentation order", () => {
    expect(BUILTIN_EVENT_TYPES.map((definition) => definition.type)).toEqual([
      "lead.submitted",
      "payment.succeeded",
      "payment.failed",
      "booking.scheduled",
      "support.requested",
      "onboarding.started",
    ]);
    for (const definition of BUILTIN_EVENT_TYPES) expect(definition.description).toMatch(/\.$/);
  });
});
