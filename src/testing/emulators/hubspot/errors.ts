import type { EmulatorResponse } from "../common/router.js";

// Literal HubSpot error bodies (vendor-facts §1.1, §1.2, §1.5). Messages marked [obs] there are reproduced verbatim;
// a body whose exact text HubSpot does not document uses the documented envelope and category.

/** One entry of the `Property values were not valid: [...]` list. */
export interface PropertyIssue {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
  portalId: number;
}

/** Builds one property issue. */
export function propertyIssue(name: string, error: string, message: string, portalId: number): PropertyIssue {
  return { isValid: false, message, error, name, localizedErrorMessage: message, portalId };
}

const json = (status: number, body: unknown, headers?: Record<string, string>): EmulatorResponse =>
  headers === undefined ? { status, body } : { status, body, headers };

/** 400 `VALIDATION_ERROR` with a free-text message. */
export function validationError(
  correlationId: string,
  message: string,
  context?: Record<string, string[]>,
): EmulatorResponse {
  return json(400, {
    status: "error",
    message,
    correlationId,
    ...(context === undefined ? {} : { context }),
    category: "VALIDATION_ERROR",
  });
}

/** The message of a property validation failure: `Property values were not valid: [...]`. */
export function propertyIssuesMessage(issues: readonly PropertyIssue[]): string {
  return `Property values were not valid: ${JSON.stringify(issues)}`;
}

/** 400 for invalid property values (`PROPERTY_DOESNT_EXIST`, `INVALID_OPTION`, …). */
export function propertyError(correlationId: string, issues: readonly PropertyIssue[]): EmulatorResponse {
  return validationError(correlationId, propertyIssuesMessage(issues));
}

/** 409 `CONFLICT` for a duplicate unique value, e.g. `Contact already exists. Existing ID: 51`. */
export function conflictError(
  correlationId: string,
  singularLabel: string,
  existingId: string,
): EmulatorResponse {
  return json(409, {
    status: "error",
    message: `${singularLabel} already exists. Existing ID: ${existingId}`,
    correlationId,
    category: "CONFLICT",
  });
}

/** 404 `OBJECT_NOT_FOUND`. */
export function notFoundError(correlationId: string, id: string): EmulatorResponse {
  return json(404, {
    status: "error",
    message: "Object not found.  objectId are usually numeric.",
    correlationId,
    context: { id: [id] },
    category: "OBJECT_NOT_FOUND",
  });
}

/** 404 for a path the emulator does not serve. */
export function unknownRouteError(correlationId: string, method: string, path: string): EmulatorResponse {
  return json(404, {
    status: "error",
    message: `No route for ${method} ${path}`,
    correlationId,
    category: "OBJECT_NOT_FOUND",
  });
}

/** 401 `EXPIRED_AUTHENTICATION` [obs: airbytehq/airbyte#74726]. */
export function expiredTokenError(correlationId: string, expiredAt: number, now: number): EmulatorResponse {
  const seconds = Math.max(0, Math.floor((now - expiredAt) / 1000));
  return json(401, {
    status: "error",
    message: `The OAuth token used to make this call expired ${seconds} second(s) ago.`,
    correlationId,
    category: "EXPIRED_AUTHENTICATION",
    context: { "expire time": [new Date(expiredAt).toISOString()] },
  });
}

/** 401 `INVALID_AUTHENTICATION` for a missing or unknown token. */
export function invalidTokenError(correlationId: string): EmulatorResponse {
  return json(401, {
    status: "error",
    message:
      "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
    correlationId,
    category: "INVALID_AUTHENTICATION",
  });
}

/** 403 `MISSING_SCOPES` with `errors[0].context.requiredScopes` [obs: HubSpot/hubspot-api-nodejs#268]. */
export function missingScopesError(
  correlationId: string,
  requiredScopes: readonly string[],
): EmulatorResponse {
  return json(403, {
    status: "error",
    message:
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    correlationId,
    errors: [
      {
        message: "One or more of the following scopes are required.",
        context: { requiredScopes: [...requiredScopes] },
      },
    ],
    links: { scopes: "https://developers.hubspot.com/scopes" },
    category: "MISSING_SCOPES",
  });
}

/** 429 body of the 10-second rolling limit. */
export function tenSecondlyBody(correlationId: string, groupName: string): unknown {
  return {
    status: "error",
    message: "You have reached your ten_secondly_rolling limit.",
    errorType: "RATE_LIMIT",
    correlationId,
    policyName: "TEN_SECONDLY_ROLLING",
    groupName,
  };
}

/** 429 body of the daily limit. */
export function dailyBody(correlationId: string, requestId: string): unknown {
  return {
    status: "error",
    message: "You have reached your daily limit.",
    errorType: "RATE_LIMIT",
    correlationId,
    policyName: "DAILY",
    requestId,
  };
}

/** 429 body of the search API's per-second limit (the message the official SDK special-cases). */
export function searchLimitBody(correlationId: string): unknown {
  return {
    status: "error",
    message: "You have reached your secondly limit.",
    errorType: "RATE_LIMIT",
    correlationId,
  };
}

/** 400 `BAD_REFRESH_TOKEN` from the token endpoint. */
export function badRefreshTokenError(correlationId: string): EmulatorResponse {
  return json(400, {
    status: "BAD_REFRESH_TOKEN",
    message: "missing or invalid refresh token",
    correlationId,
    error: "invalid_grant",
    error_description: "refresh token is invalid, expired or revoked",
  });
}

/** 400 from the token endpoint for a wrong client id/secret or grant type. */
export function badClientError(
  correlationId: string,
  status: "BAD_CLIENT_ID" | "BAD_CLIENT_SECRET" | "BAD_GRANT_TYPE",
): EmulatorResponse {
  const description =
    status === "BAD_GRANT_TYPE" ? "unsupported grant_type" : "client credentials are invalid";
  return json(400, {
    status,
    message: description,
    correlationId,
    error: status === "BAD_GRANT_TYPE" ? "unsupported_grant_type" : "invalid_client",
    error_description: description,
  });
}

/** A generic error envelope for the statuses HubSpot documents without a literal body (423, 477, 5xx). */
export function envelopeError(
  status: number,
  correlationId: string,
  category: string,
  message: string,
  headers?: Record<string, string>,
): EmulatorResponse {
  return json(status, { status: "error", message, correlationId, category }, headers);
}
