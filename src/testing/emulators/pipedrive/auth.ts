import type { Clock } from "../../../internal/clock.js";
import { createUuidGenerator } from "../common/ids.js";
import { type EmulatorResponse, fail, type RouteRequest, type Router } from "../common/router.js";
import { oauthError, unauthorizedError } from "./errors.js";
import type { PipedriveRouteMeta } from "./routing.js";
import type { PipedriveContext } from "./store.js";
import type { PipedriveEmulatorOptions, PipedriveTokenSeed } from "./types.js";

/** A credential the emulator knows. */
export interface TokenRecord {
  kind: "api" | "oauth";
  /** The user requests with this credential act as. */
  userId: number;
  /** `undefined` grants every scope (API tokens always do). */
  scopes: readonly string[] | undefined;
  /** Epoch ms; `undefined` never expires. */
  expiresAt: number | undefined;
  /** Key of the per-token 2-second windows (stable across OAuth refreshes of one user and app). */
  rateKey: string;
}

/** Credential bookkeeping and checks. */
export interface PipedriveAuth {
  /** Resolves the request's credential, or the 401 to send. */
  authenticate(
    request: Pick<RouteRequest, "headers" | "query">,
    v1: boolean,
  ): { ok: true; token: TokenRecord } | { ok: false; response: EmulatorResponse };
  /** Whether the token may call a route guarded by any of `scopes`. */
  allows(token: TokenRecord, scopes: readonly string[] | undefined): boolean;
  /** Accepts another credential from now on. */
  addToken(seed: PipedriveTokenSeed): void;
  /** Registers an access token issued by the token endpoint. */
  issued(record: TokenRecord, token: string): void;
  /** Restores the credentials from the options. */
  reset(): void;
}

/** Default lifetime of issued access tokens: Pipedrive answers `expires_in: 3599`. */
export const DEFAULT_TOKEN_TTL_MS = 3_599_000;

const parseTime = (value: number | string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new TypeError(
      `createPipedriveEmulator: option \`tokens[].expiresAt\` is not a valid time: ${value}`,
    );
  return ms;
};

/** Creates the credential registry from the emulator options. */
export function createPipedriveAuth(
  options: PipedriveEmulatorOptions,
  clock: Clock,
  defaultUserId: number,
): PipedriveAuth {
  const tokens = new Map<string, TokenRecord>();
  const acceptAny = options.tokens === undefined && options.oauth === undefined;
  const key = (kind: "api" | "oauth", token: string): string => `${kind} ${token}`;

  const addToken = (seed: PipedriveTokenSeed): void => {
    if (seed.token === "") throw new TypeError("createPipedriveEmulator: option `tokens` has an empty token");
    const kind = seed.kind ?? "api";
    tokens.set(key(kind, seed.token), {
      kind,
      userId: seed.userId ?? defaultUserId,
      scopes: kind === "api" ? undefined : seed.scopes,
      expiresAt: kind === "api" ? undefined : parseTime(seed.expiresAt),
      rateKey: `${kind}:${seed.token}`,
    });
  };

  const reset = (): void => {
    tokens.clear();
    for (const seed of options.tokens ?? []) addToken(seed);
  };
  reset();

  const issued = (record: TokenRecord, token: string): void => {
    tokens.set(key("oauth", token), record);
  };

  return {
    authenticate(request: Pick<RouteRequest, "headers" | "query">, v1: boolean) {
      const apiToken = request.headers.get("x-api-token") ?? (v1 ? request.query.get("api_token") : null);
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
      const presented: [kind: "api" | "oauth", token: string] | undefined =
        apiToken !== null && apiToken !== ""
          ? ["api", apiToken]
          : bearer !== undefined
            ? ["oauth", bearer]
            : undefined;
      const unauthorized = { ok: false as const, response: unauthorizedError() };
      if (presented === undefined) return unauthorized;
      const [kind, token] = presented;
      if (acceptAny)
        return {
          ok: true as const,
          token: {
            kind,
            userId: defaultUserId,
            scopes: undefined,
            expiresAt: undefined,
            rateKey: `${kind}:${token}`,
          },
        };
      const record = tokens.get(key(kind, token));
      if (record === undefined) return unauthorized;
      // Pipedrive answers an expired access token with the same 401 as an unknown one [obs].
      if (record.expiresAt !== undefined && record.expiresAt <= clock.now()) return unauthorized;
      return { ok: true as const, token: record };
    },
    allows: (token: TokenRecord, scopes: readonly string[] | undefined) =>
      token.kind === "api" ||
      token.scopes === undefined ||
      scopes === undefined ||
      scopes.some((s) => token.scopes?.includes(s)),
    addToken,
    issued,
    reset,
  };
}

