import { type CountryCode, isSupportedCountry } from "libphonenumber-js/max";
import type { Result } from "neverthrow";
import type { ContractError } from "../errors/index.js";
import { createBoundedMemo } from "./bounded-memo.js";
import { type Normalized, normalized, quote, rejected, toResult } from "./outcome.js";
import { parseValidPhone } from "./phone-validity.js";

/** An ISO 3166-1 alpha-2 region code that libphonenumber knows, e.g. `"US"`, `"DE"`, `"GB"`. */
export type PhoneRegion = CountryCode;

/** Options for {@link normalizePhone}. */
export interface NormalizePhoneOptions {
  /**
   * Region used for numbers written without a country code (`(415) 555-0132`). Without it such numbers are an
   * issue, because guessing a country silently creates wrong contacts.
   * @default undefined (only international numbers such as `+1 415 555 0132` are accepted)
   */
  defaultRegion?: PhoneRegion | undefined;
}

/**
 * Throws when `region` is not a region libphonenumber knows; `option` names the option in the message.
 * @internal
 */
export function assertPhoneRegion(region: string | undefined, option: string): void {
  if (region !== undefined && !isSupportedCountry(region)) {
    throw new RangeError(
      `crmkit: \`${option}\` must be an ISO 3166-1 alpha-2 region code such as "US" or "DE"; got ${JSON.stringify(region)}`,
    );
  }
}

/** How many recent inputs {@link normalizePhoneValue} remembers (a phone is validated against large patterns). */
export const PHONE_MEMO_CAPACITY = 1024;
// Longer inputs are computed every time, so the memo's memory stays small whatever producers send.
const MEMO_MAX_INPUT = 64;
const memo = createBoundedMemo<Normalized>(PHONE_MEMO_CAPACITY);

/**
 * @internal The core of {@link normalizePhone}; expects an already validated region. Outcomes (immutable) are
 * memoized per region and input: a stream of events repeats the same few numbers.
 */
export function normalizePhoneValue(input: string, defaultRegion: PhoneRegion | undefined): Normalized {
  if (input.length > MEMO_MAX_INPUT) return computePhone(input, defaultRegion);
  // A region has no NUL, so the region is everything before the first one and keys cannot collide.
  const key = `${defaultRegion ?? ""}\u0000${input}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const outcome = computePhone(input, defaultRegion);
  memo.set(key, outcome);
  return outcome;
}

function computePhone(input: string, defaultRegion: PhoneRegion | undefined): Normalized {
  const trimmed = input.trim();
  if (trimmed.length === 0) {
    return rejected("invalid_phone", "is empty; send a number like +14155550132, or leave the field out");
  }
  const international = trimmed.startsWith("+");
  if (!international && defaultRegion === undefined) {
    return rejected(
      "phone_region_required",
      `${quote(input)} has no country code; send it in international format like +14155550132, or set the defaultRegion option (e.g. "US")`,
    );
  }
  const parsed = parseValidPhone(trimmed, defaultRegion);
  if (parsed === undefined) {
    const region = international || defaultRegion === undefined ? "" : ` for region ${defaultRegion}`;
    return rejected(
      "invalid_phone",
      `${quote(input)} is not a valid phone number${region}; send it in international format like +14155550132`,
    );
  }
  return normalized(parsed.e164);
}

/**
 * Normalizes a phone number to E.164 (`+14155550132`) with libphonenumber's full metadata, so an impossible
 * number is an issue rather than a silently stored string. An extension (`ext. 12`) is not part of E.164 and is
 * dropped. Idempotent: normalizing the output again returns it unchanged.
 *
 * @returns the E.164 number, or a `ContractError` (code `invalid_phone`, or `phone_region_required` for a
 * national number without `defaultRegion`).
 * @throws {RangeError} when `options.defaultRegion` is not a known region code (a programming error).
 * @example
 * normalizePhone("+1 (415) 555-0132"); // ok("+14155550132")
 * normalizePhone("030 901820", { defaultRegion: "DE" }); // ok("+4930901820")
 * normalizePhone("(415) 555-0132"); // err: no country code and no defaultRegion
 */
export function normalizePhone(
  input: string,
  options: NormalizePhoneOptions = {},
): Result<string, ContractError> {
  assertPhoneRegion(options.defaultRegion, "defaultRegion");
  return toResult(normalizePhoneValue(input, options.defaultRegion));
}
