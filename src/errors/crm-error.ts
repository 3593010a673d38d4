import { actionFor, type CrmErrorAction, type CrmErrorReason, isCrmErrorReason } from "./reasons.js";
import { REDACTED, redact, redactString } from "./redact.js";

const BRAND = Symbol.for("crmkit.CrmError");

/** Options for constructing a {@link CrmError}. */
export interface CrmErrorOptions {
  /** What went wrong, from the closed {@link CrmErrorReason} union. */
  reason: CrmErrorReason;
  /** Which CRM (or `"crmkit"` for failures raised by crmkit itself). Custom adapters use their own id. */
  provider: string;
  /** Human-readable message; credentials in it are redacted. @default a sentence derived from `reason` */
  message?: string | undefined;
  /**
   * The vendor's own error code verbatim (HubSpot `category`/`error`, Salesforce `errorCode`, Pipedrive `error`,
   * Zoho `code`), kept for searching vendor docs.
   * @default the reason
   */
  code?: string | undefined;
  /** Overrides the action from {@link REASON_ACTIONS}; use only when the context changes what the caller must do. */
  action?: CrmErrorAction | undefined;
  /** HTTP status of the vendor response, when there was one. */
  status?: number | undefined;
  /** How long to wait before retrying, from `Retry-After` or the vendor's reset headers. */
  retryAfterMs?: number | undefined;
  /** The vendor's request/correlation id, to quote to their support. */
  requestId?: string | undefined;
  /** The vendor's response body; stored redacted. */
  responseBody?: unknown;
  /** For `duplicate_conflict`: the id of the record that already exists, when the vendor names it. */
  existingId?: string | undefined;
  /** The fields the error is about (invalid property, enum, missing field), when known. */
  fields?: readonly string[] | undefined;
  /** The underlying error. */
  cause?: unknown;
  /** Exact secret values to scrub from the message and body. @default [] */
  secrets?: readonly string[] | undefined;
}

/** The serialized form of a {@link CrmError}; what journals store and {@link CrmError.fromJSON} reads back. */
export interface CrmErrorJSON {
  name: "CrmError";
  message: string;
  code: string;
  reason: CrmErrorReason;
  action: CrmErrorAction;
  provider: string;
  status?: number;
  retryAfterMs?: number;
  requestId?: string;
  responseBody?: unknown;
  existingId?: string;
  fields?: readonly string[];
  cause?: { name: string; message: string };
}

const DEFAULT_MESSAGES: Record<CrmErrorReason, string> = {
  rate_limited: "The CRM's rate limit was reached",
  quota_exhausted: "The CRM's daily API budget is used up",
  server_error: "The CRM returned a server error",
  network_timeout: "The request to the CRM timed out",
  network_error: "The CRM could not be reached",
  locked: "The CRM record or account is temporarily locked",
  aborted: "The operation was aborted",
  invalid_property: "A property does not exist in the CRM",
  invalid_enum: "A value is not one of the field's allowed options",
  missing_required_field: "A field the CRM requires is missing",
  validation_failed: "The CRM rejected the data",
  ambiguous_duplicate_match: "More than one CRM record matches the same key",
  duplicate_conflict: "The record already exists in the CRM",
  inactive_owner: "The owner is inactive",
  association_type_error: "The association type is not valid for these objects",
  not_found: "The CRM record was not found",
  payload_too_large: "The request is larger than the CRM accepts",
  expired_token: "The access token expired and could not be refreshed",
  invalid_token: "The access token is invalid",
  missing_scope: "The token lacks a required scope",
  permission_denied: "The CRM user lacks permission for this operation",
  api_version_deprecated: "The CRM no longer serves this API version",
  configuration_error: "crmkit is misconfigured for this CRM account",
  unknown_response: "The CRM returned a response crmkit does not understand",
};

