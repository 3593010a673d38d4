import type { Result } from "neverthrow";
import type { ContractError } from "../errors/index.js";
import { CONTRACT_LIMITS } from "./bounds.js";
import { hostToAscii } from "./normalize-domain.js";
import { type Normalized, normalized, quote, rejected, toResult } from "./outcome.js";

// RFC 5322 dot-atom: the unquoted local parts every CRM accepts. Quoted local parts and SMTPUTF8 addresses are
// deliberately out of scope: HubSpot, Salesforce, Pipedrive and Zoho reject or mangle them.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const MAX_LOCAL_PART = 64;

function invalidEmail(input: string): Normalized {
  return rejected(
    "invalid_email",
    `${quote(input)} is not a valid email address; send a full address like ann@example.com`,
  );
}

/** @internal The allocation-light core of {@link normalizeEmail}. */
export function normalizeEmailValue(input: string): Normalized {
  const trimmed = input.trim().toLowerCase();
  if (trimmed.length === 0) {
    return rejected("invalid_email", "is empty; send a full address like ann@example.com");
  }
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at > MAX_LOCAL_PART) return invalidEmail(input);
  const local = trimmed.slice(0, at);
  if (!LOCAL_PART.test(local)) return invalidEmail(input);
  const host = trimmed.slice(at + 1);
  const domain = hostToAscii(host);
  if (domain === "") return invalidEmail(input);
  // Usually the domain is already canonical, and the lower-cased address is the result without a concatenation.
  const email = domain === host ? trimmed : `${local}@${domain}`;
  if (email.length > CONTRACT_LIMITS.email) {
    return rejected(
      "too_big",
      `is ${email.length} characters long; the limit is ${CONTRACT_LIMITS.email} (CONTRACT_LIMITS.email)`,
    );
  }
  return normalized(email);
}

/**
 * Normalizes an email address: trims, lower-cases the whole address (CRMs match emails case-insensitively, so
 * one spelling keeps deduplication exact) and converts an internationalized domain to punycode. Rejects
 * anything that is not `local@domain` with an unquoted ASCII local part and a real host name.
 * Idempotent: normalizing the output again returns it unchanged.
 *
 * @returns the canonical address, or a `ContractError` (code `invalid_email`) that says what to send instead.
 * @example
 * normalizeEmail("  Ops@Example.COM "); // ok("ops@example.com")
 * normalizeEmail("not-an-email"); // err(ContractError)
 */
export function normalizeEmail(input: string): Result<string, ContractError> {
  return toResult(normalizeEmailValue(input));
}
