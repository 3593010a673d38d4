import { describe, expect, it } from "vitest";
import { CONTRACT_LIMITS, parseEvent } from "../../src/contract/index.js";
import { fixture } from "./fixtures.js";

function withOnboarding(patch: Record<string, unknown>) {
  const input = fixture("onboarding-started");
  input["onboarding"] = { ...(input["onboarding"] as object), ...patch };
  return input;
}

describe("onboarding.started", () => {
  it("parses the fixture with kickoff_at in UTC", () => {
    const event = parseEvent(fixture("onboarding-started"))._unsafeUnwrap();
    if (event.event_type !== "onboarding.started") throw new Error("expected onboarding");
    expect(event.onboarding).toStrictEqual({
      plan: "sprint",
      kickoff_at: "2024-05-20T16:00:00.000Z",
      tasks: ["Connect HubSpot", "Map pipeline stages", "Import existing leads"],
    });
  });

  it("accepts an empty onboarding block", () => {
    const input = fixture("onboarding-started");
    input["onboarding"] = {};
    expect(parseEvent(input).isOk()).toBe(true);
  });

  it("bounds tasks to 50 entries", () => {
    const tasks = Array.from({ length: CONTRACT_LIMITS.tasks + 1 }, (_, i) => `Task ${i}`);
    expect(parseEvent(withOnboarding({ tasks }))._unsafeUnwrapErr().issues).toEqual([
      expect.objectContaining({ field: "onboarding.tasks", code: "too_big" }),
    ]);
  });

  it("requires the onboarding block", () => {
    const input = fixture("onboarding-started");
    delete input["onboarding"];
    expect(parseEvent(input)._unsafeUnwrapErr().issues).toEqual([
      expect.objectContaining({
        field: "onboarding",
        code: "required",
        message: "is required; send an object",
      }),
    ]);
  });
});
