import * as z from "zod";
import { CONTRACT_LIMITS } from "./bounds.js";
import { defineEventType } from "./define-event-type.js";
import { optionalText, requiredText, Timestamp } from "./fields.js";
import { Contact } from "./parties.js";

/**
 * The start of a customer's onboarding. `tasks` are task titles the intents layer turns into CRM tasks.
 *
 * @example
 * Onboarding.parse({ plan: "Growth", tasks: ["Connect HubSpot", "Import contacts"] });
 */
export const Onboarding = z.object({
  plan: optionalText(CONTRACT_LIMITS.name),
  kickoff_at: Timestamp.optional(),
  tasks: z.array(requiredText(CONTRACT_LIMITS.listItem)).max(CONTRACT_LIMITS.tasks).optional(),
});

/** A parsed {@link Onboarding} block. */
export type Onboarding = z.output<typeof Onboarding>;

/** The `onboarding.started` event type definition. */
export const onboardingStartedType = defineEventType({
  type: "onboarding.started",
  description: "A paying customer's onboarding began; tasks are created for the deal owner.",
  schema: z.object({ contact: Contact, onboarding: Onboarding }),
});

/**
 * `onboarding.started`: the contact's onboarding began.
 *
 * @example
 * OnboardingStarted.parse(body).onboarding.tasks; // ["Connect HubSpot", "Import contacts"]
 */
export const OnboardingStarted = onboardingStartedType.schema;

/** A parsed `onboarding.started` event. */
export type OnboardingStarted = z.output<typeof OnboardingStarted>;
