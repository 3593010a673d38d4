import { type Clock, systemClock } from "../../../internal/clock.js";
import { createFaultInjector, type FaultInjector } from "../common/faults.js";
import { createNumericIdGenerator, createUuidGenerator } from "../common/ids.js";
import { createRequestLog, type RecordedRequest, type RequestMatcher } from "../common/request-log.js";
import { createRouter, type EmulatorResponse, failureResponse, type RouteRequest } from "../common/router.js";
import { createEmulatorTransport, type EmulatorOutcome, type ListenOptions } from "../common/server.js";
import { registerAssociationRoutes } from "./associations.js";
import { createHubSpotAuth, registerOAuthRoutes } from "./auth.js";
import { registerBatchRoutes } from "./batch.js";
import { missingScopesError, unknownRouteError, validationError } from "./errors.js";
import {
  HUBSPOT_FAULT_PRESETS,
  type HubSpotFaultPreset,
  resolveHubSpotPreset,
  validateHubSpotPreset,
} from "./faults.js";
import { createHubSpotLimits, type HubSpotLimitsConfig, resolveLimits } from "./limits.js";
import { registerMetadataRoutes } from "./metadata.js";
import { registerObjectRoutes } from "./objects.js";
import { toPublicRecord } from "./records.js";
import type { HubSpotRouteMeta } from "./routing.js";
import { registerSearchRoutes } from "./search.js";
import {
  associationsOf,
  createState,
  type HubSpotContext,
  type HubSpotState,
  type StoredRecord,
} from "./store.js";
import type { HubSpotEmulatorOptions, HubSpotObjectType, HubSpotTokenSeed } from "./types.js";
import { type HubSpotWebhookSignInput, signHubSpotWebhook } from "./webhooks.js";

