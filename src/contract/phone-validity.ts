import {
  type CountryCode,
  Metadata,
  type MetadataJson,
  parsePhoneNumberFromString,
} from "libphonenumber-js/core";
import maxMetadata from "libphonenumber-js/max/metadata";

// libphonenumber builds `new RegExp("^(?:" + pattern + ")$")` from its metadata on every check, and decides the
// country of a +1 number by running the full type patterns of each NANPA country in turn, then runs them again
// for `isValid()`. With the US fixed-line pattern that was most of `parseEvent`'s time. This module keeps
// libphonenumber's parser (extraction, national prefixes, calling codes) but runs the country choice and the
// validity check once, with each pattern compiled once. It mirrors libphonenumber's `getCountryByNationalNumber`,
// `getNumberType` and `isValidNumber` step for step; a property test holds it to `PhoneNumber.isValid()`.

/** The parts of libphonenumber's `Metadata` used below: public at runtime, absent from its type declarations. */
interface TypeDefinition {
  pattern(): string;
  possibleLengths(): readonly number[] | undefined;
}
interface MetadataInternals {
  selectNumberingPlan(countryOrCallingCode: string): void;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  nationalNumberPattern(): string;
  type(name: string): TypeDefinition | undefined;
}

const NON_FIXED_LINE_TYPES = [
  "MOBILE",
  "PREMIUM_RATE",
  "TOLL_FREE",
  "SHARED_COST",
  "VOIP",
  "PERSONAL_NUMBER",
  "PAGER",
  "UAN",
  "VOICEMAIL",
] as const;

const whole = new Map<string, RegExp>();
const leading = new Map<string, RegExp>();

function matchesEntirely(text: string, pattern: string): boolean {
  let regexp = whole.get(pattern);
  if (regexp === undefined) {
    regexp = new RegExp(`^(?:${pattern})$`);
    whole.set(pattern, regexp);
  }
  return regexp.test(text);
}

function startsWithLeadingDigits(text: string, pattern: string): boolean {
  let regexp = leading.get(pattern);
  if (regexp === undefined) {
    regexp = new RegExp(pattern);
    leading.set(pattern, regexp);
  }
  return text.search(regexp) === 0;
}

function isType(nationalNumber: string, name: string, metadata: MetadataInternals): boolean {
  const definition = metadata.type(name);
  if (definition === undefined || !definition.pattern()) return false;
  const lengths = definition.possibleLengths();
  if (lengths !== undefined && !lengths.includes(nationalNumber.length)) return false;
  return matchesEntirely(nationalNumber, definition.pattern());
}

// libphonenumber's `getNumberType(...) !== undefined` for the selected numbering plan: the general pattern, then
// fixed line, then every other type. Which type matched does not matter here, only that one did.
function hasNumberType(nationalNumber: string, metadata: MetadataInternals): boolean {
  if (!matchesEntirely(nationalNumber, metadata.nationalNumberPattern())) return false;
  if (isType(nationalNumber, "FIXED_LINE", metadata)) return true;
  for (const name of NON_FIXED_LINE_TYPES) if (isType(nationalNumber, name, metadata)) return true;
  return false;
}

const full = maxMetadata as MetadataJson;
const internals = new Metadata(full) as unknown as MetadataInternals;

// The parser gets a copy of the metadata whose shared calling codes list only their main country, so it skips
// the country choice (done once below, against the full list) and returns the same calling code and national
// number: both are extracted with the calling code's main numbering plan before any country is chosen.
const parserMetadata: MetadataJson = {
  ...full,
  country_calling_codes: Object.fromEntries(
    Object.entries(full.country_calling_codes).map(([code, countries]) => [code, countries.slice(0, 1)]),
  ),
};

function countryOf(
  callingCode: string,
  nationalNumber: string,
  fallback: CountryCode | undefined,
): CountryCode | undefined {
  const countries = full.country_calling_codes[callingCode];
  if (countries === undefined) return fallback;
  if (countries.length === 1) return countries[0];
  for (const country of countries) {
    internals.selectNumberingPlan(country);
    const digits = internals.leadingDigits();
    if (digits) {
      if (startsWithLeadingDigits(nationalNumber, digits)) return country;
    } else if (hasNumberType(nationalNumber, internals)) {
      return country;
    }
  }
  return fallback;
}

/** The E.164 form of a valid phone number. */
export interface ValidPhone {
  readonly e164: string;
}

/**
 * Parses `text` (already trimmed) like libphonenumber's `parsePhoneNumberFromString(text, { defaultCountry,
 * extract: false })` with the full metadata and returns its E.164 number when `isValid()` would be true, else
 * `undefined`.
 * @internal
 */
export function parseValidPhone(
  text: string,
  defaultCountry: CountryCode | undefined,
): ValidPhone | undefined {
  const parsed = defaultCountry
    ? parsePhoneNumberFromString(text, { defaultCountry, extract: false }, parserMetadata)
    : parsePhoneNumberFromString(text, { extract: false }, parserMetadata);
  if (parsed === undefined) return undefined;
  const nationalNumber: string = parsed.nationalNumber;
  const callingCode: string = parsed.countryCallingCode;
  // A number whose calling code was read from it (`+1`, `011 1`, `1 415…`) starts without a country; a national
  // one (libphonenumber sets no calling-code source) starts with the default region. Either may be replaced by
  // the country the national number belongs to (`+1 268 …` is Antigua, not the US).
  const source = (parsed as { __countryCallingCodeSource?: string }).__countryCallingCodeSource;
  const country = countryOf(callingCode, nationalNumber, source === undefined ? defaultCountry : undefined);
  internals.selectNumberingPlan(country ?? callingCode);
  const valid = internals.hasTypes()
    ? hasNumberType(nationalNumber, internals)
    : matchesEntirely(nationalNumber, internals.nationalNumberPattern());
  return valid ? { e164: `+${callingCode}${nationalNumber}` } : undefined;
}
