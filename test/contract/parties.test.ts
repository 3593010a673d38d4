import { describe, expect, it } from "vitest";
import { Company, Contact, emailDomain } from "../../src/contract/index.js";

describe("Contact and Company", () => {
  it("normalize a contact's email and phone", () => {
    expect(
      Contact.parse({ email: " Ops@Example.com ", phone: "+1 415 555 0132", full_name: " Ops Lead " }),
    ).toEqual({
      email: "ops@example.com",
      phone: "+14155550132",
      full_name: "Ops Lead",
    });
  });

  it("normalize a company's website to its domain", () => {
    expect(Company.parse({ name: "Example Inc", domain: "https://www.Example.com/about" })).toEqual({
      name: "Example Inc",
      domain: "example.com",
    });
  });

  it("take the domain of a normalized email", () => {
    expect(emailDomain("ops@mail.example.com")).toBe("mail.example.com");
  });
});
