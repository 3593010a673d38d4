/**
 * An access token and what the vendor told us alongside it. Token providers return it; the transport puts
 * `value` into the request's auth header and never anywhere else.
 */
export interface AccessToken {
  /** The credential itself. It never appears in errors, hook events or log lines. */
  readonly value: string;
  /**
   * Authorization scheme the vendor issued the token for, e.g. `"Bearer"`. The transport's `auth.scheme` option
   * overrides it (Zoho wants `Zoho-oauthtoken` although its token endpoint says `Bearer`).
   * @default "Bearer"
   */
  readonly scheme?: string | undefined;
  /** Epoch ms after which the vendor rejects the token; absent when the vendor does not say (Salesforce). */
  readonly expiresAt?: number | undefined;
  /** Salesforce: the org's REST host from the token response; call the API there, not at the login host. */
  readonly instanceUrl?: string | undefined;
  /** Pipedrive and Zoho: the account's API host from the token response (`api_domain`). */
  readonly apiDomain?: string | undefined;
}

/** Per-call options of {@link TokenProvider.getToken}. */
export interface GetTokenOptions {
  /** Aborting stops this caller's wait; a refresh shared with other callers keeps running for them. */
  signal?: AbortSignal | undefined;
}

/**
 * Where the transport gets its credential. Implement it to plug in any credential store (a vault, a database
 * row shared by several processes, a JWT-bearer flow); crmkit ships {@link staticToken} and
 * `createOAuthTokenProvider`.
 *
 * `getToken` is called once per HTTP attempt, so it must be cheap when it has a valid token. It rejects with a
 * `CrmError` when no token can be had: action `alert` when a person must re-authorise, `retry` when the token
 * endpoint was merely unreachable.
 *
 * @example
 * const fromVault: TokenProvider = {
 *   getToken: async () => ({ value: await vault.read("hubspot/token") }),
 * };
 */
export interface TokenProvider {
  /** Returns a token that is valid now, refreshing first when needed. */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /**
   * Tells the provider the vendor rejected `token` (a 401). A refreshing provider drops it so the next
   * `getToken` refreshes; it ignores the call when it already holds a newer token. Providers that cannot
   * refresh omit the method, and the transport then reports the 401 instead of replaying the request.
   */
  invalidate?(token: AccessToken): void;
}

/** Options for {@link staticToken}. */
export interface StaticTokenOptions {
  /**
   * Authorization scheme to send with the token.
   * @default "Bearer"
   */
  scheme?: string | undefined;
}

/**
 * A {@link TokenProvider} for credentials that never change: a HubSpot private-app or service key, a Pipedrive
 * API token. It has no `invalidate`, so a 401 is reported (action `alert`) instead of retried.
 *
 * @example
 * const transport = createTransport({
 *   provider: "hubspot",
 *   baseUrl: "https://api.hubapi.com",
 *   auth: { type: "bearer", token: staticToken(process.env.HUBSPOT_TOKEN!) },
 * });
 */
export function staticToken(value: string, options: StaticTokenOptions = {}): TokenProvider {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError("staticToken: `value` must be a non-empty string (the API token)");
  }
  const token: AccessToken = options.scheme === undefined ? { value } : { value, scheme: options.scheme };
  return { getToken: () => Promise.resolve(token) };
}

/** True when `value` looks like a {@link TokenProvider}. */
export function isTokenProvider(value: unknown): value is TokenProvider {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { getToken?: unknown }).getToken === "function"
  );
}
