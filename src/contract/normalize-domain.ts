import { domainToASCII } from "node:url";
import type { Result } from "neverthrow";
import type { ContractError } from "../errors/index.js";
import { CONTRACT_LIMITS } from "./bounds.js";
import { type Normalized, normalized, quote, rejected, toResult } from "./outcome.js";

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const PORT = /:\d*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HAS_LETTER = /[a-z]/;

/**
 * True for an ASCII host name as DNS allows it: at most 253 characters, two or more dot-separated labels of 1–63
 * letters, digits and inner hyphens, and a top-level label that is not all digits (so IPv4 addresses are not
 * domains). Expects lower case.
 */
export function isAsciiHostname(host: string): boolean {
  if (host.length === 0 || host.length > CONTRACT_LIMITS.domain) return false;
  const labels = host.split(".");
  if (labels.length < 2) return false;
  for (const label of labels) if (!LABEL.test(label)) return false;
  return HAS_LETTER.test(labels[labels.length - 1]!);
}

/** Lower-cases a host and converts an internationalized name to punycode; `""` when it is not a host name. */
export function hostToAscii(host: string): string {
  const ascii = domainToASCII(host);
  return isAsciiHostname(ascii) ? ascii : "";
}

function stripWww(host: string): string {
  let current = host;
  // `www.` is dropped only while a registrable name remains, so `www.com` stays and the rule is idempotent.
  while (current.startsWith("www.") && current.indexOf(".", 4) !== -1) current = current.slice(4);
  return current;
}

/** @internal The allocation-free core of {@link normalizeDomain}. */
export function normalizeDomainValue(input: string): Normalized {
  let host = input.trim();
  if (host.length === 0) {
    return rejected("invalid_domain", "is empty; send a domain such as example.com, or leave the field out");
  }
  host = host.replace(SCHEME, "");
  if (host.startsWith("//")) host = host.slice(2);
  const end = host.search(/[/?#]/);
  if (end !== -1) host = host.slice(0, end);
  const at = host.lastIndexOf("@");
  if (at !== -1) host = host.slice(at + 1);
  host = host.replace(PORT, "");
  if (host.endsWith(".")) host = host.slice(0, -1);
  const ascii = hostToAscii(host);
  if (ascii === "") {
    return rejected(
      "invalid_domain",
      `${quote(input)} is not a domain name; send a host such as example.com (a URL such as https://www.example.com/about is also accepted)`,
    );
  }
  return normalized(stripWww(ascii));
}

/**
 * Normalizes a company domain or website: trims, lower-cases, strips the scheme, user info, path, query,
 * fragment, port, a trailing dot and leading `www.` labels, and converts an internationalized name to punycode.
 * Idempotent: normalizing the output again returns it unchanged.
 *
 * @returns the bare host name, or a `ContractError` (code `invalid_domain`) when no host name can be found.
 * @example
 * normalizeDomain("https://www.Example.com:443/about?x=1"); // ok("example.com")
 * normalizeDomain("Bücher.de"); // ok("xn--bcher-kva.de")
 * normalizeDomain("not a domain"); // err(ContractError)
 */
export function normalizeDomain(input: string): Result<string, ContractError> {
  return toResult(normalizeDomainValue(input));
}
