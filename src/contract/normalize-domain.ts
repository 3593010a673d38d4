import { domainToASCII } from "node:url";
import type { Result } from "neverthrow";
import type { ContractError } from "../errors/index.js";
import { CONTRACT_LIMITS } from "./bounds.js";
import { type Normalized, normalized, quote, rejected, toResult } from "./outcome.js";

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const PORT = /:\d*$/;
const PATH_START = /[/?#]/;
const MAX_LABEL = 63;

// Character classes of a host name, read with `charCodeAt` so a check allocates nothing (no split, no regex).
const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const HYPHEN = 4;
const DOT = 5;

function charClass(code: number): number {
  if (code >= 97 && code <= 122) return LOWER;
  if (code >= 48 && code <= 57) return DIGIT;
  if (code === 46) return DOT;
  if (code === 45) return HYPHEN;
  if (code >= 65 && code <= 90) return UPPER;
  return OTHER;
}

const INVALID = 0;
const VALID = 1;
// Valid, and certainly unchanged by `domainToASCII` apart from lower-casing: every label is plain ASCII and none
// is punycode (`xn--`), and the top-level label starts with a letter, so the WHATWG IPv4 rules (`a.0x1f`,
// `a.09`) cannot apply to it.
const PLAIN = 2;

/**
 * Classifies `host` as {@link INVALID}, {@link VALID} or {@link PLAIN} by the rules of {@link isAsciiHostname};
 * with `ignoreCase`, upper-case ASCII letters count as their lower-case forms.
 */
function classifyHost(host: string, ignoreCase: boolean): number {
  const length = host.length;
  if (length === 0 || length > CONTRACT_LIMITS.domain) return INVALID;
  let labels = 0;
  let plain = true;
  let start = 0;
  while (start <= length) {
    let end = start;
    let hasLetter = false;
    let previous = OTHER;
    for (; end < length; end++) {
      let kind = charClass(host.charCodeAt(end));
      if (kind === DOT) break;
      if (kind === UPPER && ignoreCase) kind = LOWER;
      if (kind === LOWER) hasLetter = true;
      else if (kind !== DIGIT && kind !== HYPHEN) return INVALID;
      if (end === start && kind === HYPHEN) return INVALID;
      previous = kind;
    }
    const size = end - start;
    if (size === 0 || size > MAX_LABEL || previous === HYPHEN) return INVALID;
    labels += 1;
    if (size >= 4 && isPunycodePrefix(host, start)) plain = false;
    if (end === length) {
      // The top-level label: it must hold a letter, as in isAsciiHostname, so an IPv4 address is not a domain.
      if (labels < 2 || !hasLetter) return INVALID;
      if (charClass(host.charCodeAt(start)) === DIGIT) plain = false;
      return plain ? PLAIN : VALID;
    }
    start = end + 1;
  }
  return INVALID;
}

function isPunycodePrefix(host: string, at: number): boolean {
  return (
    (host.charCodeAt(at) | 32) === 120 &&
    (host.charCodeAt(at + 1) | 32) === 110 &&
    host.charCodeAt(at + 2) === 45 &&
    host.charCodeAt(at + 3) === 45
  );
}

/**
 * True for an ASCII host name as DNS allows it: at most 253 characters, two or more dot-separated labels of 1–63
 * letters, digits and inner hyphens, and a top-level label that is not all digits (so IPv4 addresses are not
 * domains). Expects lower case.
 */
export function isAsciiHostname(host: string): boolean {
  return classifyHost(host, false) !== INVALID;
}

/** Lower-cases a host and converts an internationalized name to punycode; `""` when it is not a host name. */
export function hostToAscii(host: string): string {
  // Most hosts are plain ASCII names, for which `domainToASCII` (a call into the URL parser) only lower-cases.
  if (classifyHost(host, true) === PLAIN) return host.toLowerCase();
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
  const end = host.search(PATH_START);
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
