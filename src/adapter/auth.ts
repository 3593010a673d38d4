import { type AccessToken, isTokenProvider, staticToken, type TokenProvider } from "./token-provider.js";

/**
 * `Authorization: <scheme> <token>`. The scheme comes from this option, else from the token
 * ({@link AccessToken.scheme}), else `Bearer`. Zoho: `scheme: "Zoho-oauthtoken"`.
 */
export interface BearerAuth {
  type: "bearer";
  /** A fixed token or a provider that refreshes. */
  token: string | TokenProvider;
  /** @default the token's own scheme, else "Bearer" */
  scheme?: string | undefined;
}

/** The token in a header of its own, e.g. Pipedrive's `x-api-token: <token>`. */
export interface HeaderAuth {
  type: "header";
  /** Header name, e.g. `"x-api-token"`. */
  name: string;
  /** A fixed token or a provider that refreshes. */
  token: string | TokenProvider;
  /**
   * Prefix written before the token, separated by a space. Omit it to send the bare token.
   * @default none
   */
  scheme?: string | undefined;
}

/** No credential (vendor emulators, public endpoints). */
export interface NoAuth {
  type: "none";
}

/** How the transport authenticates each request. */
export type TransportAuth = BearerAuth | HeaderAuth | NoAuth;

/** The auth option resolved once at construction. */
export interface ResolvedAuth {
  /** Undefined for `type: "none"`. */
  readonly provider: TokenProvider | undefined;
  /** True when a 401 can be answered by invalidating and refreshing. */
  readonly refreshes: boolean;
  header(token: AccessToken): [name: string, value: string];
}

/** Validates the `auth` option; throws naming the option when it is malformed. */
export function resolveAuth(auth: TransportAuth | undefined): ResolvedAuth {
  if (auth === undefined || auth.type === "none") {
    return { provider: undefined, refreshes: false, header: () => ["", ""] };
  }
  if (auth.type !== "bearer" && auth.type !== "header") {
    throw new TypeError(
      `createTransport: option \`auth.type\` must be "bearer", "header" or "none", got ${JSON.stringify((auth as { type?: unknown }).type)}`,
    );
  }
  if (
    auth.type === "header" &&
    (typeof auth.name !== "string" || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(auth.name))
  ) {
    throw new TypeError(
      'createTransport: option `auth.name` must be a valid HTTP header name, e.g. "x-api-token"',
    );
  }
  let provider: TokenProvider;
  if (typeof auth.token === "string") {
    if (auth.token.trim() === "") {
      throw new TypeError("createTransport: option `auth.token` is an empty string");
    }
    provider = staticToken(auth.token);
  } else if (isTokenProvider(auth.token)) {
    provider = auth.token;
  } else {
    throw new TypeError("createTransport: option `auth.token` must be a string or a TokenProvider");
  }
  const refreshes = typeof provider.invalidate === "function";
  if (auth.type === "bearer") {
    return {
      provider,
      refreshes,
      header: (token) => ["authorization", `${auth.scheme ?? token.scheme ?? "Bearer"} ${token.value}`],
    };
  }
  return {
    provider,
    refreshes,
    header: (token) => [auth.name, auth.scheme === undefined ? token.value : `${auth.scheme} ${token.value}`],
  };
}
