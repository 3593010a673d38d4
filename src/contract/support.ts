import * as z from "zod";
import { CONTRACT_LIMITS } from "./bounds.js";
import { defineEventType } from "./define-event-type.js";
import { Identifier, optionalText, requiredText } from "./fields.js";
import { Company, Contact, withDerivedCompanyDomain } from "./parties.js";

/** Ticket priorities, lowest first. */
export const TICKET_PRIORITIES = ["low", "medium", "high", "urgent"] as const;

/**
 * A support request. `ticket_ref` is the producer's ticket id and the key tickets are deduplicated by.
 *
 * @example
 * Ticket.parse({ ticket_ref: "T-1042", subject: "Sync stopped", priority: "high" });
 */
export const Ticket = z.object({
  ticket_ref: Identifier,
  subject: requiredText(CONTRACT_LIMITS.text),
  description: optionalText(CONTRACT_LIMITS.freeText),
  priority: z.enum(TICKET_PRIORITIES),
});

/** A parsed {@link Ticket} block. */
export type Ticket = z.output<typeof Ticket>;

/** The `support.requested` event type definition. */
export const supportRequestedType = defineEventType({
  type: "support.requested",
  description: "A contact asked for help; becomes a ticket (a case, or an activity where the CRM has none).",
  schema: z.object({ contact: Contact, company: Company.optional(), ticket: Ticket }),
  finalize: withDerivedCompanyDomain,
});

/**
 * `support.requested`: the contact opened a support request.
 *
 * @example
 * SupportRequested.parse(body).ticket.priority; // "high"
 */
export const SupportRequested = supportRequestedType.schema;

/** A parsed `support.requested` event. */
export type SupportRequested = z.output<typeof SupportRequested>;
