import type { ErrorResponse, ToCrmError } from "../../adapter/index.js";
import { CrmError, type CrmErrorReason, reasonForStatus } from "../../errors/index.js";
import { calendarPeriod } from "../../ratelimit/index.js";

/** Options for {@link toHubSpotCrmError}. */
export interface HubSpotErrorOptions {
  /**
   * The account's IANA time zone: a `DAILY` 429 is retryable at its next midnight.
   * @default "UTC"
   */
  timeZone?: string | undefined;
}

interface PropertyIssue {
  readonly error?: string;
  readonly name?: string;
  readonly message?: string;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** The `[…]` issue list inside `Property values were not valid: [...]`, or `[]`. */
export function propertyIssues(message: string | undefined): PropertyIssue[] {
  if (message === undefined) return [];
  const start = message.indexOf("[");
  if (!message.startsWith("Property values were not valid") || start < 0) return [];
  try {
    const parsed: unknown = JSON.parse(message.slice(start));
    return Array.isArray(parsed) ? parsed.map((issue) => record(issue) as PropertyIssue) : [];
  } catch {
    return [];
  }
}

const ISSUE_REASONS: Readonly<Record<string, CrmErrorReason>> = {
  PROPERTY_DOESNT_EXIST: "invalid_property",
  INVALID_OPTION: "invalid_enum",
  REQUIRED_FIELD: "missing_required_field",
  MISSING_REQUIRED_PROPERTY: "missing_required_field",
};

/** Reason and fields of a `VALIDATION_ERROR` body: the most actionable issue decides. */
function validationReason(body: Record<string, unknown>): { reason: CrmErrorReason; fields: string[] } {
  const message = text(body["message"]);
  const issues = propertyIssues(message);
  for (const wanted of ["invalid_property", "invalid_enum", "missing_required_field"] as const) {
    const hits = issues.filter((issue) => ISSUE_REASONS[issue.error ?? ""] === wanted);
    if (hits.length > 0)
      return { reason: wanted, fields: hits.map((issue) => issue.name ?? "").filter((n) => n !== "") };
  }
  const fields = new Set(issues.map((issue) => issue.name ?? "").filter((n) => n !== ""));
  for (const item of Array.isArray(body["errors"]) ? body["errors"] : []) {
    const names = record(record(item)["context"])["propertyName"];
    if (Array.isArray(names)) for (const name of names) if (typeof name === "string") fields.add(name);
  }
  if (message !== undefined && /association type/i.test(message))
    return { reason: "association_type_error", fields: [...fields] };
  return { reason: "validation_failed", fields: [...fields] };
}

const CATEGORY_STATUS: Readonly<Record<string, number>> = {
  VALIDATION_ERROR: 400,
  CONFLICT: 409,
  OBJECT_NOT_FOUND: 404,
  RATE_LIMITS: 429,
  RATE_LIMIT: 429,
  MISSING_SCOPES: 403,
  EXPIRED_AUTHENTICATION: 401,
  INVALID_AUTHENTICATION: 401,
};

interface Classified {
  reason: CrmErrorReason;
  code: string;
  message: string;
  retryAfterMs?: number | undefined;
  existingId?: string | undefined;
  fields?: readonly string[] | undefined;
}

function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const value = headers?.get("retry-after")?.trim();
  return value !== undefined && /^\d+(\.\d+)?$/.test(value) ? Math.ceil(Number(value) * 1000) : undefined;
}

