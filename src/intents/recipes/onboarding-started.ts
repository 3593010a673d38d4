import { contactIntent, dueAfter } from "../build.js";
import type { OnboardingStartedEvent } from "../events.js";
import { defineRecipe } from "../recipe.js";
import type { Intent } from "../types.js";

/**
 * `onboarding.started`: onboarding task(s) for the contact's owner, one per `onboarding.tasks` entry (else the
 * policy's onboarding task), due at `kickoff_at` (else after the policy's offset). Each task requires a won deal
 * or a payment on record for the contact; without one it goes to review. The contact is only looked up, never
 * created: onboarding a person the CRM has never seen is itself a review.
 */
export const onboardingStartedRecipe = defineRecipe<OnboardingStartedEvent>({
  type: "onboarding.started",
  toIntents(event, { policy }) {
    const template = policy.tasks.onboarding;
    const { onboarding } = event;
    const subjects =
      onboarding.tasks !== undefined && onboarding.tasks.length > 0 ? onboarding.tasks : [template.subject];
    const dueAt = onboarding.kickoff_at ?? dueAfter(event.occurred_at, template.dueInHours);
    const items: Intent[] = [
      contactIntent(
        { email: event.contact.email },
        { mode: "update_only", why: "the onboarding customer is found by email" },
      ),
    ];
    subjects.forEach((subject, index) => {
      items.push({
        kind: "task",
        id: subjects.length === 1 ? "task" : `task-${index + 1}`,
        subject,
        dueAt,
        priority: template.priority ?? "medium",
        attach: [{ step: "contact" }],
        owner: { from: "record", steps: [{ step: "contact" }] },
        requires: { kind: "won_deal_or_payment", contact: { step: "contact" } },
        why: `onboarding${onboarding.plan === undefined ? "" : ` of plan ${onboarding.plan}`} starts with this task`,
      });
    });
    return { items };
  },
});
