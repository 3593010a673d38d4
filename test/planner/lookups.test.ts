import { describe, expect, it } from "vitest";
import { toIntents } from "../../src/intents/index.js";
import { createPlanPolicy, followUpLookupsFor, groupFinds, lookupsFor } from "../../src/planner/index.js";
import { leadEvent, onboardingEvent, paymentEvent, record, snapshot, supportEvent } from "./builders.js";

const intents = (event: Parameters<typeof toIntents>[0]) => toIntents(event)._unsafeUnwrap();

describe("lookupsFor (phase 1)", () => {
  it("asks for the key searches, owners, deal pipelines and field metadata a lead needs", () => {
    expect(lookupsFor(intents(leadEvent()))).toEqual([
      {
        kind: "find",
        key: "contact:email:ops@example.com",
        type: "contact",
        field: "email",
        value: "ops@example.com",
      },
      { kind: "fields", type: "contact" },
      { kind: "owners" },
      {
        kind: "find",
        key: "company:domain:example.com",
        type: "company",
        field: "domain",
        value: "example.com",
      },
      { kind: "fields", type: "company" },
      { kind: "pipelines", objectType: "deal" },
      { kind: "fields", type: "deal" },
    ]);
  });

  it("searches tickets by external_ref only on adapters with native tickets", () => {
    const native = lookupsFor(intents(supportEvent()));
    expect(native).toContainEqual({
      kind: "find",
      key: "ticket:external_ref:T-100",
      type: "ticket",
      field: "external_ref",
      value: "T-100",
    });
    expect(native).toContainEqual({ kind: "pipelines", objectType: "ticket" });
    const activity = lookupsFor(intents(supportEvent()), { tickets: "activity" });
    expect(activity.some((request) => request.kind === "find" && request.type === "ticket")).toBe(false);
  });

  it("deduplicates the requests of many events for one batch", () => {
    const other = leadEvent({ contact: { email: "b@example.com" }, event_id: "e2", source_record_id: "s2" });
    const requests = lookupsFor([intents(leadEvent()), intents(other)]);
    expect(requests.filter((request) => request.kind === "owners")).toHaveLength(1);
    expect(groupFinds(requests)).toEqual([
      { type: "contact", field: "email", values: ["ops@example.com", "b@example.com"] },
      { type: "company", field: "domain", values: ["example.com"] },
    ]);
  });
});

describe("followUpLookupsFor (phase 2)", () => {
  const matched = snapshot({
    matches: {
      ...snapshot().matches,
      "contact:email:ops@example.com": [record("contact", "101", { email: "ops@example.com" })],
    },
  });

  it("asks for the open deals of a matched contact in the resolved pipeline", () => {
    expect(followUpLookupsFor(intents(leadEvent()), matched)).toEqual([
      { kind: "open_deals", key: "open_deals:101:default", contactId: "101", pipelineId: "default" },
    ]);
    expect(
      followUpLookupsFor(
        intents(leadEvent()),
        matched,
        createPlanPolicy({ pipelines: { deal: { pipeline: "Enterprise" } } }),
      ),
    ).toEqual([{ kind: "open_deals", key: "open_deals:101:p_ent", contactId: "101", pipelineId: "p_ent" }]);
  });

  it("asks for open deals in any pipeline when a payment wins the contact's deal", () => {
    expect(followUpLookupsFor(intents(paymentEvent()), matched)).toEqual([
      { kind: "open_deals", key: "open_deals:101:*", contactId: "101" },
    ]);
  });

  it("asks for the purchase history behind onboarding once per contact", () => {
    expect(followUpLookupsFor(intents(onboardingEvent()), matched)).toEqual([
      { kind: "history", key: "history:101", contactId: "101", email: "ops@example.com" },
    ]);
  });

  it("asks nothing for a contact that is new or ambiguous", () => {
    expect(followUpLookupsFor(intents(leadEvent()), snapshot())).toEqual([]);
    const twice = snapshot({
      matches: { "contact:email:ops@example.com": [record("contact", "1"), record("contact", "2")] },
    });
    expect(followUpLookupsFor(intents(leadEvent()), twice)).toEqual([]);
  });
});