/** The pure heart of the mapping: one HubSpot status and body → reason, code, wait and details. */
export function classifyHubSpotError(
  status: number,
  rawBody: unknown,
  headers: Headers | undefined,
  now: number,
  timeZone: string,
): Classified {
  const body = record(rawBody);
  const category = text(body["category"]) ?? text(body["errorType"]);
  const vendorMessage = text(body["message"]) ?? (typeof rawBody === "string" ? rawBody.slice(0, 500) : "");
  const base = { code: category ?? String(status), message: vendorMessage || `HTTP ${status}` };
  if (status === 429 || category === "RATE_LIMIT" || category === "RATE_LIMITS") {
    const policy = text(body["policyName"]);
    if (policy === "DAILY") {
      const resetAt = calendarPeriod(timeZone, now).end;
      return { ...base, code: "DAILY", reason: "quota_exhausted", retryAfterMs: resetAt - now };
    }
    const interval = Number(headers?.get("x-hubspot-ratelimit-interval-milliseconds") ?? Number.NaN);
    if (policy === "TEN_SECONDLY_ROLLING")
      return {
        ...base,
        code: policy,
        reason: "rate_limited",
        retryAfterMs: Number.isFinite(interval) && interval > 0 ? interval : 10_000,
      };
    // The search API's 5/s limit ("You have reached your secondly limit.") and anything unnamed.
    const secondly = /secondly limit/i.test(vendorMessage);
    return {
      ...base,
      code: policy ?? (secondly ? "SECONDLY" : base.code),
      reason: "rate_limited",
      retryAfterMs: retryAfterSeconds(headers) ?? (secondly ? 1_000 : 10_000),
    };
  }
  if (status === 401 || category === "EXPIRED_AUTHENTICATION" || category === "INVALID_AUTHENTICATION")
    return { ...base, reason: category === "EXPIRED_AUTHENTICATION" ? "expired_token" : "invalid_token" };
  if (category === "MISSING_SCOPES") {
    const required = Array.isArray(body["errors"])
      ? body["errors"].flatMap((item) => {
          const scopes = record(record(item)["context"])["requiredScopes"];
          return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === "string") : [];
        })
      : [];
    const suffix = required.length > 0 ? ` (required: ${required.join(", ")})` : "";
    return { ...base, reason: "missing_scope", message: `${base.message}${suffix}` };
  }
  if (status === 409 || category === "CONFLICT") {
    const existingId = /Existing ID:\s*(\d+)/i.exec(vendorMessage)?.[1];
    return { ...base, reason: "duplicate_conflict", ...(existingId === undefined ? {} : { existingId }) };
  }
  if (category === "OBJECT_NOT_FOUND" || status === 404) return { ...base, reason: "not_found" };
  if (category === "VALIDATION_ERROR" || status === 400) {
    const { reason, fields } = validationReason(body);
    return { ...base, reason, ...(fields.length > 0 ? { fields } : {}) };
  }
  // 423: a bulk upsert holds a lock for about 2 s. 477: a portal migration, Retry-After in seconds (up to 24 h).
  if (status === 423)
    return { ...base, reason: "locked", retryAfterMs: Math.max(2_000, retryAfterSeconds(headers) ?? 0) };
  if (status === 477)
    return { ...base, reason: "locked", retryAfterMs: retryAfterSeconds(headers) ?? 60_000 };
  if (status === 403) return { ...base, reason: "permission_denied" };
  const reason = reasonForStatus(status);
  const wait = retryAfterSeconds(headers);
  return { ...base, reason, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
}

/**
 * HubSpot's error mapping, the transport's `toCrmError`: every body of vendor-facts §1.1, §1.2 and §1.5 becomes one
 * {@link CrmError}. `VALIDATION_ERROR` with `PROPERTY_DOESNT_EXIST` → `invalid_property`, `INVALID_OPTION` →
 * `invalid_enum`; `CONFLICT` → `duplicate_conflict` with `existingId`; `OBJECT_NOT_FOUND` → `not_found`;
 * `EXPIRED_AUTHENTICATION`/`INVALID_AUTHENTICATION` → `expired_token`/`invalid_token`; `MISSING_SCOPES` →
 * `missing_scope`; 429 `DAILY` → `quota_exhausted` until the account's midnight, `TEN_SECONDLY_ROLLING` →
 * `rate_limited` for the interval; 423/477 → `locked`; 5xx and 52x → `server_error`.
 *
 * @example
 * const transport = createTransport({ provider: "hubspot", baseUrl, toCrmError: toHubSpotCrmError({ timeZone: "Europe/Berlin" }) });
 */
export function toHubSpotCrmError(options: HubSpotErrorOptions = {}): ToCrmError {
  const timeZone = options.timeZone ?? "UTC";
  return (response: ErrorResponse) => {
    const classified = classifyHubSpotError(
      response.status,
      response.body,
      response.headers,
      response.now,
      timeZone,
    );
    const correlationId = text(record(response.body)["correlationId"]);
    return new CrmError({
      reason: classified.reason,
      provider: "hubspot",
      code: classified.code,
      status: response.status,
      message: `${response.request.method} ${response.request.url} failed with HTTP ${response.status}: ${classified.message}`,
      retryAfterMs: classified.retryAfterMs,
      requestId: response.requestId ?? correlationId,
      responseBody: response.body === "" ? undefined : response.body,
      existingId: classified.existingId,
      fields: classified.fields,
      secrets: response.secrets,
    });
  };
}

/**
 * One entry of a batch response's `errors[]` (a 207 multi-status) as a {@link CrmError}; the HTTP status is
 * implied by its `category`.
 */
export function hubSpotItemError(item: unknown, now: number, timeZone = "UTC"): CrmError {
  const body = record(item);
  const category = text(body["category"]);
  const status = CATEGORY_STATUS[category ?? ""] ?? 400;
  const classified = classifyHubSpotError(status, body, undefined, now, timeZone);
  return new CrmError({
    reason: classified.reason,
    provider: "hubspot",
    code: classified.code,
    status,
    message: `Batch item failed: ${classified.message}`,
    existingId: classified.existingId,
    fields: classified.fields,
    responseBody: item,
  });
}
