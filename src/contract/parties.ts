import * as z from "zod";
import { CONTRACT_LIMITS } from "./bounds.js";
import { EmailAddress, OptionalDomainName, OptionalPhoneNumber, optionalText } from "./fields.js";
import { isFreeMailDomain } from "./free-mail.js";

/**
 * The person an event is about. `email` is required: it is the key every CRM deduplicates contacts by.
 *
 * @example
 * Contact.parse({ email: " Ops@Example.com ", phone: "+1 415 555 0132" });
 * // { email: "ops@example.com", phone: "+14155550132" }
 */
export const Contact = z
  .object({
    email: EmailAddress,
    phone: OptionalPhoneNumber,
    first_name: optionalText(CONTRACT_LIMITS.name),
    last_name: optionalText(CONTRACT_LIMITS.name),
    full_name: optionalText(CONTRACT_LIMITS.name),
    job_title: optionalText(CONTRACT_LIMITS.name),
  })
  .meta({ description: "The person the event is about; email is the deduplication key." });

/** A parsed {@link Contact}. */
export type Contact = z.output<typeof Contact>;

/**
 * The organisation a contact belongs to. `domain` is the deduplication key; when it is absent it is derived from
 * the contact's email unless that is a free-mail address (see {@link withDerivedCompanyDomain}).
 *
 * @example
 * Company.parse({ name: "Example Inc", domain: "https://www.Example.com/about" });
 * // { name: "Example Inc", domain: "example.com" }
 */
export const Company = z
  .object({
    name: optionalText(CONTRACT_LIMITS.name),
    domain: OptionalDomainName,
  })
  .meta({ description: "The contact's organisation; domain is the deduplication key." });

/** A parsed {@link Company}. */
export type Company = z.output<typeof Company>;

/**
 * The domain part of a normalized email address.
 *
 * @example
 * emailDomain("ops@example.com"); // "example.com"
 */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1);
}

/**
 * Fills `company.domain` from the contact's email when the event has no company domain and the email is not at a
 * free-mail provider, so a lead from `ops@example.com` still lands on the Example company and a lead from
 * `ann@gmail.com` never creates a "Gmail" company. Used as a `finalize` step, it sets the domain on the event it
 * is given (a fresh parse result) instead of copying the event; the keys end up in the same order either way.
 */
export function withDerivedCompanyDomain<E extends { contact: Contact; company?: Company | undefined }>(
  event: E,
): E {
  const company = event.company;
  if (company?.domain !== undefined) return event;
  const domain = emailDomain(event.contact.email);
  if (isFreeMailDomain(domain)) return event;
  if (company === undefined) event.company = { domain };
  else company.domain = domain;
  return event;
}
