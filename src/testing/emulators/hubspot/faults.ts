import type { FaultPresetOptions } from "../common/faults.js";
import type { EmulatorResponse } from "../common/router.js";
import {
  conflictError,
  dailyBody,
  envelopeError,
  expiredTokenError,
  invalidTokenError,
  missingScopesError,
  notFoundError,
  propertyError,
  propertyIssue,
  searchLimitBody,
  tenSecondlyBody,
} from "./errors.js";

/**
 * Named failures for every HubSpot error class (vendor-facts §1.5): `"locked"` 423, `"migration"` 477 with
 * `Retry-After`, `"server"` 500 (set `status` for 502/503/504/521/523/524), the three 429s, 401s, 403, 409, 404 and
 * the two validation bodies.
 */
export type HubSpotFaultPreset =
  | "locked"
  | "migration"
  | "server"
  | "rateLimit"
  | "dailyLimit"
  | "searchLimit"
  | "expired"
  | "invalidToken"
  | "missingScope"
  | "conflict"
  | "notFound"
  | "validation"
  | "invalidOption";

/** Every preset name, for validation and documentation. */
export const HUBSPOT_FAULT_PRESETS: readonly HubSpotFaultPreset[] = [
  "locked",
  "migration",
  "server",
  "rateLimit",
  "dailyLimit",
  "searchLimit",
  "expired",
  "invalidToken",
  "missingScope",
  "conflict",
  "notFound",
  "validation",
  "invalidOption",
];

const SERVER_STATUSES = new Set([500, 502, 503, 504, 521, 523, 524]);

/** What presets need from the emulator at the moment they fire. */
export interface PresetDeps {
  correlationId(): string;
  requestId(): string;
  now(): number;
  portalId: number;
  tenSecondlyLimit: number;
}

/** Throws when a preset's options cannot produce a HubSpot response (e.g. `"server"` with status 418). */
export function validateHubSpotPreset(options: FaultPresetOptions<HubSpotFaultPreset>): void {
  if (options.preset === "server" && options.status !== undefined && !SERVER_STATUSES.has(options.status))
    throw new RangeError(
      `faults.inject: preset "server" takes status 500, 502, 503, 504, 521, 523 or 524, got ${options.status}`,
    );
}

/** Builds the response of a preset. */
export function resolveHubSpotPreset(
  deps: PresetDeps,
  options: FaultPresetOptions<HubSpotFaultPreset>,
): EmulatorResponse {
  const cid = deps.correlationId();
  const withStatus = (response: EmulatorResponse): EmulatorResponse =>
    options.status === undefined ? response : { ...response, status: options.status };
  switch (options.preset) {
    case "locked":
      return withStatus(
        envelopeError(
          423,
          cid,
          "LOCKED",
          options.message ?? "The resource is locked. Retry after 2 seconds.",
        ),
      );
    case "migration":
      return withStatus(
        envelopeError(477, cid, "MIGRATION_IN_PROGRESS", options.message ?? "Migration in progress.", {
          "Retry-After": String(options.retryAfterSeconds ?? 60),
        }),
      );
    case "server": {
      const status = options.status ?? 500;
      return envelopeError(status, cid, "INTERNAL_ERROR", options.message ?? "internal error");
    }
    case "rateLimit":
      return {
        status: 429,
        body: tenSecondlyBody(cid, `publicapi:private-app-api-calls-ten-secondly:${deps.portalId}`),
        headers: {
          "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
          "X-HubSpot-RateLimit-Max": String(deps.tenSecondlyLimit),
          "X-HubSpot-RateLimit-Remaining": "0",
        },
      };
    case "dailyLimit":
      return { status: 429, body: dailyBody(cid, deps.requestId()) };
    case "searchLimit":
      return { status: 429, body: searchLimitBody(cid) };
    case "expired":
      return expiredTokenError(cid, deps.now(), deps.now());
    case "invalidToken":
      return invalidTokenError(cid);
    case "missingScope":
      return missingScopesError(cid, ["crm.objects.contacts.write"]);
    case "conflict":
      return {
        status: 409,
        body: {
          ...(conflictError(cid, "Contact", "1").body as object),
          ...(options.message === undefined ? {} : { message: options.message }),
        },
      };
    case "notFound":
      return notFoundError(cid, "0");
    case "validation":
      return propertyError(cid, [
        propertyIssue(
          "unknown_property",
          "PROPERTY_DOESNT_EXIST",
          'Property "unknown_property" does not exist',
          deps.portalId,
        ),
      ]);
    case "invalidOption":
      return propertyError(cid, [
        propertyIssue(
          "lifecyclestage",
          "INVALID_OPTION",
          'unknown was not one of the allowed options: [label: "Lead" value: "lead"]',
          deps.portalId,
        ),
      ]);
  }
}
