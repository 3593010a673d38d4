import { describe, expect, it } from "vitest";
import { createPlanPolicy, defaultPolicy } from "../../src/planner/index.js";

describe("createPlanPolicy", () => {
  it("returns the defaults when given nothing", () => {
    expect(createPlanPolicy()).toEqual(defaultPolicy);
    expect(defaultPolicy.minConfidence).toBe(0.6);
    expect(defaultPolicy.lifecycleOrder[0]).toBe("subscriber");
  });

  it("merges field ownership per object type and nested settings key by key", () => {
    const policy = createPlanPolicy({
      fieldOwnership: { contact: { first_name: "source" } },
      notes: { deal: false },
      pipelines: { deal: { wonStage: "Won" } },
    });
    expect(policy.fieldOwnership.contact).toMatchObject({
      first_name: "source",
      last_name: "fill_if_empty",
      email: "source",
    });
    expect(policy.fieldOwnership.deal).toEqual(defaultPolicy.fieldOwnership.deal);
    expect(policy.notes).toEqual({ contact: true, deal: false });
    expect(policy.pipelines.deal).toEqual({ wonStage: "Won" });
  });

  it.each([
    [{ minConfidence: 1.5 }, "`minConfidence`"],
    [{ minConfidence: Number.NaN }, "`minConfidence`"],
    [{ lifecycleOrder: [] }, "`lifecycleOrder`"],
    [{ lifecycleOrder: ["lead", "lead"] }, "`lifecycleOrder`"],
    [{ routing: [{ owner: [] }] }, "`routing[0].owner`"],
    [{ routing: [{ tier: "x", owner: "a" }, { owner: "" }] }, "`routing[1].owner`"],
    [{ fallbackOwner: " " }, "`fallbackOwner`"],
    [{ fieldOwnership: { contact: { email: "mine" } } }, "`fieldOwnership.contact.email`"],
    [{ tasks: { onboarding: { subject: "x", dueInHours: -1 } } }, "`tasks.onboarding.dueInHours`"],
    [{ tasks: { paymentFailed: { subject: "", dueInHours: 1 } } }, "`tasks.paymentFailed.subject`"],
  ])("throws naming the option for %o", (options, option) => {
    expect(() => createPlanPolicy(options as never)).toThrow(option);
  });
});