/** A record as the inspection API returns it: every set property, as strings. */
export interface HubSpotRecordView {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/** A running HubSpot emulator. */
export interface HubSpotEmulator {
  /** In-process `fetch` answering any absolute URL (and relative ones against `baseUrl`). */
  readonly fetch: typeof fetch;
  /** Starts a real server on 127.0.0.1 (same state as `fetch`) and resolves its URL. */
  listen(options?: ListenOptions): Promise<string>;
  /** Stops the server and fails requests parked by `"timeout"` faults. */
  close(): Promise<void>;
  /** The server URL while listening. */
  readonly url: string | undefined;
  /** The base URL relative `fetch` URLs resolve against. */
  readonly baseUrl: string;
  /** The emulated account (read it for assertions; write through the API). */
  readonly state: HubSpotState;
  /** Every request received, oldest first, credentials redacted. */
  readonly requests: readonly RecordedRequest[];
  /** How many recorded requests match. */
  count(matcher?: RequestMatcher): number;
  /** Fault injection: literal responses, presets, `"timeout"` and `"network"`. */
  readonly faults: FaultInjector<HubSpotFaultPreset>;
  /** The effective limits and today's usage of the daily limit. */
  readonly limits: HubSpotLimitsConfig & { dailyUsed(): number };
  /** A live or archived record by id, or `undefined`. */
  get(type: HubSpotObjectType, id: string): HubSpotRecordView | undefined;
  /** Records of a type, ascending by id; archived ones only with `{ archived: true }`. */
  list(type: HubSpotObjectType, options?: { archived?: boolean | undefined }): HubSpotRecordView[];
  /** Ids of `toType` records associated with a record, with the association type ids (from → to). */
  associations(
    fromType: HubSpotObjectType,
    fromId: string,
    toType: HubSpotObjectType,
  ): { toId: string; typeIds: number[] }[];
  /** Accepts another access token from now on. */
  addToken(seed: HubSpotTokenSeed): void;
  /** Signs a webhook fixture; `clientSecret` defaults to `oauth.clientSecret`, `timestamp` to the clock. */
  signWebhook(
    input: Omit<HubSpotWebhookSignInput, "clientSecret"> & { clientSecret?: string | undefined },
  ): Record<string, string>;
  /** Restores the seeded state and clears the request log, faults, limits and tokens issued since. */
  reset(): void;
}

const parseBody = (raw: string, contentType: string): { body: unknown; invalidJson: boolean } => {
  if (raw === "") return { body: undefined, invalidJson: false };
  if (contentType.includes("application/x-www-form-urlencoded"))
    return { body: Object.fromEntries(new URLSearchParams(raw)), invalidJson: false };
  try {
    return { body: JSON.parse(raw) as unknown, invalidJson: false };
  } catch {
    return { body: raw, invalidJson: true };
  }
};

const toResponse = (response: EmulatorResponse): Response => {
  const headers = new Headers(response.headers);
  if (response.status === 204 || response.body === undefined)
    return new Response(null, { status: response.status, headers });
  if (typeof response.body === "string") {
    if (!headers.has("content-type")) headers.set("content-type", "text/plain;charset=utf-8");
    return new Response(response.body, { status: response.status, headers });
  }
  headers.set("content-type", "application/json;charset=utf-8");
  return new Response(JSON.stringify(response.body), { status: response.status, headers });
};

/**
 * Creates an HTTP-level emulator of the HubSpot CRM endpoints crmkit's adapter uses, following vendor-facts §1 and
 * §5: objects (single, batch, search with its caps and lag), v4 associations with type-id validation, owners,
 * pipelines, properties, OAuth refresh, token expiry and scopes, the 10-second/daily/search limits with their
 * headers and literal 429 bodies, fault injection, a request log and webhook signing.
 *
 * @example
 * const hubspot = createHubSpotEmulator({ clock: createFakeClock(), owners: [{ id: "1", email: "a@x.com" }] });
 * const res = await hubspot.fetch("https://api.hubapi.com/crm/v3/objects/contacts", {
 *   method: "POST",
 *   headers: { authorization: "Bearer test", "content-type": "application/json" },
 *   body: JSON.stringify({ properties: { email: "ann@example.com" } }),
 * });
 * hubspot.count({ method: "POST" }); // 1
 */
export function createHubSpotEmulator(options: HubSpotEmulatorOptions = {}): HubSpotEmulator {
  const clock: Clock = options.clock ?? systemClock;
  const baseUrl = options.baseUrl ?? "https://api.hubapi.com";
  try {
    new URL(baseUrl);
  } catch {
    throw new TypeError(`createHubSpotEmulator: option \`baseUrl\` is not an absolute URL: ${baseUrl}`);
  }
  const searchLagMs = options.searchLagMs ?? 0;
  if (!(searchLagMs >= 0))
    throw new RangeError(`createHubSpotEmulator: option \`searchLagMs\` must be ≥ 0, got ${searchLagMs}`);
  const ids = createNumericIdGenerator({ start: options.idStart });
  const correlationIds = createUuidGenerator({ seed: options.seed });
  const requestIds = createUuidGenerator({ seed: (options.seed ?? 1) + 104_729 });
  const correlationId = (): string => correlationIds.next();
  const context: HubSpotContext = {
    state: createState(options, clock, ids),
    clock,
    ids,
    correlationId,
    searchLagMs,
  };
  const limitsConfig = resolveLimits(options);
  const limits = createHubSpotLimits(limitsConfig, clock, {
    correlationId,
    requestId: () => requestIds.next(),
  });
  const auth = createHubSpotAuth(options, clock, correlationId);
  const log = createRequestLog();
  const faults = createFaultInjector<HubSpotFaultPreset>({
    presets: HUBSPOT_FAULT_PRESETS,
    validatePreset: validateHubSpotPreset,
    resolvePreset: (preset) =>
      resolveHubSpotPreset(
        {
          correlationId,
          requestId: () => requestIds.next(),
          now: () => clock.now(),
          portalId: context.state.portalId,
          tenSecondlyLimit: limitsConfig.tenSecondly,
        },
        preset,
      ),
  });

  const router = createRouter<HubSpotContext, HubSpotRouteMeta>();
  registerOAuthRoutes(router, { options, auth, clock, correlationId, portalId: context.state.portalId });
  registerSearchRoutes(router);
  registerBatchRoutes(router);
  registerObjectRoutes(router);
  registerAssociationRoutes(router);
  registerMetadataRoutes(router);

  const route = async (request: RouteRequest, invalidJson: boolean): Promise<EmulatorResponse> => {
    const match = router.match(request.method, request.path);
    if (match === undefined) {
      // HubSpot authenticates before it resolves the route, so a bad token is a 401 everywhere.
      const authed = auth.authenticate(request.headers);
      return authed.ok ? unknownRouteError(correlationId(), request.method, request.path) : authed.response;
    }
    const { meta, handler } = match.route;
    let headers: Record<string, string> = {};
    if (meta.auth) {
      const authed = auth.authenticate(request.headers);
      if (!authed.ok) return authed.response;
      const scope = meta.scope?.(match.params);
      if (scope !== undefined && !auth.hasScope(authed.token, scope))
        return missingScopesError(correlationId(), [scope]);
      if (meta.limit !== "none") {
        const admission = limits.admit(meta.limit, authed.token.appId);
        if (!admission.ok) return admission.response;
        headers = admission.headers;
      }
    }
    let response: EmulatorResponse;
    if (invalidJson)
      response = validationError(correlationId(), "Invalid input JSON: the body is not valid JSON");
    else {
      try {
        response = await handler({ ...request, params: match.params }, context);
      } catch (error) {
        const failure = failureResponse(error);
        if (failure === undefined) throw error;
        response = failure;
      }
    }
    return { ...response, headers: { ...headers, ...response.headers } };
  };

  const handle = async (request: Request): Promise<EmulatorOutcome> => {
    const url = new URL(request.url);
    const rawBody = await request.text();
    const { body, invalidJson } = parseBody(rawBody, request.headers.get("content-type") ?? "");
    const entry = log.record({
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      url: url.pathname + url.search,
      headers: request.headers,
      body,
      time: clock.now(),
    });
    const fault = faults.take(request.method, url.pathname);
    if (fault !== undefined && fault.kind !== "response") {
      log.finish(entry, fault.kind, fault.label);
      return fault.kind;
    }
    let response: EmulatorResponse;
    if (fault !== undefined) response = fault.response;
    else {
      const routeRequest: RouteRequest = {
        method: request.method.toUpperCase(),
        path: url.pathname,
        params: {},
        query: url.searchParams,
        body,
        rawBody,
        headers: request.headers,
      };
      try {
        response = await route(routeRequest, invalidJson);
      } catch (error) {
        // An emulator bug must surface as a loud 500, never as a silently wrong success.
        response = {
          status: 500,
          body: { status: "error", message: `emulator error: ${String(error)}`, category: "INTERNAL_ERROR" },
        };
      }
    }
    log.finish(entry, response.status, fault?.label);
    return toResponse(response);
  };

  const transport = createEmulatorTransport(handle, { baseUrl });
  const view = (record: StoredRecord): HubSpotRecordView =>
    toPublicRecord(record) as unknown as HubSpotRecordView;

  return {
    fetch: transport.fetch,
    listen: (listenOptions) => transport.listen(listenOptions),
    close: () => transport.close(),
    get url() {
      return transport.url;
    },
    baseUrl,
    get state() {
      return context.state;
    },
    get requests() {
      return log.all;
    },
    count: (matcher) => log.count(matcher),
    faults,
    limits: { ...limitsConfig, dailyUsed: () => limits.dailyUsed() },
    get(type, id) {
      const record = context.state.records[type].get(id);
      return record === undefined ? undefined : view(record);
    },
    list(type, listOptions = {}) {
      const archived = listOptions.archived ?? false;
      return [...context.state.records[type].values()]
        .filter((record) => record.archived === archived)
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map(view);
    },
    associations: (fromType, fromId, toType) => associationsOf(context.state, fromType, fromId, toType),
    addToken: (seed) => auth.addToken(seed),
    signWebhook(input) {
      const clientSecret = input.clientSecret ?? options.oauth?.clientSecret;
      if (clientSecret === undefined)
        throw new TypeError(
          "signWebhook: option `clientSecret` is required when the emulator has no `oauth.clientSecret`",
        );
      return signHubSpotWebhook({ ...input, clientSecret }, () => clock.now());
    },
    reset() {
      ids.reset();
      correlationIds.reset();
      requestIds.reset();
      context.state = createState(options, clock, ids);
      limits.reset();
      auth.reset();
      log.clear();
      faults.clear();
    },
  };
}
