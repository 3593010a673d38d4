import fc from "fast-check";
import { type CountryCode, getCountries, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { parseValidPhone } from "../../src/contract/phone-validity.js";

// The reference: what normalizePhone did before the fast path, libphonenumber's own parse + isValid().
function reference(text: string, region: CountryCode | undefined): string | undefined {
  const parsed = region
    ? parsePhoneNumberFromString(text, { defaultCountry: region, extract: false })
    : parsePhoneNumberFromString(text, { extract: false });
  return parsed?.isValid() === true ? parsed.number : undefined;
}

const regions = getCountries();

describe("parseValidPhone", () => {
  it.each([
    ["+1 (415) 555-0132", undefined, "+14155550132"],
    ["+1 268 464 1234", undefined, "+12684641234"],
    ["(268) 464-1234", "US", "+12684641234"],
    ["030 901820", "DE", "+4930901820"],
    ["011 44 20 7946 0958", "US", "+442079460958"],
    ["07624 369230", "GB", "+447624369230"],
    ["+1 (415) 555-0132 ext. 12", undefined, "+14155550132"],
  ] as const)("returns the E.164 number of the valid number %s (region %s)", (text, region, e164) => {
    expect(parseValidPhone(text, region)?.e164).toBe(e164);
  });

  it.each([
    ["+1 555 555 5555", undefined],
    ["+1 415 555", undefined],
    ["12", "US"],
    ["not a phone", "DE"],
  ] as const)("returns undefined for the invalid number %s (region %s)", (text, region) => {
    expect(parseValidPhone(text, region)).toBeUndefined();
  });

  it("agrees with libphonenumber's parse + isValid() on shared calling codes (+1 NANPA, +7, +44, +262, +599)", () => {
    const codes = ["1", "7", "44", "262", "599", "61", "47"];
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.stringMatching(/^[0-9]{6,12}$/),
        fc.constantFrom(" ", "-", ""),
        (code, digits, separator) => {
          const text = `+${code}${separator}${digits}`;
          expect(parseValidPhone(text, undefined)?.e164).toBe(reference(text, undefined));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("agrees with libphonenumber's parse + isValid() on national numbers in every region", () => {
    fc.assert(
      fc.property(fc.constantFrom(...regions), fc.stringMatching(/^0?[0-9]{5,11}$/), (region, digits) => {
        expect(parseValidPhone(digits, region)?.e164).toBe(reference(digits, region));
      }),
      { numRuns: 3000 },
    );
  });
});
