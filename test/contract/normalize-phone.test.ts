import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../src/contract/index.js";

describe("normalizePhone", () => {
  it.each([
    ["+1 (415) 555-0132", "+14155550132"],
    ["+14155550132", "+14155550132"],
    ["+44 20 7946 0958", "+442079460958"],
    ["+49 30 901820", "+4930901820"],
    ["  +33 1 23 45 67 89 ", "+33123456789"],
  ])("normalizes the international number %j to E.164 %j", (input, expected) => {
    expect(normalizePhone(input)._unsafeUnwrap()).toBe(expected);
  });

  it("uses defaultRegion for a national number", () => {
    expect(normalizePhone("(415) 555-0132", { defaultRegion: "US" })._unsafeUnwrap()).toBe("+14155550132");
    expect(normalizePhone("030 901820", { defaultRegion: "DE" })._unsafeUnwrap()).toBe("+4930901820");
  });

  it("keeps an explicit country code even when defaultRegion differs", () => {
    expect(normalizePhone("+44 20 7946 0958", { defaultRegion: "US" })._unsafeUnwrap()).toBe("+442079460958");
  });

  it("reports a national number without defaultRegion as an issue naming the option", () => {
    const issue = normalizePhone("(415) 555-0132")._unsafeUnwrapErr().issues[0];
    expect(issue?.code).toBe("phone_region_required");
    expect(issue?.message).toContain("defaultRegion");
  });

  it.each([["123"], ["+1 555"], ["+999 123 456 789"], ["call me maybe"], ["+1 415 555 0132 or later"]])(
    "reports the invalid number %j as an issue instead of dropping it",
    (input) => {
      const issue = normalizePhone(input, { defaultRegion: "US" })._unsafeUnwrapErr().issues[0];
      expect(issue?.code).toBe("invalid_phone");
      expect(issue?.message).toContain("+14155550132");
    },
  );

  it("drops an extension, which E.164 cannot carry", () => {
    expect(normalizePhone("+1 415 555 0132 ext. 12")._unsafeUnwrap()).toBe("+14155550132");
  });

  it("throws a RangeError naming defaultRegion when the region is unknown", () => {
    expect(() => normalizePhone("+14155550132", { defaultRegion: "XX" as never })).toThrow(/defaultRegion/);
  });

  it("answers a repeated input with the same outcome, remembered per region", () => {
    for (let round = 0; round < 3; round++) {
      expect(normalizePhone("(415) 555-0132", { defaultRegion: "US" })._unsafeUnwrap()).toBe("+14155550132");
      expect(normalizePhone("(415) 555-0132")._unsafeUnwrapErr().issues[0]?.code).toBe(
        "phone_region_required",
      );
      expect(normalizePhone("+1 555 555 5555")._unsafeUnwrapErr().issues[0]?.code).toBe("invalid_phone");
    }
  });

  it("keeps its memo bounded: thousands of distinct numbers still normalize correctly", () => {
    for (let i = 0; i < 3000; i++) {
      const line = String(1000 + (i % 9000)).padStart(4, "0");
      const area = 200 + Math.floor(i / 9000);
      expect(normalizePhone(`+1 (415) ${area}-${line}`)._unsafeUnwrap()).toBe(`+1415${area}${line}`);
    }
  });
});
