import { CrmError } from "../errors/index.js";
import { type Clock, systemClock } from "../internal/clock.js";
import { postRefreshGrant, str, type TokenEndpoint } from "./oauth-token-endpoint.js";
import type { AccessToken, GetTokenOptions, TokenProvider } from "./token-provider.js";

/** What a successful refresh produced; handed to `onTokens` so the caller can persist it. */
export interface OAuthTokens {
  readonly accessToken: string;
  /** The refresh token to use next time: the rotated one when the vendor issued one, else the current one. */
  readonly refreshToken: string;
  /** True when the vendor issued a new refresh token (HubSpot, Pipedrive, Salesforce with rotation). */
  readonly rotated: boolean;
  readonly expiresAt?: number | undefined;
  readonly instanceUrl?: string | undefined;
  readonly apiDomain?: string | undefined;
  readonly scope?: string | undefined;
}

/** Options for {@link createOAuthTokenProvider}. */
export interface OAuthTokenProviderOptions {
  /**
   * The token endpoint, e.g. `https://api.hubapi.com/oauth/v1/token`, `https://login.salesforce.com/services/oauth2/token`,
   * `https://oauth.pipedrive.com/oauth/token`, or Zoho's data-centre accounts host + `/oauth/v2/token`.
   */
  tokenUrl: string;
  clientId: string;
  /** Omit only when the vendor does not require it for refresh (some Salesforce connected apps). */
  clientSecret?: string | undefined;
  /** The refresh token from the authorisation. Rotated refresh tokens replace it in memory and go to `onTokens`. */
  refreshToken: string;
  /** A still-valid access token from storage, used until it nears `expiresAt`. @default none: refresh on first use */
  accessToken?: string | undefined;
  /** Expiry of `accessToken`, epoch ms. @default unknown: used until the vendor answers 401 */
  expiresAt?: number | undefined;
  /** Salesforce `instance_url` stored with `accessToken`. */
  instanceUrl?: string | undefined;
  /** Pipedrive/Zoho `api_domain` stored with `accessToken`. */
  apiDomain?: string | undefined;
  /**
   * How the client authenticates to the token endpoint: form fields `client_id`/`client_secret`, or HTTP Basic
   * (Pipedrive).
   * @default "body"
   */
  clientAuth?: "body" | "basic" | undefined;
  /** Extra form fields for the refresh request. @default {} */
  extraParams?: Readonly<Record<string, string>> | undefined;
  /**
   * Refresh this long before `expiresAt`, so a token never expires in flight.
   * @default 60_000
   */
  skewMs?: number | undefined;
  /** Timeout of one refresh request. @default 30_000 */
  timeoutMs?: number | undefined;
  /** Provider id on errors, e.g. `"salesforce"`. @default "crmkit" */
  provider?: string | undefined;
  /** @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
  /**
   * Called after every successful refresh and awaited before any caller gets the new token. Persist the refresh
   * token here: with rotation the old one stops working. If it throws, the callers of that refresh get an
   * `alert` error, but the new tokens stay in use because the old refresh token may already be void.
   */
  onTokens?: ((tokens: OAuthTokens) => void | Promise<void>) | undefined;
}

/** A refreshing {@link TokenProvider} that also exposes the latest token (for `instanceUrl`/`apiDomain`). */
export interface OAuthTokenProvider extends TokenProvider {
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  invalidate(token: AccessToken): void;
  /** Forces a refresh now (joining one already running). */
  refresh(options?: GetTokenOptions): Promise<AccessToken>;
  /** The token currently held, valid or not; `undefined` before the first refresh or after `invalidate`. */
  current(): AccessToken | undefined;
}

function required(name: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`createOAuthTokenProvider: option \`${name}\` must be a non-empty string`);
  }
  return value;
}

