import * as z from "zod";
import { CONTRACT_LIMITS } from "./bounds.js";
import { normalizeDomainValue } from "./normalize-domain.js";
import { normalizeEmailValue } from "./normalize-email.js";
import { normalizePhoneValue, type PhoneRegion } from "./normalize-phone.js";
import { normalizeTimestampValue } from "./normalize-timestamp.js";
import { type Normalized, normalized, quote, rejected } from "./outcome.js";

// zod hands transforms no parse-time options, yet the phone field needs the parser's default region. Parsing is
// synchronous, so the parser sets the region for exactly one `safeParse` call and restores the previous value in
// `finally`: nothing leaks between calls or parsers, and a schema used on its own sees no region.
let activeRegion: PhoneRegion | undefined;

/**
 * `schema.safeParse(input)` with `region` as the default phone region seen by {@link PhoneNumber}. Takes the
 * schema and input rather than a callback so the parser's hot path allocates no closure. @internal
 */
export function safeParseInRegion<T extends z.ZodType>(
  region: PhoneRegion | undefined,
  schema: T,
  input: unknown,
): z.ZodSafeParseResult<z.output<T>> {
  const previous = activeRegion;
  activeRegion = region;
  try {
    return schema.safeParse(input);
  } finally {
    activeRegion = previous;
  }
}

// Normalizers run as zod checks that rewrite the value in place (as zod's own `.trim()` does) rather than as
// `.transform()` pipes: a pipe per field allocated enough to halve parse throughput. A check runs only when the
// field has no issue yet, so a too-long value is reported once, as too long.
type Payload = z.core.ParsePayload<string>;

function normalizeInPlace(normalize: (value: string) => Normalized, blankIsAbsent: boolean) {
  return (payload: Payload): void => {
    if (payload.issues.length > 0) return;
    const value = payload.value;
    if (blankIsAbsent && value.trim() === "") {
      // Optional fields only; parsing an event then drops the key, so a parsed event never holds `undefined`.
      (payload as { value: unknown }).value = undefined;
      return;
    }
    const outcome = normalize(value);
    if (outcome.ok) {
      payload.value = outcome.value;
      return;
    }
    payload.issues.push({
      code: "custom",
      message: outcome.message,
      input: value,
      params: { code: outcome.code },
      continue: false,
    });
  };
}

// Trims and turns a blank value into `undefined` in one check (two checks per optional text cost measurably).
const trimToAbsent = (payload: Payload): void => {
  const trimmed = payload.value.trim();
  (payload as { value: unknown }).value = trimmed === "" ? undefined : trimmed;
};

/**
 * A required identifier (`event_id`, `payment_id`, …): trimmed, 1 to {@link CONTRACT_LIMITS.id} characters.
 *
 * @example
 * const TrialStarted = z.object({ trial_id: Identifier });
 */
export const Identifier = z.string().max(CONTRACT_LIMITS.id).trim().min(1);

/**
 * A required text of at most `max` characters, trimmed and not empty.
 *
 * @example
 * const Trial = z.object({ plan: requiredText(CONTRACT_LIMITS.name) });
 */
export function requiredText(max: number) {
  return z.string().max(max).trim().min(1);
}

/**
 * An optional text of at most `max` characters, trimmed; an empty or blank string counts as absent (web forms
 * send `""` for fields the visitor skipped).
 *
 * @example
 * const Trial = z.object({ coupon: optionalText(CONTRACT_LIMITS.name) });
 */
export function optionalText(max: number) {
  return z.string().max(max).check(trimToAbsent).optional();
}

/**
 * An email address, normalized by `normalizeEmail` (trimmed, lower-cased, IDN domain in punycode).
 *
 * @example
 * const Referral = z.object({ referrer_email: EmailAddress });
 */
export const EmailAddress = z
  .string()
  .max(CONTRACT_LIMITS.email)
  .meta({ format: "email" })
  .check(normalizeInPlace(normalizeEmailValue, false));

const normalizeWithRegion = (value: string): Normalized => normalizePhoneValue(value, activeRegion);
const PHONE_META = {
  description: "International (+14155550132) or national with the parser's defaultRegion; stored as E.164",
};
const DOMAIN_META = {
  description: "A host name or URL (https://www.example.com/about); stored as example.com",
};

/**
 * A phone number, normalized to E.164 by `normalizePhone` with the parser's `defaultRegion`. A value that is not
 * a valid number (blank included) is an issue, never silently dropped.
 *
 * @example
 * const Callback = z.object({ callback_phone: PhoneNumber });
 */
export const PhoneNumber = z
  .string()
  .max(CONTRACT_LIMITS.phone)
  .meta(PHONE_META)
  .check(normalizeInPlace(normalizeWithRegion, false));

/**
 * An optional {@link PhoneNumber} where a blank string counts as absent (web forms send `""` for a skipped
 * field); any other invalid value is still an issue.
 *
 * @example
 * const Contactable = z.object({ email: EmailAddress, phone: OptionalPhoneNumber });
 */
export const OptionalPhoneNumber = z
  .string()
  .max(CONTRACT_LIMITS.phone)
  .meta(PHONE_META)
  .check(normalizeInPlace(normalizeWithRegion, true))
  .optional();

/**
 * A domain or website URL, normalized to a bare host name by `normalizeDomain`.
 *
 * @example
 * const Partner = z.object({ partner_domain: DomainName });
 */
export const DomainName = z
  .string()
  .max(CONTRACT_LIMITS.domainInput)
  .meta(DOMAIN_META)
  .check(normalizeInPlace(normalizeDomainValue, false));

/**
 * An optional {@link DomainName} where a blank string counts as absent.
 *
 * @example
 * const Partner = z.object({ partner_domain: OptionalDomainName });
 */
export const OptionalDomainName = z
  .string()
  .max(CONTRACT_LIMITS.domainInput)
  .meta(DOMAIN_META)
  .check(normalizeInPlace(normalizeDomainValue, true))
  .optional();

/**
 * An ISO-8601 timestamp that carries a zone, normalized to `YYYY-MM-DDTHH:mm:ss.sssZ` by `normalizeTimestamp`.
 *
 * @example
 * const TrialStarted = z.object({ trial_ends_at: Timestamp });
 */
export const Timestamp = z
  .string()
  .max(CONTRACT_LIMITS.timestamp)
  .meta({ format: "date-time" })
  .check(normalizeInPlace(normalizeTimestampValue, false));

const CURRENCY = /^[A-Za-z]{3}$/;

function normalizeCurrency(value: string): Normalized {
  if (CURRENCY.test(value)) return normalized(value.toUpperCase());
  return rejected(
    "invalid_currency",
    `${quote(value)} is not an ISO 4217 currency code; send three letters such as EUR or USD`,
  );
}

/**
 * An ISO 4217 currency code: three letters, upper-cased (`eur` → `EUR`).
 *
 * @example
 * const Refund = z.object({ amount: z.int().min(0), currency: CurrencyCode });
 */
export const CurrencyCode = z
  .string()
  .meta({ pattern: CURRENCY.source })
  .check(normalizeInPlace(normalizeCurrency, false));
