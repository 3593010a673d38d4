import { describe, expect, it } from "vitest";
import { FREE_MAIL_DOMAINS, isFreeMailDomain } from "../../src/contract/index.js";

describe("isFreeMailDomain", () => {
  it.each([
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.co.uk",
    "live.de",
    "yahoo.fr",
    "icloud.com",
    "proton.me",
    "gmx.de",
    "gmx.net",
    "web.de",
    "qq.com",
    "163.com",
  ])("treats %s as free mail", (domain) => {
    expect(isFreeMailDomain(domain)).toBe(true);
  });

  it.each(["example.com", "zoho.com", "mygmx.de", "gmx.example.com", "gmail.example.com", "notgmail.com"])(
    "treats %s as a company domain",
    (domain) => {
      expect(isFreeMailDomain(domain)).toBe(false);
    },
  );

  it("lists only lower-case domains or families", () => {
    for (const entry of FREE_MAIL_DOMAINS) expect(entry).toMatch(/^[a-z0-9.-]+(\.\*)?$/);
  });
});
