import type { ErrorResponse, ToCrmError } from "../../adapter/index.js";
import { CrmError, type CrmErrorReason, reasonForStatus } from "../../errors/index.js";

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** When Pipedrive's edge blocks an abusive client it answers 403 with an HTML page; back off this long. */
export const PIPEDRIVE_BLOCK_BACKOFF_MS = 60_000;
/** Without `retry-after` or `x-ratelimit-reset`, a burst 429 waits out one 2-second window. */
const BURST_WINDOW_MS = 2_000;

/** The outcome of {@link classifyPipedriveError}: reason, vendor code, message, wait and fields. */
export interface ClassifiedPipedriveError {
  readonly reason: CrmErrorReason;
  readonly code: string;
  readonly message: string;
  readonly retryAfterMs?: number | undefined;
  readonly fields?: readonly string[] | undefined;
}

function seconds(headers: Headers | undefined, name: string): number | undefined {
  const value = headers?.get(name)?.trim();
  return value !== undefined && /^\d+(\.\d+)?$/.test(value) ? Math.ceil(Number(value) * 1000) : undefined;
}

// `"name" is required.`, `"foo" is not allowed`, `Invalid value for custom field "Lead source" (abc…)`.
const quoted = (message: string): string[] => [...message.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);

function validation(message: string): { reason: CrmErrorReason; fields: string[] } {
  const fields = quoted(message);
  if (/inactive user/i.test(message)) return { reason: "inactive_owner", fields };
  if (/is required|must be attached|are required/i.test(message))
    return { reason: "missing_required_field", fields };
  if (/is not allowed|unknown field|not a valid field/i.test(message))
    return { reason: "invalid_property", fields };
  if (/option/i.test(message)) return { reason: "invalid_enum", fields };
  return { reason: "validation_failed", fields };
}

/**
 * The pure heart of the mapping: one Pipedrive status, body and headers → reason, code, wait and fields. Pipedrive
 * has no machine-readable error codes beyond the HTTP status, so the `error` text decides only where the status
 * is ambiguous (429 burst vs daily budget, 403 scope vs permission, 400 kinds); the adapter never depends on
 * texts for anything else (vendor-facts §3.5 marks several of them as observed, not documented).
 */
export function classifyPipedriveError(
  status: number,
  rawBody: unknown,
  headers: Headers | undefined,
): ClassifiedPipedriveError {
  const body = record(rawBody);
  const html = typeof rawBody === "string" && /<html|<!doctype/i.test(rawBody);
  const vendorMessage =
    text(body["error"]) ??
    text(body["message"]) ??
    (typeof rawBody === "string" && !html ? rawBody.slice(0, 500) : "");
  const message = vendorMessage || `HTTP ${status}`;
  const vendorCode = text(body["code"]);
  if (status === 429) {
    const wait = seconds(headers, "retry-after");
    if (/daily|budget/i.test(vendorMessage))
      return { reason: "quota_exhausted", code: "daily_budget", message, retryAfterMs: wait };
    return {
      reason: "rate_limited",
      code: "burst",
      message,
      retryAfterMs: wait ?? seconds(headers, "x-ratelimit-reset") ?? BURST_WINDOW_MS,
    };
  }
  if (status === 403 && html)
    return {
      reason: "rate_limited",
      code: "edge_block",
      message: "Pipedrive's edge (Cloudflare) blocked the client after repeated 429s",
      retryAfterMs: seconds(headers, "retry-after") ?? PIPEDRIVE_BLOCK_BACKOFF_MS,
    };
  if (status === 401) return { reason: "invalid_token", code: "unauthorized", message };
  if (status === 403) {
    if (/scope/i.test(vendorMessage)) return { reason: "missing_scope", code: "scope_mismatch", message };
    return { reason: "permission_denied", code: vendorCode ?? "forbidden", message };
  }
  if (status === 402) return { reason: "permission_denied", code: vendorCode ?? "payment_required", message };
  if (status === 404) return { reason: "not_found", code: "not_found", message };
  if (status === 410) return { reason: "api_version_deprecated", code: "gone", message };
  if (status === 400 || status === 422) {
    const { reason, fields } = validation(vendorMessage);
    return { reason, code: "validation", message, ...(fields.length > 0 ? { fields } : {}) };
  }
  const wait = seconds(headers, "retry-after");
  return {
    reason: reasonForStatus(status),
    code: vendorCode ?? String(status),
    message,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  };
}

/**
 * Pipedrive's error mapping, the transport's `toCrmError`: every body of vendor-facts §3.5 becomes one
 * {@link CrmError}. 401 `unauthorized access` → `invalid_token` (an OAuth token provider refreshes and replays
 * once); 403 `Scope and URL mismatch` → `missing_scope`, other 403s and 402 → `permission_denied`, a 403 HTML page
 * from the edge → `rate_limited` for a minute; 404 → `not_found`; 410 (removed v1 endpoint) →
 * `api_version_deprecated`; 400/422 → `missing_required_field`, `invalid_property`, `invalid_enum` or
 * `validation_failed`; 429 `daily request budget exceeded` → `quota_exhausted` until `retry-after`, any other 429
 * → `rate_limited` for `retry-after` (else `x-ratelimit-reset`, else 2 s); 5xx → `server_error`.
 *
 * @example
 * const transport = createTransport({ provider: "pipedrive", baseUrl, toCrmError: toPipedriveCrmError() });
 */
export function toPipedriveCrmError(): ToCrmError {
  return (response: ErrorResponse) => {
    const classified = classifyPipedriveError(response.status, response.body, response.headers);
    return new CrmError({
      reason: classified.reason,
      provider: "pipedrive",
      code: classified.code,
      status: response.status,
      message: `${response.request.method} ${response.request.url} failed with HTTP ${response.status}: ${classified.message}`,
      retryAfterMs: classified.retryAfterMs,
      requestId: response.requestId,
      responseBody: response.body === "" ? undefined : response.body,
      fields: classified.fields,
      secrets: response.secrets,
    });
  };
}
