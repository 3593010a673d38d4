import { CrmError, classify, redactString } from "../errors/index.js";

/** How the transport reads a successful response's body. */
export type ExpectBody = "json" | "text" | "none";

/**
 * Reads a body once, as the request asked: errors are always read (JSON when it parses, else text) because
 * the error mapping needs them; successes follow `expect`, and unread bodies are cancelled so the connection
 * is released.
 */
export async function readBody(response: Response, expect: ExpectBody, provider: string): Promise<unknown> {
  if (response.ok && expect === "none") {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const text = await response.text();
  if (response.ok && expect === "text") return text;
  if (text === "") return response.ok ? undefined : "";
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (!response.ok) return text;
    throw new CrmError({
      reason: "unknown_response",
      provider,
      status: response.status,
      message: `Expected a JSON body but got ${JSON.stringify(text.slice(0, 80))}`,
      cause: error,
    });
  }
}

/** The first request-id header present, for quoting to vendor support. */
export function requestIdOf(headers: Headers, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null && value !== "") return value;
  }
  return undefined;
}

// ky's TimeoutError keeps the Request (with its Authorization header) on `.request`; keep only what helps a
// person diagnose the failure: name, redacted message and the socket error code.
function safeCause(error: unknown, secrets: readonly string[]): Error | undefined {
  if (!(error instanceof Error)) return undefined;
  const copy = new Error(redactString(error.message, { secrets }));
  copy.name = error.name;
  let code: unknown;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    code = (e as { code?: unknown }).code;
    if (typeof code === "string") break;
  }
  if (typeof code === "string") Object.defineProperty(copy, "code", { value: code, enumerable: true });
  return copy;
}

/** Turns a thrown fetch/ky/abort failure into a `CrmError` that holds no request object and no secret. */
export function failureToCrmError(
  error: unknown,
  provider: string,
  secrets: readonly string[],
  aborted: boolean,
): CrmError {
  const classified = classify(error, { provider, secrets });
  if (classified.reason !== "aborted" && aborted) {
    return new CrmError({ reason: "aborted", provider, cause: safeCause(error, secrets), secrets });
  }
  if (classified.cause === error && !(error instanceof CrmError)) {
    return new CrmError({
      reason: classified.reason,
      provider,
      code: classified.code,
      message: classified.message,
      cause: safeCause(error, secrets),
      secrets,
    });
  }
  return scrubError(classified, secrets);
}

/**
 * Returns `error` itself when its JSON form holds none of `secrets`, else a redacted copy. Adapters' mappings
 * may echo request data back; this is the last line that keeps a token out of errors.
 */
export function scrubError(error: CrmError, secrets: readonly string[]): CrmError {
  const json = JSON.stringify(error.toJSON());
  if (!secrets.some((secret) => secret.length >= 6 && json.includes(secret))) return error;
  return new CrmError({
    reason: error.reason,
    provider: error.provider,
    message: error.message,
    code: error.code,
    action: error.action,
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    requestId: error.requestId,
    responseBody: error.responseBody,
    existingId: error.existingId,
    fields: error.fields,
    secrets,
  });
}