const basicCredentials = (header: string | null): [string, string] | undefined => {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
};

/**
 * Registers `POST /oauth/token` (refresh-token grant, form body, HTTP Basic client authentication). Issued access
 * tokens expire after `tokenTtlMs`; with `rotate` (the default) each refresh returns a new refresh token and
 * invalidates the presented one.
 */
export function registerOAuthRoutes(
  router: Router<PipedriveContext, PipedriveRouteMeta>,
  deps: { options: PipedriveEmulatorOptions; auth: PipedriveAuth; clock: Clock; defaultUserId: number },
): { reset(): void } {
  const { options, auth, clock } = deps;
  const ttl = options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
  if (!(ttl > 0))
    throw new RangeError(`createPipedriveEmulator: option \`tokenTtlMs\` must be positive, got ${ttl}`);
  const seed = (options.seed ?? 1) + 7919;
  let uuids = createUuidGenerator({ seed });
  const refresh = new Set<string>();
  const reset = (): void => {
    uuids = createUuidGenerator({ seed });
    refresh.clear();
    for (const token of options.oauth?.refreshTokens ?? []) refresh.add(token);
  };
  reset();
  const meta: PipedriveRouteMeta = {
    operation: undefined,
    cost: 0,
    scopes: undefined,
    limit: "none",
    auth: false,
    v1: false,
  };

  router.add("POST", "/oauth/token", meta, (request) => {
    const oauth = options.oauth;
    const client = basicCredentials(request.headers.get("authorization"));
    if (
      oauth === undefined ||
      client === undefined ||
      client[0] !== oauth.clientId ||
      client[1] !== oauth.clientSecret
    )
      fail(oauthError(401, "invalid_client", "Invalid client credentials"));
    const form = (typeof request.body === "object" && request.body !== null ? request.body : {}) as Record<
      string,
      unknown
    >;
    if (form["grant_type"] !== "refresh_token")
      fail(oauthError(400, "unsupported_grant_type", "Grant type is not supported"));
    const presented = typeof form["refresh_token"] === "string" ? form["refresh_token"] : "";
    if (!refresh.has(presented))
      fail(oauthError(400, "invalid_grant", "Invalid grant: refresh_token is invalid"));
    const userId = oauth.userId ?? deps.defaultUserId;
    const accessToken = `v1u:AQIBAH${uuids.next().replace(/-/g, "")}`;
    let refreshToken = presented;
    if (oauth.rotate ?? true) {
      refreshToken = `${userId}:${options.companyId ?? 7_654_321}:${uuids.next().replace(/-/g, "")}`;
      refresh.delete(presented);
      refresh.add(refreshToken);
    }
    auth.issued(
      {
        kind: "oauth",
        userId,
        scopes: oauth.scopes,
        expiresAt: clock.now() + ttl,
        rateKey: `oauth:${oauth.clientId}:${userId}`,
      },
      accessToken,
    );
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: Math.floor(ttl / 1000),
        refresh_token: refreshToken,
        scope: (oauth.scopes ?? ["base"]).join(","),
        api_domain: oauth.apiDomain ?? "https://emulated-company.pipedrive.com",
      },
    };
  });
  return { reset };
}
