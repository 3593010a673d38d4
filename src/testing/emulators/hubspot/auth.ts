import type { Clock } from "../../../internal/clock.js";
import { createUuidGenerator } from "../common/ids.js";
import { type EmulatorResponse, fail, type RouteRequest } from "../common/router.js";
import { badClientError, badRefreshTokenError, expiredTokenError, invalidTokenError } from "./errors.js";
import type { HubSpotRouteMeta, HubSpotRouter } from "./routing.js";
import type { HubSpotEmulatorOptions, HubSpotTokenSeed } from "./types.js";
import { addVersioned } from "./versions.js";

/** An access token the emulator knows. */
export interface TokenRecord {
  token: string;
  /** `undefined` grants every scope. */
  scopes: readonly string[] | undefined;
  /** Epoch ms; `undefined` never expires. */
  expiresAt: number | undefined;
  /** Key of the per-app 10-second limit. */
  appId: string;
}

/** Token bookkeeping and checks. */
export interface HubSpotAuth {
  /** Resolves the bearer token of a request, or the 401 response to send. */
  authenticate(
    headers: Headers,
  ): { ok: true; token: TokenRecord } | { ok: false; response: EmulatorResponse };
  /** Whether `token` holds `scope`. */
  hasScope(token: TokenRecord, scope: string): boolean;
  /** Registers (or replaces) an access token. */
  addToken(seed: HubSpotTokenSeed): void;
  /** Whether `token` is a refresh token the token endpoint accepts. */
  isRefreshToken(token: string): boolean;
  /** Replaces refresh token `previous` with `next` (rotation). */
  rotateRefreshToken(previous: string, next: string): void;
  /** Restores the tokens from the options. */
  reset(): void;
}

const DEFAULT_TTL_MS = 1_800_000;

const parseTime = (value: number | string | undefined, option: string): number | undefined => {
  if (value === undefined) return undefined;
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new TypeError(`createHubSpotEmulator: option \`${option}\` is not a valid time: ${value}`);
  return ms;
};

/** Creates the token registry from the emulator options. */
export function createHubSpotAuth(
  options: HubSpotEmulatorOptions,
  clock: Clock,
  correlationId: () => string,
): HubSpotAuth {
  const tokens = new Map<string, TokenRecord>();
  const refresh = new Set<string>();
  const acceptAny = options.tokens === undefined && options.oauth === undefined;

  const addToken = (seed: HubSpotTokenSeed): void => {
    if (seed.token === "") throw new TypeError("createHubSpotEmulator: option `tokens` has an empty token");
    tokens.set(seed.token, {
      token: seed.token,
      scopes: seed.scopes,
      expiresAt: parseTime(seed.expiresAt, "tokens[].expiresAt"),
      appId: seed.appId ?? seed.token,
    });
  };

  const reset = (): void => {
    tokens.clear();
    refresh.clear();
    for (const seed of options.tokens ?? []) addToken(seed);
    for (const token of options.oauth?.refreshTokens ?? []) refresh.add(token);
  };
  reset();

  return {
    authenticate(headers) {
      const match = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "");
      const value = match?.[1];
      if (value === undefined) return { ok: false, response: invalidTokenError(correlationId()) };
      if (acceptAny)
        return { ok: true, token: { token: value, scopes: undefined, expiresAt: undefined, appId: value } };
      const token = tokens.get(value);
      if (token === undefined) return { ok: false, response: invalidTokenError(correlationId()) };
      const now = clock.now();
      if (token.expiresAt !== undefined && token.expiresAt <= now)
        return { ok: false, response: expiredTokenError(correlationId(), token.expiresAt, now) };
      return { ok: true, token };
    },
    hasScope: (token, scope) => token.scopes === undefined || token.scopes.includes(scope),
    addToken,
    isRefreshToken: (token) => refresh.has(token),
    rotateRefreshToken(previous, next) {
      refresh.delete(previous);
      refresh.add(next);
    },
    reset,
  };
}

/** Options the token endpoint needs beyond the registry. */
interface TokenEndpointDeps {
  options: HubSpotEmulatorOptions;
  auth: HubSpotAuth;
  clock: Clock;
  correlationId: () => string;
  portalId: number;
}

const formField = (request: RouteRequest, name: string): string | undefined => {
  const body = request.body as Record<string, unknown> | undefined;
  const value = typeof body === "object" && body !== null ? body[name] : undefined;
  return typeof value === "string" ? value : (request.query.get(name) ?? undefined);
};

/** Registers `POST /oauth/v3/token`, `/oauth/2026-03/token` and `/oauth/v1/token` (refresh-token grant). */
export function registerOAuthRoutes(router: HubSpotRouter, deps: TokenEndpointDeps): void {
  const { options, auth, clock, correlationId } = deps;
  const ttl = options.tokenTtlMs ?? DEFAULT_TTL_MS;
  if (!(ttl > 0))
    throw new RangeError(`createHubSpotEmulator: option \`tokenTtlMs\` must be positive, got ${ttl}`);
  const uuids = createUuidGenerator({ seed: (options.seed ?? 1) + 7919 });
  const meta: HubSpotRouteMeta = { scope: undefined, limit: "none", auth: false };

  const handle = (request: RouteRequest, version: "v1" | "v3") => {
    const oauth = options.oauth;
    if (oauth === undefined) fail(badClientError(correlationId(), "BAD_CLIENT_ID"));
    if (formField(request, "grant_type") !== "refresh_token")
      fail(badClientError(correlationId(), "BAD_GRANT_TYPE"));
    if (formField(request, "client_id") !== oauth.clientId)
      fail(badClientError(correlationId(), "BAD_CLIENT_ID"));
    if (formField(request, "client_secret") !== oauth.clientSecret)
      fail(badClientError(correlationId(), "BAD_CLIENT_SECRET"));
    const presented = formField(request, "refresh_token") ?? "";
    if (!auth.isRefreshToken(presented)) fail(badRefreshTokenError(correlationId()));
    const accessToken = `CJ${uuids.next().replace(/-/g, "")}`;
    let refreshToken = presented;
    if (oauth.rotate === true) {
      refreshToken = `na1-${uuids.next()}`;
      auth.rotateRefreshToken(presented, refreshToken);
    }
    auth.addToken({
      token: accessToken,
      scopes: oauth.scopes,
      expiresAt: clock.now() + ttl,
      appId: oauth.clientId,
    });
    const base = {
      token_type: "bearer",
      refresh_token: refreshToken,
      access_token: accessToken,
      expires_in: Math.floor(ttl / 1000),
    };
    return {
      status: 200,
      body:
        version === "v1"
          ? base
          : { ...base, hub_id: deps.portalId, scopes: [...(oauth.scopes ?? ["oauth"])] },
    };
  };

  // The 2026-03 token endpoint takes and returns exactly what v3 does.
  addVersioned(router, "POST", "oauth", "/token", meta, (req) => handle(req, "v3"));
  router.add("POST", "/oauth/v1/token", meta, (req) => handle(req, "v1"));
}
