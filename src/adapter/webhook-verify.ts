import { timingSafeEqual } from "node:crypto";

// What every vendor's webhook check shares whatever its scheme (a signature, a shared secret, Basic auth): the
// request's headers in whatever shape the framework hands over, a comparison that does not leak by its timing, and
// the error of a request that fails.

/**
 * A webhook that must not be trusted, with the vendor's reason `code`. Answer it with 401 and do not process it;
 * nothing about the CRM is wrong, so this is deliberately not a `CrmError`. Each vendor subclasses it with its own
 * `name` and codes.
 */
export class WebhookError<Code extends string> extends Error {
  readonly code: Code;
  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }
}

/** A header bag: WHATWG `Headers`, or Node's `IncomingHttpHeaders`-style record. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The value of header `name` (give it lower-case), or the first of a repeated header in a Node-style record;
 * `undefined` when the request does not carry it.
 */
export function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(
    headers as Record<string, string | readonly string[] | undefined>,
  )) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : (value as string | undefined);
  }
  return undefined;
}

/**
 * Whether two digests are equal, compared in constant time; a length mismatch is a mismatch without comparing
 * contents (`timingSafeEqual` throws on it).
 */
export function safeEqual(expected: Uint8Array, actual: Uint8Array): boolean {
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
