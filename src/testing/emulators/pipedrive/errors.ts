import type { EmulatorResponse } from "../common/router.js";

// Literal Pipedrive error bodies (vendor-facts §3.1, §3.2, §3.5). Bodies marked [obs] there are reproduced verbatim;
// texts Pipedrive does not document use the documented envelope and say so where they are built.

/** The `error_info` text of the spec's validation example. */
export const ERROR_INFO = "Please check developers.pipedrive.com for more information about Pipedrive API.";

const json = (status: number, body: unknown, headers?: Record<string, string>): EmulatorResponse =>
  headers === undefined ? { status, body } : { status, body, headers };

/** 400 in the documented envelope, e.g. `"name" is required.`. */
export function validationError(message: string): EmulatorResponse {
  return json(400, {
    success: false,
    error: message,
    error_info: ERROR_INFO,
    data: null,
    additional_data: null,
  });
}

/** 400 of a v1 endpoint: the v2 envelope plus `errorCode`, as v1 bodies carry it. */
export function v1ValidationError(message: string): EmulatorResponse {
  return json(400, {
    success: false,
    error: message,
    errorCode: 400,
    error_info: ERROR_INFO,
    data: null,
    additional_data: null,
  });
}

/** 404 `Entity was not found` (v2 spec example). */
export function notFoundError(): EmulatorResponse {
  return json(404, {
    success: false,
    error: "Entity was not found",
    error_info: "Object was not found.",
    data: null,
    additional_data: null,
  });
}

/** 404 for a path the emulator does not serve. */
export function unknownRouteError(method: string, path: string): EmulatorResponse {
  return json(404, {
    success: false,
    error: `Unknown method ${method} ${path}`,
    errorCode: 404,
    error_info: ERROR_INFO,
    data: null,
    additional_data: null,
  });
}

/**
 * 410 for v1 endpoints that went out of support on 2026-08-01. Emulator choice: vendor-facts §6 leaves 410 vs 404
 * unverified; 410 makes a stale adapter fail loudly.
 */
export function goneError(path: string): EmulatorResponse {
  return json(410, {
    success: false,
    error: `${path} is no longer supported; use API v2`,
    errorCode: 410,
    error_info: ERROR_INFO,
    data: null,
    additional_data: null,
  });
}

/** 401 for a missing, unknown or expired token [obs, multiple]. */
export function unauthorizedError(): EmulatorResponse {
  return json(401, {
    success: false,
    error: "unauthorized access",
    errorCode: 401,
    error_info: "Please check developers.pipedrive.com",
  });
}

/** 403 for an OAuth token without the route's scope [obs: pipedrive/client-php#14]. */
export function scopeMismatchError(): EmulatorResponse {
  return json(403, { success: false, error: "Scope and URL mismatch", errorCode: 403 });
}

/** 403 permission error (documented text). */
export function forbiddenError(): EmulatorResponse {
  return json(403, {
    success: false,
    error: "You don't have permission to change this resource.",
    errorCode: 403,
    error_info: ERROR_INFO,
    data: null,
    additional_data: null,
  });
}

/** 429 body of the daily token budget [obs, Aug 2026 field report]. */
export const DAILY_LIMIT_BODY = {
  success: false,
  error: "daily request budget exceeded",
  errorCode: 429,
} as const;

/** 429 body of the 2-second burst window. Unverified: the text is not documented; the envelope is. */
export const BURST_LIMIT_BODY = { success: false, error: "Request over limit", errorCode: 429 } as const;

/** The Cloudflare page Pipedrive's edge answers abusive clients with (403 `text/html`). */
export function cloudflareBlockPage(rayId: string): EmulatorResponse {
  return {
    status: 403,
    headers: { "content-type": "text/html; charset=UTF-8", "cf-ray": rayId },
    body: `<!DOCTYPE html>
<html lang="en-US"><head><title>Attention Required! | Cloudflare</title></head>
<body><div id="cf-wrapper"><h1>Sorry, you have been blocked</h1>
<h2>You are unable to access pipedrive.com</h2>
<p>This website is using a security service to protect itself from online attacks.</p>
<p>Cloudflare Ray ID: <strong>${rayId}</strong></p></div></body></html>
`,
  };
}

/** 400/401 from `POST /oauth/token`. Key names beyond `success`/`message` are unverified (vendor-facts §3.1). */
export function oauthError(status: 400 | 401, error: string, message: string): EmulatorResponse {
  return json(status, { success: false, message, error });
}

/** A generic error in the envelope for statuses without a literal body (402, 5xx). */
export function envelopeError(
  status: number,
  message: string,
  headers?: Record<string, string>,
): EmulatorResponse {
  return json(
    status,
    {
      success: false,
      error: message,
      errorCode: status,
      error_info: ERROR_INFO,
      data: null,
      additional_data: null,
    },
    headers,
  );
}
