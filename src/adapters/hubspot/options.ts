import type {
  AdapterTransportOptions,
  CrmObjectType,
  OAuthTokens,
  TokenProvider,
} from "../../adapter/index.js";
import { createOptionChecks } from "../../adapter/index.js";
import type { RateLimiter } from "../../ratelimit/index.js";
import type { HubSpotAssociationTypeTable } from "./associations.js";
import type { HubSpotFieldMap } from "./fields.js";
import type { HubSpotAdapterLimits } from "./limits.js";
import { HUBSPOT_API_VERSIONS, type HubSpotApiVersion } from "./paths.js";

/** OAuth (public app) credentials; the adapter refreshes through `POST /oauth/v3/token` (`/oauth/2026-03/token` on 2026-03). */
export interface HubSpotOAuthOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret. */
  clientSecret: string;
  /** The refresh token from the install; HubSpot may rotate it, so persist `onTokens`' value. */
  refreshToken: string;
  /** A still-valid access token from storage. @default none: refresh on first use */
  accessToken?: string | undefined;
  /** Expiry of `accessToken`, epoch ms. @default unknown */
  expiresAt?: number | undefined;
  /** Called after every refresh, before the token is used: persist the refresh token here. */
  onTokens?: ((tokens: OAuthTokens) => void | Promise<void>) | undefined;
}

/** Options for `createHubSpotAdapter`. Give exactly one of `accessToken`, `tokenProvider` or `oauth`. */
export interface HubSpotAdapterOptions extends AdapterTransportOptions {
  /** A private-app access token or service key (`pat-na1-…`). */
  accessToken?: string | undefined;
  /** Any token source (a vault, a shared database row, your own OAuth flow). */
  tokenProvider?: TokenProvider | undefined;
  /** OAuth refresh credentials of a public app. */
  oauth?: HubSpotOAuthOptions | undefined;
  /** The API root (point it at an emulator in tests). @default "https://api.hubapi.com" */
  baseUrl?: string | undefined;
  /**
   * Your own rate limiter (share one across adapters and processes with a Redis store), or `false` for none.
   * @default a new in-memory limiter with `hubspotLimits(limits)`
   */
  limiter?: RateLimiter | false | undefined;
  /**
   * The account's tier and app type for the built-in limiter.
   * @default { tier: "free", appType: oauth ? "public" : "private" }
   */
  limits?: HubSpotAdapterLimits | undefined;
  /** The HubSpot account (portal) id, used as the rate-limit scope so two accounts never share a budget. @default "default" */
  accountId?: string | undefined;
  /** The account's IANA time zone: the daily limit resets at its midnight. @default "UTC" */
  timeZone?: string | undefined;
  /**
   * The HubSpot API version every request uses: `"v3"` is the legacy `/crm/v3` + `/crm/v4` family (HubSpot
   * supports it until September 2027), `"2026-03"` the date-based release (`/crm/objects/2026-03/…`). The
   * requests and responses the adapter relies on are identical in both; OAuth refreshes go to the same
   * version's token endpoint.
   * @default "v3"
   * @example "2026-03"
   */
  apiVersion?: HubSpotApiVersion | undefined;
  /**
   * Extra or overridden fields per object type: canonical key → HubSpot property label or internal name, resolved
   * through the properties API.
   * @default {}
   * @example { contact: { lead_source: "Lead source" }, deal: { currency: "deal_currency_code" } }
   */
  fieldMap?: HubSpotFieldMap | undefined;
  /** Extra or overridden association type ids, keyed `from→to` in crmkit object types. @default HUBSPOT_ASSOCIATION_TYPES */
  associationTypes?: HubSpotAssociationTypeTable | undefined;
  /** The ticket property holding `external_ref` (create it as a single-line text, ideally unique, property). @default "crmkit_external_ref" */
  externalRefProperty?: string | undefined;
  /**
   * Canonical keys of `hasUniqueValue` properties you mapped, per type; they become native upsert keys.
   * @default {} (contacts always upsert on email)
   */
  uniqueKeys?: Readonly<Partial<Record<CrmObjectType, readonly string[]>>> | undefined;
  /** Also match companies by `hs_additional_domains` in domain lookups (costs extra searches). @default true */
  additionalDomains?: boolean | undefined;
  /** How long owners, pipelines and property definitions are cached. @default 300_000 */
  metadataTtlMs?: number | undefined;
  /**
   * The estimate of HubSpot's search indexing delay, published as `capabilities.searchLagMs`; lookups also merge in
   * the records this adapter wrote within it, which search cannot show yet (`0` turns that off).
   * @default 5_000
   */
  searchLagMs?: number | undefined;
}

const check = createOptionChecks({ factory: "createHubSpotAdapter" });

/** Throws the construction error naming the option. */
export const optionError = check.fail;

/** Validates the options that are cheap to check up front. */
export function validateOptions(options: HubSpotAdapterOptions): void {
  check.object(options);
  check.exactlyOne({
    accessToken: options.accessToken,
    tokenProvider: options.tokenProvider,
    oauth: options.oauth,
  });
  check.nonEmptyString("accessToken", options.accessToken);
  check.oneOf("apiVersion", options.apiVersion, HUBSPOT_API_VERSIONS);
  check.httpUrl("baseUrl", options.baseUrl);
  check.nonNegative({ metadataTtlMs: options.metadataTtlMs, searchLagMs: options.searchLagMs });
  if (options.externalRefProperty !== undefined && !/^[a-z0-9_]+$/.test(options.externalRefProperty))
    check.fail("externalRefProperty", "must be a HubSpot internal property name (a-z, 0-9, _)");
  check.timeZone("timeZone", options.timeZone);
  check.tokenProvider("tokenProvider", options.tokenProvider);
}
