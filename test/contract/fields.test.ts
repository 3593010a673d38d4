import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  CurrencyCode,
  createEventParser,
  DomainName,
  EmailAddress,
  Identifier,
  OptionalDomainName,
  OptionalPhoneNumber,
  optionalText,
  PhoneNumber,
  requiredText,
  Timestamp,
} from "../../src/contract/index.js";

function customCode(result: z.ZodSafeParseResult<unknown>): unknown {
  return result.error?.issues[0]?.code === "custom" ? result.error.issues[0].params?.["code"] : undefined;
}

describe("field schemas used on their own", () => {
  it("normalize in place: EmailAddress, DomainName, Timestamp, CurrencyCode", () => {
    expect(EmailAddress.parse(" Ann@Example.com")).toBe("ann@example.com");
    expect(DomainName.parse("https://www.example.com/x")).toBe("example.com");
    expect(Timestamp.parse("2024-05-01T12:00:00+02:00")).toBe("2024-05-01T10:00:00.000Z");
    expect(CurrencyCode.parse("eur")).toBe("EUR");
  });

  it("report a failed normalization as a custom issue with its code", () => {
    expect(customCode(EmailAddress.safeParse("nope"))).toBe("invalid_email");
    expect(customCode(CurrencyCode.safeParse("euro"))).toBe("invalid_currency");
    expect(customCode(Timestamp.safeParse("2024-05-01T10:00:00"))).toBe("timestamp_without_zone");
  });

  it("report only the length issue when a value is too long, without normalizing it", () => {
    const issues = EmailAddress.safeParse(`${"a".repeat(300)}@example.com`).error?.issues ?? [];
    expect(issues.map((issue) => issue.code)).toEqual(["too_big"]);
  });

  it("treat a blank value as an issue in PhoneNumber and DomainName, and as absent in their optional forms", () => {
    expect(customCode(PhoneNumber.safeParse(" "))).toBe("invalid_phone");
    expect(customCode(DomainName.safeParse(""))).toBe("invalid_domain");
    const schema = z.object({
      phone: OptionalPhoneNumber,
      domain: OptionalDomainName,
      note: optionalText(10),
    });
    expect(schema.parse({ phone: " ", domain: "", note: "  " })).toStrictEqual({
      phone: undefined,
      domain: undefined,
      note: undefined,
    });
  });

  it("see no default phone region outside a parser", () => {
    expect(customCode(PhoneNumber.safeParse("(415) 555-0132"))).toBe("phone_region_required");
  });

  it("see the parser's region only during that parser's parse", () => {
    const parser = createEventParser({ defaultRegion: "US" });
    parser.parse({});
    expect(customCode(PhoneNumber.safeParse("(415) 555-0132"))).toBe("phone_region_required");
  });

  it("trim identifiers and texts and reject blank required ones", () => {
    expect(Identifier.parse(" id_1 ")).toBe("id_1");
    expect(requiredText(5).safeParse("   ").success).toBe(false);
    expect(requiredText(5).safeParse("123456").success).toBe(false);
  });
});
