import { createHash, createHmac } from "node:crypto";

/** Input of {@link signHubSpotWebhook}. */
export interface HubSpotWebhookSignInput {
  /** Signature version. v1 and v2 are SHA-256 hex digests; v3 is a timestamped HMAC. */
  version: "v1" | "v2" | "v3";
  /** The app's client secret. */
  clientSecret: string;
  /** The raw request body exactly as it will be sent. @default "" */
  body?: string | undefined;
  /** HTTP method (v2, v3). @default "POST" */
  method?: string | undefined;
  /** Full request URI including scheme, host and query (v2, v3). Required for v2 and v3. */
  url?: string | undefined;
  /** v3 request timestamp in epoch ms. @default the emulator clock's now */
  timestamp?: number | undefined;
}

// HubSpot decodes exactly these escapes before signing a v3 URI (vendor-facts §1.6); all others stay encoded.
const V3_DECODE: Readonly<Record<string, string>> = {
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

/** The URI as HubSpot signs it for v3: fragment dropped, the twelve reserved escapes decoded. */
export function v3SigningUri(url: string): string {
  const withoutFragment = url.split("#")[0] as string;
  return withoutFragment.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (encoded) => V3_DECODE[encoded.toUpperCase()] ?? encoded,
  );
}

/**
 * Signs a webhook request the way HubSpot does, returning the headers to send with it (vendor-facts §1.6):
 * v1 `hex(sha256(secret + body))`, v2 `hex(sha256(secret + method + uri + body))`, v3
 * `base64(hmacSha256(secret, method + uri + body + timestamp))` with `X-HubSpot-Request-Timestamp`.
 *
 * @example
 * const headers = signHubSpotWebhook({ version: "v3", clientSecret, method: "POST", url, body, timestamp: now });
 * await fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
 */
export function signHubSpotWebhook(
  input: HubSpotWebhookSignInput,
  now: () => number = Date.now,
): Record<string, string> {
  const body = input.body ?? "";
  const method = (input.method ?? "POST").toUpperCase();
  if (input.clientSecret === "") throw new TypeError("signWebhook: option `clientSecret` must not be empty");
  if (input.version === "v1") {
    const signature = createHash("sha256")
      .update(input.clientSecret + body)
      .digest("hex");
    return { "X-HubSpot-Signature": signature, "X-HubSpot-Signature-Version": "v1" };
  }
  if (input.url === undefined)
    throw new TypeError(`signWebhook: option \`url\` is required for ${input.version}`);
  if (input.version === "v2") {
    const signature = createHash("sha256")
      .update(input.clientSecret + method + input.url + body)
      .digest("hex");
    return { "X-HubSpot-Signature": signature, "X-HubSpot-Signature-Version": "v2" };
  }
  if (input.version !== "v3")
    throw new TypeError(`signWebhook: option \`version\` must be v1, v2 or v3, got ${String(input.version)}`);
  const timestamp = input.timestamp ?? now();
  const signature = createHmac("sha256", input.clientSecret)
    .update(method + v3SigningUri(input.url) + body + String(timestamp))
    .digest("base64");
  return { "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": String(timestamp) };
}