function num(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * An OAuth 2.0 refresh-token provider: refreshes before expiry (minus `skewMs`), on demand after a 401, and only
 * once at a time (100 concurrent 401s cause one refresh call); hands rotated refresh tokens to `onTokens`;
 * parses `expires_in` (and Zoho's legacy `expires_in_sec`), `instance_url` (Salesforce) and `api_domain`
 * (Pipedrive, Zoho). A rejected refresh (`invalid_grant`, `invalid_client`, …) is a `CrmError` with reason
 * `expired_token` and action `alert`; an unreachable or failing token endpoint is retryable. The client secret
 * and the tokens never appear in its errors.
 *
 * @example
 * const tokens = createOAuthTokenProvider({
 *   provider: "salesforce",
 *   tokenUrl: "https://login.salesforce.com/services/oauth2/token",
 *   clientId, clientSecret, refreshToken,
 *   onTokens: (t) => db.saveSalesforceTokens(t),
 * });
 * const transport = createTransport({
 *   provider: "salesforce",
 *   auth: { type: "bearer", token: tokens },
 *   baseUrl: (token) => `${token?.instanceUrl}/services/data/v66.0`,
 * });
 */
export function createOAuthTokenProvider(options: OAuthTokenProviderOptions): OAuthTokenProvider {
  const tokenUrl = required("tokenUrl", options.tokenUrl);
  if (!/^https?:\/\//i.test(tokenUrl)) {
    throw new TypeError("createOAuthTokenProvider: option `tokenUrl` must be an absolute http(s) URL");
  }
  const clientId = required("clientId", options.clientId);
  let refreshToken = required("refreshToken", options.refreshToken);
  const clientSecret = options.clientSecret;
  if (clientSecret !== undefined) required("clientSecret", clientSecret);
  const clientAuth = options.clientAuth ?? "body";
  if (clientAuth !== "body" && clientAuth !== "basic") {
    throw new TypeError('createOAuthTokenProvider: option `clientAuth` must be "body" or "basic"');
  }
  if (clientAuth === "basic" && clientSecret === undefined) {
    throw new TypeError(
      'createOAuthTokenProvider: option `clientSecret` is required with clientAuth: "basic"',
    );
  }
  const skewMs = options.skewMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isFinite(skewMs) || skewMs < 0) {
    throw new TypeError("createOAuthTokenProvider: option `skewMs` must be a finite number ≥ 0");
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError("createOAuthTokenProvider: option `timeoutMs` must be a finite number > 0");
  }
  const provider = options.provider ?? "crmkit";
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;
  const extraParams = { ...options.extraParams };

  let current: AccessToken | undefined =
    options.accessToken === undefined
      ? undefined
      : {
          value: required("accessToken", options.accessToken),
          ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
          ...(options.instanceUrl === undefined ? {} : { instanceUrl: options.instanceUrl }),
          ...(options.apiDomain === undefined ? {} : { apiDomain: options.apiDomain }),
        };
  let inflight: Promise<AccessToken> | undefined;
  // A token is replaced `skewMs` before it expires, or halfway through its life when that is shorter, so a
  // short-lived token cannot make every call refresh.
  const refreshTime = (token: AccessToken | undefined, now: number): number | undefined =>
    token?.expiresAt === undefined
      ? undefined
      : token.expiresAt - Math.min(skewMs, (token.expiresAt - now) / 2);
  let refreshAt = current?.expiresAt === undefined ? undefined : current.expiresAt - skewMs;

  const secrets = (): string[] =>
    [clientSecret, refreshToken, current?.value].filter((s): s is string => s !== undefined);

  const endpoint: TokenEndpoint = {
    tokenUrl,
    clientId,
    clientSecret,
    clientAuth,
    extraParams,
    timeoutMs,
    provider,
    fetch: doFetch,
    secrets,
  };

  const requestTokens = async (): Promise<AccessToken> => {
    const { accessToken, record } = await postRefreshGrant(endpoint, refreshToken);
    const now = clock.now();
    // Zoho's legacy responses carry `expires_in_sec`, and then `expires_in` is in milliseconds.
    const expiresInSec = num(record["expires_in_sec"]) ?? num(record["expires_in"]);
    const rotated = str(record["refresh_token"]);
    const tokenType = str(record["token_type"]);
    const token: AccessToken = {
      value: accessToken,
      ...(tokenType === undefined
        ? {}
        : { scheme: tokenType.toLowerCase() === "bearer" ? "Bearer" : tokenType }),
      ...(expiresInSec === undefined ? {} : { expiresAt: now + expiresInSec * 1000 }),
      ...(str(record["instance_url"]) === undefined ? {} : { instanceUrl: str(record["instance_url"]) }),
      ...(str(record["api_domain"]) === undefined ? {} : { apiDomain: str(record["api_domain"]) }),
    };
    if (rotated !== undefined) refreshToken = rotated;
    // Salesforce and Pipedrive keep the host from the previous response when a refresh omits it.
    const merged: AccessToken = {
      ...token,
      ...(token.instanceUrl === undefined && current?.instanceUrl !== undefined
        ? { instanceUrl: current.instanceUrl }
        : {}),
      ...(token.apiDomain === undefined && current?.apiDomain !== undefined
        ? { apiDomain: current.apiDomain }
        : {}),
    };
    current = merged;
    refreshAt = refreshTime(merged, now);
    if (options.onTokens !== undefined) {
      try {
        await options.onTokens({
          accessToken,
          refreshToken,
          rotated: rotated !== undefined,
          expiresAt: merged.expiresAt,
          instanceUrl: merged.instanceUrl,
          apiDomain: merged.apiDomain,
          scope: str(record["scope"]),
        });
      } catch (error) {
        throw new CrmError({
          reason: "configuration_error",
          provider,
          message: "onTokens failed to persist the refreshed tokens; they are in use but not saved",
          cause: error,
          secrets: secrets(),
        });
      }
    }
    return merged;
  };

  const refresh = (getOptions: GetTokenOptions = {}): Promise<AccessToken> => {
    if (inflight === undefined) {
      inflight = requestTokens().finally(() => {
        inflight = undefined;
      });
    }
    return waitFor(inflight, getOptions.signal);
  };

  const fresh = (token: AccessToken | undefined): token is AccessToken =>
    token !== undefined && (refreshAt === undefined || clock.now() < refreshAt);

  return {
    getToken(getOptions = {}) {
      if (inflight === undefined && fresh(current)) return Promise.resolve(current);
      return refresh(getOptions);
    },
    invalidate(token) {
      if (current !== undefined && current.value === token.value) current = undefined;
    },
    refresh,
    current: () => current,
  };
}

// One caller's abort must not cancel the refresh other callers are waiting for.
function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
