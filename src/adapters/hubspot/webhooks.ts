import { createHash, createHmac } from "node:crypto";
import { err, ok, type Result } from "neverthrow";
import { readHeader, safeEqual, WebhookError, type WebhookHeaders } from "../../adapter/index.js";

export type { WebhookHeaders } from "../../adapter/index.js";

/** HubSpot's v3 signature window: requests older than 5 minutes are rejected. */
export const HUBSPOT_WEBHOOK_MAX_AGE_MS = 300_000;

/** Why a webhook request failed verification. */
export type HubSpotWebhookErrorCode =
  | "missing_signature"
  | "invalid_signature"
  | "stale_timestamp"
  | "invalid_timestamp"
  | "unsupported_version"
  | "invalid_input";

/**
 * A webhook that must not be trusted. Answer it with 401 and do not process it; nothing about the CRM is wrong,
 * so this is deliberately not a `CrmError`. The message never contains the client secret or a signature.
 */
export class HubSpotWebhookError extends WebhookError<HubSpotWebhookErrorCode> {
  override readonly name = "HubSpotWebhookError" as const;
}

/** Input of {@link verifyHubSpotSignature}. */
export interface VerifyHubSpotSignatureInput {
  /** HTTP method of the webhook request (v2, v3 sign it). */
  method: string;
  /** The full URL HubSpot called, scheme, host and query included, as configured in the app (v2, v3). */
  url: string;
  /** The body exactly as received, before any JSON parsing. */
  rawBody: string | Uint8Array;
  /** The request headers. */
  headers: WebhookHeaders;
  /** The app's client secret. */
  clientSecret: string;
  /** Current time in epoch ms, for the v3 window. @default Date.now() */
  now?: number | undefined;
  /** Oldest acceptable v3 timestamp, in ms. @default 300_000 (HubSpot's 5 minutes) */
  maxAgeMs?: number | undefined;
}

// HubSpot decodes exactly these twelve escapes in the URI before signing v3 (vendor-facts §1.6).
const V3_DECODED: Readonly<Record<string, string>> = {
  "%3A": ":",
  "%2F": "/",
  "%3F": "?",
  "%40": "@",
  "%21": "!",
  "%24": "$",
  "%27": "'",
  "%28": "(",
  "%29": ")",
  "%2A": "*",
  "%2C": ",",
  "%3B": ";",
};

/** The URI as HubSpot signs it for v3: fragment removed, the twelve escapes above decoded, all others kept. */
export function hubSpotV3Uri(url: string): string {
  const hash = url.indexOf("#");
  const withoutFragment = hash < 0 ? url : url.slice(0, hash);
  return withoutFragment.replace(
    /%(?:3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (e) => V3_DECODED[e.toUpperCase()] ?? e,
  );
}

/**
 * Verifies a HubSpot webhook signature: v3 (`X-HubSpot-Signature-v3`, HMAC-SHA256 over method + URI + body +
 * timestamp, within a 5-minute window) when present, else v1 or v2 (`X-HubSpot-Signature` with
 * `X-HubSpot-Signature-Version`, SHA-256 hex). Digests are compared in constant time. Returns the version that
 * matched, or a {@link HubSpotWebhookError}; never throws.
 *
 * @example
 * // Framework-neutral: give it the raw body, never a re-serialized JSON object.
 * const verified = verifyHubSpotSignature({ method: req.method, url: `https://hooks.example.com${req.url}`,
 *   rawBody, headers: req.headers, clientSecret: process.env.HUBSPOT_CLIENT_SECRET! });
 * if (verified.isErr()) return respond(401);
 */
export function verifyHubSpotSignature(
  input: VerifyHubSpotSignatureInput,
): Result<{ readonly version: "v1" | "v2" | "v3" }, HubSpotWebhookError> {
  if (typeof input.clientSecret !== "string" || input.clientSecret === "")
    return err(new HubSpotWebhookError("invalid_input", "verifyHubSpotSignature: `clientSecret` is empty"));
  const body =
    typeof input.rawBody === "string" ? Buffer.from(input.rawBody, "utf8") : Buffer.from(input.rawBody);
  const method = input.method.toUpperCase();
  const v3 = readHeader(input.headers, "x-hubspot-signature-v3");
  if (v3 !== undefined) {
    const stamp = readHeader(input.headers, "x-hubspot-request-timestamp");
    if (stamp === undefined || !/^\d+$/.test(stamp.trim()))
      return err(
        new HubSpotWebhookError(
          "invalid_timestamp",
          "X-HubSpot-Request-Timestamp is missing or not epoch ms",
        ),
      );
    const now = input.now ?? Date.now();
    const maxAgeMs = input.maxAgeMs ?? HUBSPOT_WEBHOOK_MAX_AGE_MS;
    if (Math.abs(now - Number(stamp)) > maxAgeMs)
      return err(
        new HubSpotWebhookError(
          "stale_timestamp",
          `The request timestamp is outside the ${maxAgeMs} ms window`,
        ),
      );
    const expected = createHmac("sha256", input.clientSecret)
      .update(Buffer.concat([Buffer.from(method + hubSpotV3Uri(input.url)), body, Buffer.from(stamp.trim())]))
      .digest();
    return safeEqual(expected, Buffer.from(v3.trim(), "base64"))
      ? ok({ version: "v3" })
      : err(new HubSpotWebhookError("invalid_signature", "The v3 signature does not match"));
  }
  const signature = readHeader(input.headers, "x-hubspot-signature");
  if (signature === undefined)
    return err(
      new HubSpotWebhookError("missing_signature", "The request carries no HubSpot signature header"),
    );
  const version = (readHeader(input.headers, "x-hubspot-signature-version") ?? "v1").trim().toLowerCase();
  if (version !== "v1" && version !== "v2")
    return err(
      new HubSpotWebhookError("unsupported_version", `Unsupported signature version ${version.slice(0, 10)}`),
    );
  const prefix = version === "v1" ? input.clientSecret : input.clientSecret + method + input.url;
  const expected = createHash("sha256")
    .update(Buffer.concat([Buffer.from(prefix), body]))
    .digest();
  const actual = /^[0-9a-f]+$/i.test(signature.trim())
    ? Buffer.from(signature.trim(), "hex")
    : Buffer.alloc(0);
  return safeEqual(expected, actual)
    ? ok({ version })
    : err(new HubSpotWebhookError("invalid_signature", `The ${version} signature does not match`));
}

export {
  type HubSpotAssociationChangeEvent,
  type HubSpotLifecycleEvent,
  type HubSpotMergeEvent,
  type HubSpotOtherEvent,
  type HubSpotPropertyChangeEvent,
  type HubSpotWebhookEvent,
  type HubSpotWebhookObjectType,
  parseHubSpotWebhook,
} from "./webhook-events.js";
