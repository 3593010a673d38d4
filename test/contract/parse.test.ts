import { describe, expect, it } from "vitest";
import { createEventParser, parseEvent } from "../../src/contract/index.js";
import { isContractError } from "../../src/errors/index.js";
import { fixture, lead } from "./fixtures.js";

describe("parseEvent", () => {
  it("parses a fixture of every built-in event type", () => {
    const names = [
      "diagnostic-lead",
      "payment-succeeded",
      "payment-failed",
      "booking-scheduled",
      "support-requested",
      "onboarding-started",
    ] as const;
    const types = names.map((name) => parseEvent(fixture(name))._unsafeUnwrap().event_type);
    expect(types).toEqual([
      "lead.submitted",
      "payment.succeeded",
      "payment.failed",
      "booking.scheduled",
      "support.requested",
      "onboarding.started",
    ]);
  });

  it.each([
    [null, "null"],
    ["{}", 'the string "{}" (did you forget JSON.parse?)'],
    [42, "the number 42"],
    [[1, 2], "an array of 2"],
    [undefined, "a undefined"],
  ])("reports a non-object input %j as one issue at the root", (input, described) => {
    const error = parseEvent(input)._unsafeUnwrapErr();
    expect(error.issues).toEqual([
      {
        path: [],
        field: "(root)",
        code: "invalid_type",
        message: `must be an event object; got ${described}`,
      },
    ]);
  });

  it("reports an unknown event_type as one issue listing every known type, plus envelope issues", () => {
    const error = parseEvent({ event_type: "lead.submited", event_id: "evt_1" })._unsafeUnwrapErr();
    const [typeIssue, ...rest] = error.issues;
    expect(typeIssue).toMatchObject({ field: "event_type", code: "unknown_event_type" });
    expect(typeIssue?.message).toBe(
      'the string "lead.submited" is not a known event type; send one of: lead.submitted, payment.succeeded, ' +
        "payment.failed, booking.scheduled, support.requested, onboarding.started (or register your own with defineEventType)",
    );
    expect(rest.map((issue) => issue.field)).toEqual([
      "contract_version",
      "source_system",
      "source_record_id",
      "occurred_at",
      "correlation_id",
    ]);
    expect(error.eventType).toBeUndefined();
  });

  it("reports a missing event_type as required", () => {
    const input = lead();
    delete input["event_type"];
    const error = parseEvent(input)._unsafeUnwrapErr();
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toMatch(/^is required; send one of: lead\.submitted/);
  });

  it("returns a ContractError whose action is review and whose summary names the first issue", () => {
    const error = parseEvent(fixture("broken-lead"))._unsafeUnwrapErr();
    expect(isContractError(error)).toBe(true);
    expect(error.action).toBe("review");
    expect(error.message).toMatch(/^occurred_at: .* \(and 7 more issues\)$/);
  });

  it("never throws on a hostile input whose getter throws", () => {
    const hostile = Object.defineProperty({ event_type: "lead.submitted" }, "contact", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    const error = parseEvent(hostile)._unsafeUnwrapErr();
    expect(error.issues).toEqual([expect.objectContaining({ code: "unreadable_input", field: "(root)" })]);
  });

  it("never throws on a Proxy that throws on every trap", () => {
    const trap = () => {
      throw new Error("trap");
    };
    const proxy = new Proxy({}, { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, has: trap });
    expect(parseEvent(proxy)._unsafeUnwrapErr().issues[0]?.code).toBe("unreadable_input");
  });

  it("accepts a Date for a timestamp by using its ISO form", () => {
    const event = parseEvent(lead({ occurred_at: new Date("2024-05-01T10:00:00Z") }))._unsafeUnwrap();
    expect(event.occurred_at).toBe("2024-05-01T10:00:00.000Z");
  });

  it("applies defaultRegion to national phone numbers", () => {
    const input = lead({ contact: { phone: "(415) 555-0132" } });
    expect(parseEvent(input).isErr()).toBe(true);
    const event = parseEvent(input, { defaultRegion: "US" })._unsafeUnwrap();
    expect(event.contact.phone).toBe("+14155550132");
  });

  it("throws a RangeError naming defaultRegion for an unknown region", () => {
    expect(() => parseEvent(lead(), { defaultRegion: "ZZ" as never })).toThrow(/`defaultRegion`/);
  });
});

describe("createEventParser", () => {
  it("lists the built-in event types", () => {
    expect(createEventParser().eventTypes).toEqual([
      "lead.submitted",
      "payment.succeeded",
      "payment.failed",
      "booking.scheduled",
      "support.requested",
      "onboarding.started",
    ]);
  });

  it("keeps its defaultRegion to itself", () => {
    const german = createEventParser({ defaultRegion: "DE" });
    const input = lead({ contact: { phone: "030 901820" } });
    expect(german.parse(input)._unsafeUnwrap().contact.phone).toBe("+4930901820");
    expect(parseEvent(input).isErr()).toBe(true);
  });

  it("throws naming defaultRegion at construction", () => {
    expect(() => createEventParser({ defaultRegion: "XX" as never })).toThrow(/`defaultRegion`/);
  });

  it("returns the definition of a known type and undefined for others", () => {
    const parser = createEventParser();
    expect(parser.definition("lead.submitted")?.type).toBe("lead.submitted");
    expect(parser.definition("trial.started")).toBeUndefined();
  });
});
