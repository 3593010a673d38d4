import * as z from "zod";
import { CONTRACT_LIMITS } from "./bounds.js";
import { optionalText } from "./fields.js";

/** Outcome of qualification, by an AI model or by rules. */
export const QUALIFICATION_STATUSES = ["qualified", "unqualified", "needs_review"] as const;

/** How urgently sales should act on a lead. */
export const ROUTING_TIERS = ["priority", "standard", "nurture"] as const;

/**
 * The routing block of a lead: the output of an AI model or a rules engine, validated strictly (enums must match
 * exactly, `lead_score` is an integer 0–100, `confidence` a number 0–1; nothing is coerced). A low confidence or
 * `manual_review_required: true` is kept as sent so the planner can route the lead to review
 * ({@link needsManualReview}).
 *
 * @example
 * Routing.parse({ qualification_status: "qualified", lead_score: 82, routing_tier: "priority", confidence: 0.91 });
 */
export const Routing = z
  .object({
    qualification_status: z.enum(QUALIFICATION_STATUSES),
    lead_score: z.int().min(0).max(100),
    routing_tier: z.enum(ROUTING_TIERS),
    target_pipeline: optionalText(CONTRACT_LIMITS.text),
    target_owner_role: optionalText(CONTRACT_LIMITS.text),
    confidence: z.number().min(0).max(1).optional(),
    manual_review_required: z.boolean().optional(),
  })
  .meta({
    description: "AI or rules output that routes the lead; a human reviews it when flagged or unsure.",
  });

/** A parsed {@link Routing} block. */
export type Routing = z.output<typeof Routing>;

/** Why a routing decision needs a human: each entry is one reason. */
export type RoutingReviewReason = "manual_review_required" | "needs_review_status" | "low_confidence";

/** Options for {@link needsManualReview} and {@link routingReviewReasons}. */
export interface ManualReviewOptions {
  /**
   * Confidence below this value sends the lead to review. A routing block without `confidence` is not held
   * back by this rule (rules engines do not report one).
   * @default 0.6
   */
  minConfidence?: number | undefined;
}

/** Default for {@link ManualReviewOptions.minConfidence}. */
export const DEFAULT_MIN_CONFIDENCE = 0.6;

/**
 * Every reason a routing decision needs a human, in a fixed order; empty when it can be applied automatically.
 *
 * @throws {RangeError} when `minConfidence` is not a number from 0 to 1.
 * @example
 * routingReviewReasons({ ...routing, confidence: 0.4 }); // ["low_confidence"]
 */
export function routingReviewReasons(
  routing: Routing,
  options: ManualReviewOptions = {},
): RoutingReviewReason[] {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  if (!(minConfidence >= 0 && minConfidence <= 1)) {
    throw new RangeError(
      `crmkit: \`minConfidence\` must be a number from 0 to 1; got ${String(minConfidence)}`,
    );
  }
  const reasons: RoutingReviewReason[] = [];
  if (routing.manual_review_required === true) reasons.push("manual_review_required");
  if (routing.qualification_status === "needs_review") reasons.push("needs_review_status");
  if (routing.confidence !== undefined && routing.confidence < minConfidence) reasons.push("low_confidence");
  return reasons;
}

/**
 * True when the routing must go to a human: the producer asked for review, the status is `needs_review`, or the
 * confidence is below `minConfidence`.
 *
 * @throws {RangeError} when `minConfidence` is not a number from 0 to 1.
 * @example
 * if (event.routing && needsManualReview(event.routing, { minConfidence: 0.8 })) decision = "review";
 */
export function needsManualReview(routing: Routing, options: ManualReviewOptions = {}): boolean {
  return routingReviewReasons(routing, options).length > 0;
}
