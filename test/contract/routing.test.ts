import { describe, expect, it } from "vitest";
import {
  needsManualReview,
  parseEvent,
  type Routing,
  routingReviewReasons,
} from "../../src/contract/index.js";
import { lead } from "./fixtures.js";

const routing: Routing = {
  qualification_status: "qualified",
  lead_score: 82,
  routing_tier: "priority",
  confidence: 0.91,
};

function issuesFor(patch: Record<string, unknown>) {
  return parseEvent(lead({ routing: patch }))._unsafeUnwrapErr().issues;
}

describe("the routing block", () => {
  it("accepts the diagnostic lead's routing unchanged", () => {
    const event = parseEvent(lead())._unsafeUnwrap();
    expect(event.event_type === "lead.submitted" && event.routing).toStrictEqual({
      qualification_status: "qualified",
      lead_score: 82,
      routing_tier: "priority",
      target_pipeline: "Sales Pipeline",
      target_owner_role: "account_executive",
      confidence: 0.91,
      manual_review_required: false,
    });
  });

  it.each([
    [{ qualification_status: "hot" }, "routing.qualification_status", "invalid_value"],
    [{ qualification_status: "Qualified" }, "routing.qualification_status", "invalid_value"],
    [{ routing_tier: "vip" }, "routing.routing_tier", "invalid_value"],
    [{ lead_score: 101 }, "routing.lead_score", "too_big"],
    [{ lead_score: -1 }, "routing.lead_score", "too_small"],
    [{ lead_score: 82.5 }, "routing.lead_score", "invalid_type"],
    [{ lead_score: "82" }, "routing.lead_score", "invalid_type"],
    [{ confidence: 1.01 }, "routing.confidence", "too_big"],
    [{ confidence: -0.1 }, "routing.confidence", "too_small"],
    [{ manual_review_required: "yes" }, "routing.manual_review_required", "invalid_type"],
  ])("rejects %j strictly (%s: %s)", (patch, field, code) => {
    expect(issuesFor(patch)).toEqual([expect.objectContaining({ field, code })]);
  });

  it("lists the allowed values when an enum does not match", () => {
    expect(issuesFor({ routing_tier: "vip" })[0]?.message).toContain("priority, standard, nurture");
  });

  it("says a fractional score must be a whole number", () => {
    expect(issuesFor({ lead_score: 82.5 })[0]?.message).toBe("must be a whole number; got 82.5");
  });

  it("preserves manual_review_required and a low confidence so the planner can route to review", () => {
    const event = parseEvent(
      lead({ routing: { confidence: 0.2, manual_review_required: true } }),
    )._unsafeUnwrap();
    expect(event.event_type === "lead.submitted" && event.routing).toMatchObject({
      confidence: 0.2,
      manual_review_required: true,
    });
  });
});

describe("needsManualReview", () => {
  it("is false for a confident, qualified routing", () => {
    expect(needsManualReview(routing)).toBe(false);
    expect(routingReviewReasons(routing)).toEqual([]);
  });

  it("is true when the producer asked for review", () => {
    expect(routingReviewReasons({ ...routing, manual_review_required: true })).toEqual([
      "manual_review_required",
    ]);
  });

  it("is true for the needs_review status", () => {
    expect(routingReviewReasons({ ...routing, qualification_status: "needs_review" })).toEqual([
      "needs_review_status",
    ]);
  });

  it("is true when confidence is below minConfidence (default 0.6) and false at the threshold", () => {
    expect(needsManualReview({ ...routing, confidence: 0.59 })).toBe(true);
    expect(needsManualReview({ ...routing, confidence: 0.6 })).toBe(false);
    expect(needsManualReview({ ...routing, confidence: 0.91 }, { minConfidence: 0.95 })).toBe(true);
  });

  it("does not hold back a routing without confidence", () => {
    const { confidence: _omitted, ...rules } = routing;
    expect(needsManualReview(rules, { minConfidence: 1 })).toBe(false);
  });

  it("reports every reason at once", () => {
    const all = {
      ...routing,
      qualification_status: "needs_review",
      confidence: 0.1,
      manual_review_required: true,
    };
    expect(routingReviewReasons(all as Routing)).toEqual([
      "manual_review_required",
      "needs_review_status",
      "low_confidence",
    ]);
  });

  it("throws a RangeError naming minConfidence when it is outside 0–1", () => {
    expect(() => needsManualReview(routing, { minConfidence: 2 })).toThrow(/minConfidence/);
    expect(() => needsManualReview(routing, { minConfidence: Number.NaN })).toThrow(/minConfidence/);
  });
});
