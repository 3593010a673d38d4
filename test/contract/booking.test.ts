import { describe, expect, it } from "vitest";
import { parseEvent } from "../../src/contract/index.js";
import { fixture } from "./fixtures.js";

function withBooking(patch: Record<string, unknown>) {
  const input = fixture("booking-scheduled");
  input["booking"] = { ...(input["booking"] as object), ...patch };
  return input;
}

describe("booking.scheduled", () => {
  it("parses the fixture with UTC times and an E.164 phone", () => {
    const event = parseEvent(fixture("booking-scheduled"))._unsafeUnwrap();
    if (event.event_type !== "booking.scheduled") throw new Error("expected a booking");
    expect(event.booking).toStrictEqual({
      booking_id: "bk_8842",
      starts_at: "2024-05-06T13:00:00.000Z",
      ends_at: "2024-05-06T13:30:00.000Z",
      meeting_type: "discovery_call",
      location: "https://meet.example.com/ops-lead",
    });
    expect(event.contact.phone).toBe("+442079460958");
  });

  it("rejects ends_at before starts_at, comparing instants across offsets", () => {
    const issues = parseEvent(withBooking({ ends_at: "2024-05-06T14:59:00+02:00" }))._unsafeUnwrapErr()
      .issues;
    expect(issues).toEqual([
      expect.objectContaining({ field: "booking.ends_at", code: "ends_before_start" }),
    ]);
    expect(parseEvent(withBooking({ ends_at: "2024-05-06T09:30:00-04:00" })).isOk()).toBe(true);
  });

  it("requires booking_id and a zoned starts_at", () => {
    const issues = parseEvent(
      withBooking({ booking_id: undefined, starts_at: "2024-05-06T15:00:00" }),
    )._unsafeUnwrapErr().issues;
    expect(issues.map((issue) => [issue.field, issue.code])).toEqual([
      ["booking.booking_id", "required"],
      ["booking.starts_at", "timestamp_without_zone"],
    ]);
  });
});
