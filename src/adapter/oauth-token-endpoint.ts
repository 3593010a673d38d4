import { CrmError, classify, redact } from "../errors/index.js";

/** Everything a refresh request needs but the refresh token. */
export interface TokenEndpoint {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly clientAuth: "body" | "basic";
  readonly extraParams: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly provider: string;
  readonly fetch: typeof fetch;
  /** The secrets to keep out of errors, as they are now: every refresh may replace the tokens among them. */
  readonly secrets: () => string[];
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function fail(endpoint: TokenEndpoint, status: number | undefined, body: unknown, cause?: unknown): CrmError {
  const { provider, secrets } = endpoint;
  const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const vendorCode = str(record["error"]) ?? str(record["status"]);
  const description = str(record["error_description"]) ?? str(record["message"]);
  const transient = status !== undefined && (status === 429 || status >= 500);
  return new CrmError({
    reason: transient ? (status === 429 ? "rate_limited" : "server_error") : "expired_token",
    provider,
    action: transient ? "retry" : "alert",
    code: vendorCode,
    status,
    message: transient
      ? `The token endpoint failed with HTTP ${status}`
      : `Refreshing the access token failed${vendorCode ? ` (${vendorCode}${description ? `: ${description}` : ""})` : ""}; re-authorise the connection`,
    responseBody: body === "" ? undefined : redact(body, { secrets: secrets() }),
    cause,
    secrets: secrets(),
  });
}

/** Posts the refresh grant; resolves once the answer holds an access token, and throws a `CrmError` otherwise. */
export async function postRefreshGrant(
  endpoint: TokenEndpoint,
  refreshToken: string,
): Promise<{ accessToken: string; record: Record<string, unknown> }> {
  const { tokenUrl, clientId, clientSecret, clientAuth, extraParams, timeoutMs, provider, secrets } =
    endpoint;
  const doFetch = endpoint.fetch;
  const form = new URLSearchParams({
    ...extraParams,
    grant_type: "refresh_token",
    refresh_token: refreshToken,
  });
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  if (clientAuth === "basic") {
    headers["authorization"] = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
  } else {
    form.set("client_id", clientId);
    if (clientSecret !== undefined) form.set("client_secret", clientSecret);
  }
  let response: Response;
  let text: string;
  try {
    response = await doFetch(tokenUrl, {
      method: "POST",
      headers,
      body: form,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const classified = classify(error, { provider, secrets: secrets() });
    throw new CrmError({
      reason: classified.reason === "unknown_response" ? "network_error" : classified.reason,
      provider,
      code: classified.code,
      message: `The token endpoint could not be reached: ${classified.message}`,
      secrets: secrets(),
    });
  }
  let body: unknown = text;
  try {
    body = text === "" ? "" : JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the error.
  }
  const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const accessToken = str(record["access_token"]);
  // Zoho answers some failures with HTTP 200 and `{"error": "invalid_code"}`.
  if (response.ok && accessToken === undefined && record["error"] === undefined) {
    throw new CrmError({
      reason: "unknown_response",
      provider,
      status: response.status,
      message: "The token endpoint answered without an access_token",
      responseBody: body === "" ? undefined : body,
      secrets: secrets(),
    });
  }
  if (!response.ok || accessToken === undefined || record["error"] !== undefined) {
    throw fail(endpoint, response.ok ? undefined : response.status, body);
  }
  return { accessToken, record };
}