/**
 * The one error type every CRM failure becomes. `reason` says what happened, `action` what to do about it.
 * Messages and response bodies are redacted at construction, and {@link CrmError.toJSON} never contains a secret.
 *
 * @example
 * const error = new CrmError({ reason: "rate_limited", provider: "hubspot", status: 429, retryAfterMs: 10_000 });
 * error.action // "retry"
 */
export class CrmError extends Error {
  override readonly name = "CrmError" as const;
  readonly code: string;
  readonly reason: CrmErrorReason;
  readonly action: CrmErrorAction;
  readonly provider: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly requestId?: string;
  readonly responseBody?: unknown;
  readonly existingId?: string;
  readonly fields?: readonly string[];

  constructor(options: CrmErrorOptions) {
    const secrets = { secrets: options.secrets };
    super(redactString(options.message ?? DEFAULT_MESSAGES[options.reason], secrets), {
      cause: options.cause,
    });
    Object.defineProperty(this, BRAND, { value: true });
    this.reason = options.reason;
    this.action = options.action ?? actionFor(options.reason);
    this.provider = options.provider;
    this.code = options.code ?? options.reason;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = Math.max(0, Math.ceil(options.retryAfterMs));
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.responseBody !== undefined) this.responseBody = redact(options.responseBody, secrets);
    if (options.existingId !== undefined) this.existingId = options.existingId;
    if (options.fields !== undefined) this.fields = [...options.fields];
  }

  /** A JSON-safe, secret-free copy for logs, journals and API responses. */
  toJSON(): CrmErrorJSON {
    const json: CrmErrorJSON = {
      name: "CrmError",
      message: this.message,
      code: this.code,
      reason: this.reason,
      action: this.action,
      provider: this.provider,
    };
    if (this.status !== undefined) json.status = this.status;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    if (this.requestId !== undefined) json.requestId = this.requestId;
    if (this.responseBody !== undefined) json.responseBody = this.responseBody;
    if (this.existingId !== undefined) json.existingId = this.existingId;
    if (this.fields !== undefined) json.fields = this.fields;
    if (this.cause instanceof Error) {
      json.cause = redact({ name: this.cause.name, message: this.cause.message });
    } else if (this.cause !== undefined) {
      json.cause = { name: typeof this.cause, message: REDACTED };
    }
    return json;
  }

  /**
   * Rebuilds an error from {@link CrmError.toJSON} output (for example a journal's dead letter). Unknown reasons
   * become `unknown_response` rather than throwing.
   */
  static fromJSON(json: unknown): CrmError {
    const input = (typeof json === "object" && json !== null ? json : {}) as Partial<CrmErrorJSON>;
    const reason = isCrmErrorReason(input.reason) ? input.reason : "unknown_response";
    return new CrmError({
      reason,
      provider: typeof input.provider === "string" ? input.provider : "unknown",
      message: typeof input.message === "string" ? input.message : undefined,
      code: typeof input.code === "string" ? input.code : undefined,
      action:
        input.action === "retry" || input.action === "review" || input.action === "alert"
          ? input.action
          : undefined,
      status: typeof input.status === "number" ? input.status : undefined,
      retryAfterMs: typeof input.retryAfterMs === "number" ? input.retryAfterMs : undefined,
      requestId: typeof input.requestId === "string" ? input.requestId : undefined,
      responseBody: input.responseBody,
      existingId: typeof input.existingId === "string" ? input.existingId : undefined,
      fields: Array.isArray(input.fields)
        ? input.fields.filter((f): f is string => typeof f === "string")
        : undefined,
    });
  }
}

/**
 * True for any `CrmError`, including one created by another copy of crmkit or in another realm (worker, vm
 * context), where `instanceof` fails.
 *
 * @example
 * if (isCrmError(error) && error.action === "retry") scheduleRetry(error.retryAfterMs);
 */
export function isCrmError(value: unknown): value is CrmError {
  if (value instanceof CrmError) return true;
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<CrmError> & { [BRAND]?: unknown };
  return candidate[BRAND] === true && candidate.name === "CrmError" && isCrmErrorReason(candidate.reason);
}
