/** Options for {@link parseRetryAfter}. */
export interface ParseRetryAfterOptions {
  /**
   * Also read rate-limit reset headers (`RateLimit-Reset`, `X-RateLimit-Reset`, `X-Rate-Limit-Reset`,
   * `X-RateLimit-Retry-After`) when there is no `Retry-After`. Only meaningful on rate-limit responses: on a
   * success they say when the current window ends, not that the caller must wait.
   * @default true
   */
  resetHeaders?: boolean | undefined;
}

type HeaderSource = Headers | Readonly<Record<string, string | undefined>>;

const RESET_HEADERS = [
  "ratelimit-reset",
  "x-ratelimit-reset",
  "x-rate-limit-reset",
  "x-ratelimit-retry-after",
];

// A reset value this large is an epoch timestamp in seconds (2024-01-01), not a delay; the same cut-off ky uses.
const EPOCH_SECONDS_FLOOR = 1_704_067_200;
const NUMBER = /^\s*\d+(?:\.\d+)?\s*$/;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | undefined>>;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function retryAfterValue(value: string, now: number): number | undefined {
  if (NUMBER.test(value)) return Math.ceil(Number(value) * 1000);
  // RFC 9110 allows only IMF-fixdate, but Date.parse also reads the obsolete RFC 850 and asctime forms. A value
  // without a month or day name is no HTTP date (Date.parse would read "-3" as a year).
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function resetValue(value: string, now: number): number | undefined {
  if (!NUMBER.test(value)) return undefined;
  const seconds = Number(value);
  return seconds >= EPOCH_SECONDS_FLOOR ? Math.max(0, seconds * 1000 - now) : Math.ceil(seconds * 1000);
}

/**
 * How long the server asked us to wait, in ms: `Retry-After` as delta-seconds (`"7"`, `"1.5"`) or an HTTP date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`, measured from `now`), else the first rate-limit reset header (delta
 * seconds, or an epoch-seconds timestamp). Returns `undefined` when no header gives a usable value; a date in
 * the past gives 0.
 *
 * @example
 * parseRetryAfter(new Headers({ "retry-after": "7" }), Date.now()) // 7000
 * parseRetryAfter({ "Retry-After": "Wed, 01 Jan 2026 00:00:30 GMT" }, Date.parse("2026-01-01T00:00:00Z")) // 30000
 */
export function parseRetryAfter(
  headers: HeaderSource,
  now: number,
  options: ParseRetryAfterOptions = {},
): number | undefined {
  const retryAfter = header(headers, "retry-after");
  if (retryAfter !== undefined && retryAfter.trim() !== "") {
    const ms = retryAfterValue(retryAfter.trim(), now);
    if (ms !== undefined) return ms;
  }
  if (options.resetHeaders === false) return undefined;
  for (const name of RESET_HEADERS) {
    const value = header(headers, name);
    if (value === undefined) continue;
    const ms = resetValue(value, now);
    if (ms !== undefined) return ms;
  }
  return undefined;
}
