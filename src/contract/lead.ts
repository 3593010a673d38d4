import * as z from "zod";
import { CONTRACT_LIMITS } from "./bounds.js";
import { defineEventType } from "./define-event-type.js";
import { optionalText, requiredText } from "./fields.js";
import { Company, Contact, withDerivedCompanyDomain } from "./parties.js";
import { Routing } from "./routing.js";

/** UTM parameters of the visit that produced the lead; every value optional. */
export const Utm = z.object({
  source: optionalText(CONTRACT_LIMITS.text),
  medium: optionalText(CONTRACT_LIMITS.text),
  campaign: optionalText(CONTRACT_LIMITS.text),
  term: optionalText(CONTRACT_LIMITS.text),
  content: optionalText(CONTRACT_LIMITS.text),
});

/** Parsed {@link Utm} parameters. */
export type Utm = z.output<typeof Utm>;

/**
 * What the form or qualification step learned about the lead. `consent_to_contact` is required: whether sales
 * may reach out is a legal fact the producer must state, never a default.
 *
 * @example
 * LeadDetails.parse({ consent_to_contact: true, detected_stack: ["HubSpot", "Zapier"] });
 */
export const LeadDetails = z.object({
  budget_range: optionalText(CONTRACT_LIMITS.name),
  urgency: optionalText(CONTRACT_LIMITS.name),
  pain_summary: optionalText(CONTRACT_LIMITS.freeText),
  detected_stack: z
    .array(requiredText(CONTRACT_LIMITS.listItem))
    .max(CONTRACT_LIMITS.detectedStack)
    .optional(),
  consent_to_contact: z.boolean(),
  utm: Utm.optional(),
});

/** A parsed {@link LeadDetails} block. */
export type LeadDetails = z.output<typeof LeadDetails>;

/** The `lead.submitted` event type definition (pass custom types beside it to `createEventParser`). */
export const leadSubmittedType = defineEventType({
  type: "lead.submitted",
  description: "A person submitted a form (contact, demo or diagnostic request) and may become a deal.",
  schema: z.object({
    contact: Contact,
    company: Company.optional(),
    lead: LeadDetails.optional(),
    routing: Routing.optional(),
  }),
  finalize: withDerivedCompanyDomain,
});

/**
 * `lead.submitted`: a form lead with its contact, optional company, lead details and routing. When the company
 * domain is absent it is derived from the contact's email unless that is a free-mail address.
 *
 * @example
 * const result = LeadSubmitted.safeParse(body); // or parseEvent(body) for every type and friendlier issues
 */
export const LeadSubmitted = leadSubmittedType.schema;

/** A parsed `lead.submitted` event. */
export type LeadSubmitted = z.output<typeof LeadSubmitted>;
