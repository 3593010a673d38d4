import { describe, expect, it } from "vitest";
import { parseEvent } from "../../src/contract/index.js";
import { fixture } from "./fixtures.js";

function withTicket(patch: Record<string, unknown>) {
  const input = fixture("support-requested");
  input["ticket"] = { ...(input["ticket"] as object), ...patch };
  return input;
}

describe("support.requested", () => {
  it("parses the fixture and derives the company domain from the email", () => {
    const event = parseEvent(fixture("support-requested"))._unsafeUnwrap();
    if (event.event_type !== "support.requested") throw new Error("expected a support request");
    expect(event.ticket.priority).toBe("high");
    expect(event.company).toStrictEqual({ name: "Example Inc", domain: "example.com" });
  });

  it.each([
    [{ priority: "critical" }, "ticket.priority", "invalid_value"],
    [{ priority: undefined }, "ticket.priority", "invalid_value"],
    [{ subject: " " }, "ticket.subject", "too_small"],
    [{ ticket_ref: 1042 }, "ticket.ticket_ref", "invalid_type"],
  ])("rejects %j (%s: %s)", (patch, field, code) => {
    expect(parseEvent(withTicket(patch))._unsafeUnwrapErr().issues).toEqual([
      expect.objectContaining({ field, code }),
    ]);
  });

  it("lists the priorities in order when one is missing", () => {
    const issue = parseEvent(withTicket({ priority: undefined }))._unsafeUnwrapErr().issues[0];
    expect(issue?.message).toBe("is required; send one of: low, medium, high, urgent");
  });
});
