/** The text every secret is replaced with. */
export const REDACTED = "[REDACTED]";

/** Options for {@link redact}. */
export interface RedactOptions {
  /**
   * Exact secret values (tokens, client secrets) to scrub wherever they appear inside strings, in addition to the
   * key- and pattern-based rules. Values shorter than 6 characters are ignored so that redaction never mangles
   * ordinary text.
   * @default []
   */
  secrets?: readonly string[] | undefined;
  /**
   * How deep nested objects are copied; deeper values become `"[Truncated]"`.
   * @default 12
   */
  maxDepth?: number | undefined;
}

// Keys whose values are credentials, whatever their shape. Matched case-insensitively on the whole key after
// removing "-" and "_", so `x-api-token`, `api_token`, `apiToken` and `API-TOKEN` all match.
const SECRET_KEYS = new Set([
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "apitoken",
  "xapitoken",
  "apikey",
  "xapikey",
  "hapikey",
  "clientsecret",
  "secret",
  "password",
  "httpauthpassword",
  "privatekey",
  "signature",
  "xhubspotsignature",
  "xhubspotsignaturev3",
]);

const SECRET_QUERY_PARAMS = [
  "api_token",
  "hapikey",
  "access_token",
  "refresh_token",
  "client_secret",
  "token",
  "apikey",
  "api_key",
  "code",
  "password",
];

const AUTH_SCHEME = /\b(Bearer|Basic|Zoho-oauthtoken|Token)\s+[A-Za-z0-9._~+/=:!-]+/gi;
const QUERY_SECRET = new RegExp(`([?&](?:${SECRET_QUERY_PARAMS.join("|")})=)[^&#\\s"']*`, "gi");
const FORM_SECRET = /\b((?:client_secret|refresh_token|access_token|api_token|hapikey|password)=)[^&\s"']*/gi;

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, "");
}

/** True when a header, field or query-parameter name holds a credential. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normalizeKey(key));
}

/**
 * Scrubs credentials from a string: `Authorization`-style schemes (`Bearer …`, `Basic …`, `Zoho-oauthtoken …`),
 * secret query parameters (`api_token`, `hapikey`, `access_token`, `refresh_token`, `client_secret`, …), form
 * bodies, and any exact secret value passed in `options.secrets`.
 *
 * @example
 * redactString("GET /v1/users?api_token=abc123") // "GET /v1/users?api_token=[REDACTED]"
 */
export function redactString(text: string, options: RedactOptions = {}): string {
  let out = text.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(QUERY_SECRET, `$1${REDACTED}`).replace(FORM_SECRET, `$1${REDACTED}`);
  for (const secret of options.secrets ?? []) {
    if (secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Returns a redacted copy of a URL string with secret query parameters replaced.
 *
 * @example
 * redactUrl("https://api.pipedrive.com/v1/deals?api_token=t0ken&limit=5")
 * // "https://api.pipedrive.com/v1/deals?api_token=[REDACTED]&limit=5"
 */
export function redactUrl(url: string, options: RedactOptions = {}): string {
  return redactString(url, options);
}

/**
 * Returns a plain-object copy of headers with every credential header replaced by `[REDACTED]`.
 *
 * @example
 * redactHeaders({ Authorization: "Bearer pat-na1-…", "content-type": "application/json" })
 * // { Authorization: "[REDACTED]", "content-type": "application/json" }
 */
export function redactHeaders(
  headers: Headers | Record<string, string | readonly string[] | undefined> | undefined,
  options: RedactOptions = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  const entries: Iterable<[string, unknown]> =
    typeof (headers as Headers).forEach === "function" && typeof (headers as Headers).get === "function"
      ? [...(headers as Headers).entries()]
      : Object.entries(headers);
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : String(value);
    out[key] = isSecretKey(key) ? REDACTED : redactString(text, options);
  }
  return out;
}

/**
 * Returns a deep copy of any value with every credential removed: values under secret keys (`authorization`,
 * `access_token`, `client_secret`, `x-api-token`, `hapikey`, …) become `[REDACTED]`, strings are passed through
 * {@link redactString}, `Headers` become plain objects, errors become `{ name, message }`, cycles become
 * `"[Circular]"`. Every error, log line and audit record crmkit produces goes through it.
 *
 * @example
 * redact({ headers: { authorization: "Bearer abc" }, body: { refresh_token: "r1" } })
 * // { headers: { authorization: "[REDACTED]" }, body: { refresh_token: "[REDACTED]" } }
 */
export function redact<T>(value: T, options: RedactOptions = {}): T {
  const maxDepth = options.maxDepth ?? 12;
  const seen = new WeakSet<object>();
  const walk = (input: unknown, depth: number): unknown => {
    if (typeof input === "string") return redactString(input, options);
    if (input === null || typeof input !== "object") return input;
    if (seen.has(input)) return "[Circular]";
    if (depth >= maxDepth) return "[Truncated]";
    seen.add(input);
    try {
      if (input instanceof Date) return new Date(input.getTime());
      if (typeof Headers !== "undefined" && input instanceof Headers) return redactHeaders(input, options);
      if (input instanceof Error) {
        return { name: input.name, message: redactString(input.message, options) };
      }
      if (input instanceof URL) return redactUrl(input.toString(), options);
      if (Array.isArray(input)) return input.map((item) => walk(item, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(input)) {
        // Assigning through defineProperty keeps a "__proto__" key an own property instead of a prototype change.
        Object.defineProperty(out, key, {
          value: isSecretKey(key) && item !== null && item !== undefined ? REDACTED : walk(item, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    } finally {
      seen.delete(input);
    }
  };
  return walk(value, 0) as T;
}
