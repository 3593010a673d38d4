import { describe, expect, it } from "vitest";
import { normalizeDomain } from "../../src/contract/index.js";

describe("normalizeDomain", () => {
  it.each([
    ["https://www.Example.com/about", "example.com"],
    ["http://example.com:8080/path?q=1#top", "example.com"],
    ["EXAMPLE.COM.", "example.com"],
    ["www.example.co.uk", "example.co.uk"],
    ["//cdn.example.com/x", "cdn.example.com"],
    ["https://user:pass@www.example.com", "example.com"],
    ["example.com?utm_source=x", "example.com"],
    ["  example.com  ", "example.com"],
    ["Bücher.de", "xn--bcher-kva.de"],
    ["https://www.www.example.com", "example.com"],
    ["www.com", "www.com"],
    ["ops@example.com", "example.com"],
  ])("normalizes %j to %j", (input, expected) => {
    expect(normalizeDomain(input)._unsafeUnwrap()).toBe(expected);
  });

  it.each([
    ["not a domain"],
    ["localhost"],
    ["127.0.0.1"],
    ["-bad-.com"],
    ["exa_mple.com"],
    ["https://"],
    ["."],
  ])("rejects %j with an invalid_domain issue", (input) => {
    const issue = normalizeDomain(input)._unsafeUnwrapErr().issues[0];
    expect(issue?.code).toBe("invalid_domain");
    expect(issue?.message).toContain("example.com");
  });

  it("rejects a blank value as empty", () => {
    expect(normalizeDomain(" ")._unsafeUnwrapErr().issues[0]?.message).toMatch(/^is empty/);
  });

  it("rejects a host longer than 253 characters", () => {
    const long = `${Array.from({ length: 5 }, () => "a".repeat(60)).join(".")}.com`;
    expect(normalizeDomain(long).isErr()).toBe(true);
  });
});
