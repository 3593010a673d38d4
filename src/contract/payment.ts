import * as z from "zod";
import { CONTRACT_LIMITS } from "./bounds.js";
import { defineEventType } from "./define-event-type.js";
import { CurrencyCode, Identifier, optionalText, requiredText } from "./fields.js";
import { Contact } from "./parties.js";

/**
 * A payment as the payment provider reported it. `amount` is an integer in the currency's minor unit (cents for
 * USD, yen for JPY), so no floating-point rounding ever reaches a CRM.
 *
 * @example
 * Payment.parse({ provider: "stripe", payment_id: "pi_1", amount: 4900, currency: "usd" }); // currency → "USD"
 */
export const Payment = z.object({
  provider: requiredText(CONTRACT_LIMITS.name),
  payment_id: Identifier,
  amount: z.int().min(0),
  currency: CurrencyCode,
  product: optionalText(CONTRACT_LIMITS.name),
  plan: optionalText(CONTRACT_LIMITS.name),
});

/** A parsed {@link Payment} block. */
export type Payment = z.output<typeof Payment>;

const paymentFields = z.object({ contact: Contact, payment: Payment });

/** The `payment.succeeded` event type definition. */
export const paymentSucceededType = defineEventType({
  type: "payment.succeeded",
  description: "A customer paid; the open deal moves to won and onboarding can start.",
  schema: paymentFields,
});

/** The `payment.failed` event type definition. */
export const paymentFailedType = defineEventType({
  type: "payment.failed",
  description: "A charge failed; sales or success follows up, no stage moves.",
  schema: paymentFields,
});

/**
 * `payment.succeeded`: a successful payment by the contact.
 *
 * @example
 * PaymentSucceeded.parse(body).payment.amount; // 4900
 */
export const PaymentSucceeded = paymentSucceededType.schema;

/** A parsed `payment.succeeded` event. */
export type PaymentSucceeded = z.output<typeof PaymentSucceeded>;

/**
 * `payment.failed`: a failed charge for the contact.
 *
 * @example
 * PaymentFailed.parse(body).payment.currency; // "EUR"
 */
export const PaymentFailed = paymentFailedType.schema;

/** A parsed `payment.failed` event. */
export type PaymentFailed = z.output<typeof PaymentFailed>;
