import { describe, expect, it } from "vitest";
import { normalizeEmail } from "../../src/contract/index.js";

describe("normalizeEmail", () => {
  it("trims and lower-cases the whole address", () => {
    expect(normalizeEmail("  Ops@Example.COM ")._unsafeUnwrap()).toBe("ops@example.com");
  });

  it("converts an internationalized domain to punycode", () => {
    expect(normalizeEmail("ann@Bücher.de")._unsafeUnwrap()).toBe("ann@xn--bcher-kva.de");
  });

  it("keeps plus tags, dots and other dot-atom characters in the local part", () => {
    expect(normalizeEmail("First.Last+crm@sub.example.co.uk")._unsafeUnwrap()).toBe(
      "first.last+crm@sub.example.co.uk",
    );
  });

  it.each([
    ["not-an-email"],
    ["@example.com"],
    ["ann@"],
    ["ann@localhost"],
    ["ann@@example.com"],
    ["ann..b@example.com"],
    [".ann@example.com"],
    ["ann b@example.com"],
    ["ann@exa mple.com"],
    ["ann@127.0.0.1"],
    ['"quoted"@example.com'],
    ["jörg@example.com"],
  ])("rejects %j with an issue that shows a valid example", (input) => {
    const error = normalizeEmail(input)._unsafeUnwrapErr();
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.code).toBe("invalid_email");
    expect(error.issues[0]?.message).toContain("ann@example.com");
  });

  it("rejects a local part longer than 64 characters", () => {
    expect(normalizeEmail(`${"a".repeat(65)}@example.com`).isErr()).toBe(true);
  });

  it("rejects a blank address as empty", () => {
    expect(normalizeEmail("   ")._unsafeUnwrapErr().issues[0]?.message).toMatch(/^is empty/);
  });

  it("rejects an address longer than 254 characters after normalization", () => {
    const long = `${"a".repeat(64)}@${["b", "c", "d", "e"].map((c) => c.repeat(50)).join(".")}.com`;
    expect(normalizeEmail(long)._unsafeUnwrapErr().issues[0]?.code).toBe("too_big");
  });

  it("quotes at most 64 characters of the offending value", () => {
    const message = normalizeEmail("x".repeat(500))._unsafeUnwrapErr().issues[0]?.message ?? "";
    expect(message.length).toBeLessThan(200);
  });
});
