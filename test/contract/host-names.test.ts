import { domainToASCII } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hostToAscii, isAsciiHostname } from "../../src/contract/normalize-domain.js";

// The definitions the scanner replaced: DNS labels by regular expression, every host through the URL parser.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
function referenceIsAsciiHostname(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split(".");
  if (labels.length < 2) return false;
  for (const label of labels) if (!LABEL.test(label)) return false;
  return /[a-z]/.test(labels[labels.length - 1]!);
}
function referenceHostToAscii(host: string): string {
  const ascii = domainToASCII(host);
  return referenceIsAsciiHostname(ascii) ? ascii : "";
}

// Hosts built from the pieces that decide the fast path: case, digits, hyphens, punycode prefixes, hex and
// numeric top-level labels, characters the URL parser maps or rejects, and labels at the length limits.
const piece = fc.oneof(
  fc.constantFrom(
    "a",
    "Z",
    "0",
    "9",
    "-",
    ".",
    "xn--",
    "XN--",
    "0x",
    "0X",
    "_",
    " ",
    "ü",
    "\u212a",
    "\u0130",
    "%",
  ),
  fc.constantFrom("example", "com", "www", "bcher-kva", "1f", "09", "a".repeat(63), "b".repeat(64)),
);
const host = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));
const dotted = fc
  .array(fc.array(piece, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 })
  .map((labels) => labels.map((parts) => parts.join("")).join("."));

describe("host names", () => {
  it.each([
    ["example.com", "example.com"],
    ["Example.COM", "example.com"],
    ["a.0x1f", ""],
    ["a.09", ""],
    ["a.1b", "a.1b"],
    ["xn--bcher-kva.de", "xn--bcher-kva.de"],
    ["ab--cd.com", "ab--cd.com"],
    ["-a.com", ""],
    ["a..b", ""],
    ["exampl\u212a.com", "examplk.com"],
    ["Bücher.de", "xn--bcher-kva.de"],
  ])("hostToAscii(%j) is %j", (input, expected) => {
    expect(hostToAscii(input)).toBe(expected);
    expect(referenceHostToAscii(input)).toBe(expected);
  });

  it("leaves an invalid punycode label to the URL parser (Node 20 refuses xn--abc, Node 24 keeps it)", () => {
    expect(hostToAscii("xn--abc.com")).toBe(referenceHostToAscii("xn--abc.com"));
  });

  it("hostToAscii answers as the URL parser does", () => {
    fc.assert(
      fc.property(fc.oneof(host, dotted, fc.domain(), fc.string()), (value) => {
        expect(hostToAscii(value)).toBe(referenceHostToAscii(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("isAsciiHostname answers as the label pattern does", () => {
    const long = `${Array.from({ length: 4 }, () => "a".repeat(62)).join(".")}.com`;
    for (const value of [long, long.slice(1), "a.b", "a-.com", "a.b-c", "1.2.3.4", "a.b1"]) {
      expect(isAsciiHostname(value)).toBe(referenceIsAsciiHostname(value));
    }
    fc.assert(
      fc.property(fc.oneof(host, dotted, fc.domain()), (value) => {
        expect(isAsciiHostname(value)).toBe(referenceIsAsciiHostname(value));
      }),
      { numRuns: 2000 },
    );
  });
});
