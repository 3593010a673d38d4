import { CrmError, reasonForStatus } from "../errors/index.js";
import { parseRetryAfter } from "./retry-after.js";

/** A non-2xx response as the transport hands it to {@link ToCrmError}. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON when the body was JSON, else the text (empty string for no body). */
  readonly body: unknown;
  /** The request, with its URL already redacted. */
  readonly request: { readonly method: string; readonly url: string };
  /** The transport clock's time when the response arrived (for HTTP-date `Retry-After`). */
  readonly now: number;
  /** The request id from the response headers, when there was one. */
  readonly requestId?: string | undefined;
  /** Credential values used for this request; pass them to `new CrmError({ secrets })`. */
  readonly secrets: readonly string[];
}

/**
 * Maps one vendor error response to a {@link CrmError}. Each adapter supplies its own (HubSpot `category`,
 * Salesforce `errorCode`, Pipedrive `error`, Zoho `code`); {@link defaultToCrmError} covers custom adapters.
 * The transport retries according to the returned error's `action` and `retryAfterMs`, so this function
 * decides what is transient.
 */
export type ToCrmError = (response: ErrorResponse) => CrmError;

/**
 * A {@link ToCrmError} that knows only HTTP: the reason comes from {@link reasonForStatus}, `retryAfterMs`
 * from `Retry-After` (and, on 429, the rate-limit reset headers), and the body is kept redacted for diagnosis.
 *
 * @example
 * const transport = createTransport({
 *   provider: "acme",
 *   baseUrl: "https://api.acme-crm.test/v2",
 *   toCrmError: defaultToCrmError("acme"),
 * });
 */
export function defaultToCrmError(provider: string): ToCrmError {
  if (typeof provider !== "string" || provider === "") {
    throw new TypeError('defaultToCrmError: `provider` must be a non-empty string, e.g. "acme"');
  }
  return (response) => {
    const retryAfterMs = parseRetryAfter(response.headers, response.now, {
      resetHeaders: response.status === 429,
    });
    return new CrmError({
      reason: reasonForStatus(response.status),
      provider,
      message: `${response.request.method} ${response.request.url} failed with HTTP ${response.status}`,
      status: response.status,
      retryAfterMs,
      requestId: response.requestId,
      responseBody: response.body === "" ? undefined : response.body,
      secrets: response.secrets,
    });
  };
}
