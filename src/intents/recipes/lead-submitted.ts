import type { CrmValue } from "../../adapter/index.js";
import {
  associationIntent,
  body,
  companyIntent,
  contactIntent,
  line,
  noteAttachments,
  routingSignal,
} from "../build.js";
import type { LeadSubmittedEvent } from "../events.js";
import { defineRecipe } from "../recipe.js";
import type { Intent } from "../types.js";

function summary(event: LeadSubmittedEvent): string {
  const { contact, company, lead, routing } = event;
  const name = [contact.first_name, contact.last_name].filter(Boolean).join(" ") || contact.full_name;
  const utm = lead?.utm;
  return body([
    `Lead submitted via ${event.source_system} (event ${event.event_id})`,
    line("Contact", name, contact.email, contact.job_title),
    line("Company", company?.name, company?.domain),
    line("Budget", lead?.budget_range),
    line("Urgency", lead?.urgency),
    line("Pain", lead?.pain_summary),
    line("Stack", lead?.detected_stack?.join(", ")),
    lead === undefined ? undefined : `Consent to contact: ${lead.consent_to_contact ? "yes" : "no"}`,
    line("UTM", utm?.source, utm?.medium, utm?.campaign, utm?.term, utm?.content),
    routing === undefined
      ? undefined
      : line(
          "Routing",
          routing.qualification_status,
          `score ${routing.lead_score}`,
          `tier ${routing.routing_tier}`,
          routing.target_owner_role,
          routing.confidence === undefined ? undefined : `confidence ${routing.confidence}`,
        ),
  ]);
}

/**
 * `lead.submitted`: the contact by email (lifecycle `lead`, owner from routing); the company by domain (never for
 * free-mail addresses: the contract leaves `company.domain` out for those); for a qualified lead (or one whose
 * qualification needs review, which the planner then holds back) the open deal of the contact in the target
 * pipeline; associations contact↔company, deal↔contact, deal↔company; a note with the lead's summary on the
 * contact and the deal.
 */
export const leadSubmittedRecipe = defineRecipe<LeadSubmittedEvent>({
  type: "lead.submitted",
  toIntents(event, { policy }) {
    const items: Intent[] = [
      contactIntent(event.contact, {
        properties: { lifecycle_stage: "lead" },
        owner: { from: "routing" },
        why: "the lead's contact is upserted by email",
      }),
    ];
    const domain = event.company?.domain;
    if (domain !== undefined)
      items.push(companyIntent(domain, event.company?.name, "the lead's company is upserted by domain"));
    const routing = event.routing;
    const status = routing?.qualification_status;
    const hasDeal = status === "qualified" || status === "needs_review";
    if (hasDeal) {
      const properties: Record<string, CrmValue> = {
        name: `${event.company?.name ?? domain ?? event.contact.email} – inbound lead`,
      };
      items.push({
        kind: "record",
        id: "deal",
        objectType: "deal",
        mode: "upsert",
        match: { by: "open_deal", contact: { step: "contact" }, pipeline: routing?.target_pipeline },
        properties,
        owner: { from: "routing" },
        gate: "routing",
        why: `the lead is ${status}: it gets one open deal per contact and pipeline`,
      });
    }
    if (domain !== undefined)
      items.push(associationIntent("contact", "company", "the contact works at the company", "primary"));
    if (hasDeal) {
      items.push(associationIntent("deal", "contact", "the deal is the contact's"));
      if (domain !== undefined) items.push(associationIntent("deal", "company", "the deal is the company's"));
    }
    const attach = noteAttachments(policy, hasDeal);
    if (attach.length > 0) {
      items.push({
        kind: "note",
        id: "note",
        body: summary(event),
        timestamp: event.occurred_at,
        attach,
        why: "the source event is summarised on the records it touched",
      });
    }
    return routing === undefined ? { items } : { items, routing: routingSignal(routing) };
  },
});
