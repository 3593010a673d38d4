import { body, contactIntent, line, majorUnits, noteAttachments, taskTiming } from "../build.js";
import type { PaymentEvent } from "../events.js";
import { defineRecipe } from "../recipe.js";
import type { Intent } from "../types.js";

function summary(event: PaymentEvent, outcome: string): string {
  const { payment } = event;
  return body([
    `Payment ${outcome}: ${majorUnits(payment.amount, payment.currency)} ${payment.currency} via ${payment.provider} (${payment.payment_id})`,
    line("Product", payment.product, payment.plan),
    `Source: ${event.source_system}, event ${event.event_id}`,
  ]);
}

/**
 * `payment.succeeded`: the contact by email becomes a `customer`; its open deal (any pipeline) moves to the won
 * stage (forward only; no open deal means nothing to move); an onboarding task for the deal's owner (else the
 * contact's); a note with the payment on the contact and the deal.
 */
export const paymentSucceededRecipe = defineRecipe<PaymentEvent>({
  type: "payment.succeeded",
  toIntents(event, { policy }) {
    const template = policy.tasks.onboarding;
    const items: Intent[] = [
      contactIntent(
        { email: event.contact.email },
        {
          properties: { lifecycle_stage: "customer" },
          why: "the payer is upserted by email and becomes a customer",
        },
      ),
      {
        kind: "record",
        id: "deal",
        objectType: "deal",
        mode: "update_only",
        match: { by: "open_deal", contact: { step: "contact" } },
        properties: {},
        stage: { kind: "won" },
        why: "a succeeded payment wins the contact's open deal",
      },
      {
        kind: "task",
        id: "task",
        subject: template.subject,
        ...taskTiming(event, template),
        attach: [{ step: "contact" }, { step: "deal", optional: true }],
        owner: { from: "record", steps: [{ step: "deal" }, { step: "contact" }] },
        why: "a paying customer is onboarded by the deal's owner",
      },
    ];
    const attach = noteAttachments(policy, true);
    if (attach.length > 0) {
      items.push({
        kind: "note",
        id: "note",
        body: summary(event, "succeeded"),
        timestamp: event.occurred_at,
        attach,
        why: "the payment is recorded on the contact and the deal",
      });
    }
    return { items };
  },
});

/** `payment.failed`: the contact by email, a note with the failure and a follow-up task; no stage change. */
export const paymentFailedRecipe = defineRecipe<PaymentEvent>({
  type: "payment.failed",
  toIntents(event, { policy }) {
    const template = policy.tasks.paymentFailed;
    const items: Intent[] = [
      contactIntent({ email: event.contact.email }, { why: "the payer is upserted by email" }),
      {
        kind: "task",
        id: "task",
        subject: template.subject,
        ...taskTiming(event, template),
        attach: [{ step: "contact" }],
        owner: { from: "record", steps: [{ step: "contact" }] },
        why: "a failed payment needs a follow-up by the contact's owner",
      },
    ];
    if (policy.notes.contact) {
      items.push({
        kind: "note",
        id: "note",
        body: summary(event, "failed"),
        timestamp: event.occurred_at,
        attach: [{ step: "contact" }],
        why: "the failed payment is recorded on the contact",
      });
    }
    return { items };
  },
});
