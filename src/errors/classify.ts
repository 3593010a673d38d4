import { CrmError, isCrmError } from "./crm-error.js";

/** Options for {@link classify}. */
export interface ClassifyOptions {
  /** Provider id to put on errors that do not carry one. @default "crmkit" */
  provider?: string | undefined;
  /** Exact secret values to scrub from messages. @default [] */
  secrets?: readonly string[] | undefined;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);
const TIMEOUT_CODES = new Set([
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (typeof current !== "object" || current === null) return undefined;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns anything thrown into a {@link CrmError}: a `CrmError` passes through unchanged; aborts become `aborted`,
 * timeouts `network_timeout`, socket and DNS failures `network_error`; everything else is `unknown_response`
 * (action `alert`), because crmkit never guesses that an unexplained failure is safe to retry or to ignore.
 *
 * @example
 * const result = await ResultAsync.fromPromise(adapter.createContact(input), (e) => classify(e, { provider: "acme" }));
 */
export function classify(error: unknown, options: ClassifyOptions = {}): CrmError {
  if (isCrmError(error)) return error;
  const provider = options.provider ?? "crmkit";
  const base = { provider, cause: error, secrets: options.secrets };
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : undefined;
  if (name === "AbortError") return new CrmError({ ...base, reason: "aborted", message });
  if (name === "TimeoutError") return new CrmError({ ...base, reason: "network_timeout", message });
  const code = errorCode(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new CrmError({ ...base, reason: "network_timeout", code, message });
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new CrmError({ ...base, reason: "network_error", code, message });
  }
  // undici reports connection failures as `TypeError: fetch failed` with the socket error as its cause.
  if (error instanceof TypeError && /fetch failed|network/i.test(error.message)) {
    return new CrmError({ ...base, reason: "network_error", message });
  }
  return new CrmError({ ...base, reason: "unknown_response", message });
}
