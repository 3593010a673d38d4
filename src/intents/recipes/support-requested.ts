import type { CrmValue } from "../../adapter/index.js";
import { associationIntent, companyIntent, contactIntent } from "../build.js";
import type { SupportRequestedEvent } from "../events.js";
import { defineRecipe } from "../recipe.js";
import type { Intent } from "../types.js";

/**
 * `support.requested`: the contact by email; the company by domain when known; the ticket deduplicated by
 * `ticket_ref` (stored as `external_ref`), so a redelivered request updates the same ticket; associations
 * ticket↔contact, ticket↔company, contact↔company. On adapters without tickets the planner turns the ticket into
 * a task (see planTicketAsTask).
 */
export const supportRequestedRecipe = defineRecipe<SupportRequestedEvent>({
  type: "support.requested",
  toIntents(event) {
    const { ticket } = event;
    const domain = event.company?.domain;
    const properties: Record<string, CrmValue> = {
      external_ref: ticket.ticket_ref,
      subject: ticket.subject,
      priority: ticket.priority,
    };
    if (ticket.description !== undefined) properties["description"] = ticket.description;
    const items: Intent[] = [contactIntent(event.contact, { why: "the requester is upserted by email" })];
    if (domain !== undefined)
      items.push(companyIntent(domain, event.company?.name, "the requester's company is upserted by domain"));
    items.push({
      kind: "record",
      id: "ticket",
      objectType: "ticket",
      mode: "upsert",
      match: { by: "key", field: "external_ref", value: ticket.ticket_ref },
      properties,
      why: `the support request ${ticket.ticket_ref} is one ticket, deduplicated by ticket_ref`,
    });
    items.push(associationIntent("ticket", "contact", "the ticket is the contact's"));
    if (domain !== undefined) {
      items.push(associationIntent("ticket", "company", "the ticket is the company's"));
      items.push(associationIntent("contact", "company", "the contact works at the company", "primary"));
    }
    return { items };
  },
});
