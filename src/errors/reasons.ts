/**
 * What the caller must do about a failure.
 *
 * - `retry`: transient; the same request can succeed later (after `retryAfterMs` when given).
 * - `review`: the data or the CRM's state needs a person; retrying the same input fails the same way.
 * - `alert`: crmkit's configuration or credentials are broken; an operator must act before anything succeeds.
 */
export type CrmErrorAction = "retry" | "review" | "alert";

/**
 * The closed set of failure reasons. Every adapter maps its vendor's error bodies onto these, and
 * {@link REASON_ACTIONS} maps each reason onto one {@link CrmErrorAction}.
 */
export type CrmErrorReason =
  | "rate_limited"
  | "quota_exhausted"
  | "server_error"
  | "network_timeout"
  | "network_error"
  | "locked"
  | "aborted"
  | "invalid_property"
  | "invalid_enum"
  | "missing_required_field"
  | "validation_failed"
  | "ambiguous_duplicate_match"
  | "duplicate_conflict"
  | "inactive_owner"
  | "association_type_error"
  | "not_found"
  | "payload_too_large"
  | "expired_token"
  | "invalid_token"
  | "missing_scope"
  | "permission_denied"
  | "api_version_deprecated"
  | "configuration_error"
  | "unknown_response";

/**
 * The one table that decides the action for every reason.
 *
 * @example
 * REASON_ACTIONS.rate_limited // "retry"
 * REASON_ACTIONS.invalid_enum // "review"
 */
export const REASON_ACTIONS = {
  rate_limited: "retry",
  quota_exhausted: "retry",
  server_error: "retry",
  network_timeout: "retry",
  network_error: "retry",
  locked: "retry",
  aborted: "retry",
  invalid_property: "review",
  invalid_enum: "review",
  missing_required_field: "review",
  validation_failed: "review",
  ambiguous_duplicate_match: "review",
  duplicate_conflict: "review",
  inactive_owner: "review",
  association_type_error: "review",
  not_found: "review",
  payload_too_large: "review",
  expired_token: "alert",
  invalid_token: "alert",
  missing_scope: "alert",
  permission_denied: "alert",
  api_version_deprecated: "alert",
  configuration_error: "alert",
  unknown_response: "alert",
} as const satisfies Record<CrmErrorReason, CrmErrorAction>;

/** Every reason, in table order. */
export const CRM_ERROR_REASONS = Object.keys(REASON_ACTIONS) as readonly CrmErrorReason[];

/**
 * The action for a reason.
 *
 * @example
 * actionFor("missing_scope") // "alert"
 */
export function actionFor(reason: CrmErrorReason): CrmErrorAction {
  return REASON_ACTIONS[reason];
}

/** True for strings that are one of the {@link CrmErrorReason} values. */
export function isCrmErrorReason(value: unknown): value is CrmErrorReason {
  return typeof value === "string" && Object.hasOwn(REASON_ACTIONS, value);
}

/**
 * The reason a bare HTTP status implies when a vendor body says nothing more specific. Adapters call it as the
 * fallback of their own mapping; custom adapters can use it as their whole mapping.
 *
 * @example
 * reasonForStatus(429) // "rate_limited"
 * reasonForStatus(503) // "server_error"
 */
export function reasonForStatus(status: number): CrmErrorReason {
  if (status === 408) return "network_timeout";
  if (status === 413 || status === 414) return "payload_too_large";
  if (status === 423) return "locked";
  if (status === 429) return "rate_limited";
  if (status === 401) return "invalid_token";
  if (status === 403) return "permission_denied";
  if (status === 404) return "not_found";
  if (status === 409) return "duplicate_conflict";
  if (status === 410) return "api_version_deprecated";
  if (status === 400 || status === 422) return "validation_failed";
  if (status >= 500 && status <= 599) return "server_error";
  return "unknown_response";
}
