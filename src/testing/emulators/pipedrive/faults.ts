import type { FaultPresetOptions } from "../common/faults.js";
import type { EmulatorResponse } from "../common/router.js";
import {
  BURST_LIMIT_BODY,
  cloudflareBlockPage,
  DAILY_LIMIT_BODY,
  envelopeError,
  forbiddenError,
  goneError,
  notFoundError,
  scopeMismatchError,
  unauthorizedError,
  validationError,
} from "./errors.js";

/**
 * Named failures for every Pipedrive error class (vendor-facts §3.5): `"server"` 500 (set `status` for 502/503/504),
 * the burst and daily 429s with `retry-after`, the Cloudflare 403 page, 401, the two 403s, 402, 404, 410 and a 400.
 */
export type PipedriveFaultPreset =
  | "server"
  | "rateLimit"
  | "dailyLimit"
  | "cloudflare"
  | "unauthorized"
  | "scopeMismatch"
  | "forbidden"
  | "paymentRequired"
  | "notFound"
  | "gone"
  | "validation";

/** Every preset name, for validation and documentation. */
export const PIPEDRIVE_FAULT_PRESETS: readonly PipedriveFaultPreset[] = [
  "server",
  "rateLimit",
  "dailyLimit",
  "cloudflare",
  "unauthorized",
  "scopeMismatch",
  "forbidden",
  "paymentRequired",
  "notFound",
  "gone",
  "validation",
];

const SERVER_STATUSES = new Set([500, 502, 503, 504]);

/** Throws when a preset's options cannot produce a Pipedrive response (e.g. `"server"` with status 418). */
export function validatePipedrivePreset(options: FaultPresetOptions<PipedriveFaultPreset>): void {
  if (options.preset === "server" && options.status !== undefined && !SERVER_STATUSES.has(options.status))
    throw new RangeError(
      `faults.inject: preset "server" takes status 500, 502, 503 or 504, got ${options.status}`,
    );
  if (options.retryAfterSeconds !== undefined && !(options.retryAfterSeconds >= 0))
    throw new RangeError(
      `faults.inject: option \`retryAfterSeconds\` must be ≥ 0, got ${options.retryAfterSeconds}`,
    );
}

/** What presets need from the emulator when they fire. */
export interface PresetDeps {
  /** The burst limit reported in the 429 headers. */
  burstLimit: number;
  /** A fresh Cloudflare ray id. */
  rayId(): string;
}

/** Builds the response of a preset. */
export function resolvePipedrivePreset(
  deps: PresetDeps,
  options: FaultPresetOptions<PipedriveFaultPreset>,
): EmulatorResponse {
  const withMessage = (response: EmulatorResponse): EmulatorResponse =>
    options.message === undefined
      ? response
      : { ...response, body: { ...(response.body as object), error: options.message } };
  switch (options.preset) {
    case "server": {
      const status = options.status ?? 500;
      return envelopeError(status, options.message ?? "Internal server error");
    }
    case "rateLimit":
      return withMessage({
        status: 429,
        body: BURST_LIMIT_BODY,
        headers: {
          "x-ratelimit-limit": String(deps.burstLimit),
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(options.retryAfterSeconds ?? 2),
          "retry-after": String(options.retryAfterSeconds ?? 2),
        },
      });
    case "dailyLimit":
      return withMessage({
        status: 429,
        body: DAILY_LIMIT_BODY,
        headers: { "retry-after": String(options.retryAfterSeconds ?? 3939) },
      });
    case "cloudflare":
      return cloudflareBlockPage(deps.rayId());
    case "unauthorized":
      return withMessage(unauthorizedError());
    case "scopeMismatch":
      return withMessage(scopeMismatchError());
    case "forbidden":
      return withMessage(forbiddenError());
    case "paymentRequired":
      return envelopeError(402, options.message ?? "Your company has reached the limit of the plan.");
    case "notFound":
      return withMessage(notFoundError());
    case "gone":
      return withMessage(goneError("/v1/persons"));
    case "validation":
      return validationError(options.message ?? '"outcome" is required.');
  }
}
