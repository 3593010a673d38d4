import { type Clock, systemClock } from "../../../internal/clock.js";
import { createFaultInjector, type FaultInjector } from "../common/faults.js";
import { createNumericIdGenerator, createUuidGenerator } from "../common/ids.js";
import { createRequestLog, type RecordedRequest, type RequestMatcher } from "../common/request-log.js";
import { createRouter, type EmulatorResponse, failureResponse, type RouteRequest } from "../common/router.js";
import { createEmulatorTransport, type EmulatorOutcome, type ListenOptions } from "../common/server.js";
import { createPipedriveAuth, registerOAuthRoutes } from "./auth.js";
import { registerEntityRoutes } from "./entities.js";
import { goneError, scopeMismatchError, unknownRouteError, validationError } from "./errors.js";
import {
  PIPEDRIVE_FAULT_PRESETS,
  type PipedriveFaultPreset,
  resolvePipedrivePreset,
  validatePipedrivePreset,
} from "./faults.js";
import { createPipedriveLimits, type PipedriveLimitsConfig, resolveLimits } from "./limits.js";
import { registerMetadataRoutes } from "./metadata.js";
import { toV2 } from "./records.js";
import type { PipedriveRouteMeta } from "./routing.js";
import { registerSearchRoutes } from "./search.js";
import { createState, type PipedriveContext, type PipedriveState, type StoredEntity } from "./store.js";
import type { PipedriveEmulatorOptions, PipedriveEntityType, PipedriveTokenSeed } from "./types.js";
import { isRemovedV1, noteJson, registerV1Routes } from "./v1.js";
import {
  buildWebhookDelivery,
  type PipedriveWebhookDelivery,
  type PipedriveWebhookInput,
} from "./webhooks.js";

/** A recorded request plus the daily-budget tokens it cost (0 when refused or unpriced). */
export interface PipedriveRecordedRequest extends RecordedRequest {
  /** Tokens charged to the daily budget. */
  cost: number;
}

/** A running Pipedrive emulator. */
export interface PipedriveEmulator {
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
  /** The emulated company (read it for assertions; write through the API). */
  readonly state: PipedriveState;
  /** Every request received, oldest first, credentials redacted, with its token cost. */
  readonly requests: readonly PipedriveRecordedRequest[];
  /** How many recorded requests match. */
  count(matcher?: RequestMatcher): number;
  /** Fault injection: literal responses, presets, `"timeout"` and `"network"`. */
  readonly faults: FaultInjector<PipedriveFaultPreset>;
  /** The effective limits. */
  readonly limits: PipedriveLimitsConfig;
  /** Daily-budget tokens spent today (company-local day). */
  tokensUsed(): number;
  /** A record (deleted ones included) in its API JSON: v2 for persons/organizations/deals/activities, v1 for notes. */
  get(type: PipedriveEntityType, id: number): Record<string, unknown> | undefined;
  /** Records of a type, ascending by id; deleted ones only with `{ deleted: true }`. */
  list(type: PipedriveEntityType, options?: { deleted?: boolean | undefined }): Record<string, unknown>[];
  /** Accepts another credential from now on. */
  addToken(seed: PipedriveTokenSeed): void;
  /** Builds a v2 webhook delivery (Basic-auth headers and `{meta, data, previous}` body) for handler tests. */
  webhookDelivery(input: PipedriveWebhookInput): PipedriveWebhookDelivery;
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
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(response.body), { status: response.status, headers });
};

/**
 * Creates an HTTP-level emulator of the Pipedrive endpoints crmkit's adapter uses, following vendor-facts §3 and
 * §5: v2 persons, organizations, deals, activities (CRUD, filtered lists, cursor pagination, search with exact
 * match and index lag), pipelines, stages and field lists with 40-hex custom-field keys; v1 notes, users and
 * webhooks (start/limit pagination); 410 for removed v1 endpoints; API-token and OAuth auth with refresh rotation;
 * the 2-second burst windows and the daily token budget charged by each operation's `x-token-cost`, with their
 * headers and 429 bodies; fault injection, a request log with costs, and webhook deliveries. Duplicates are always
 * allowed, as in Pipedrive.
 *
 * @example
 * const pipedrive = createPipedriveEmulator({ clock: createFakeClock(), plan: "lite" });
 * await pipedrive.fetch("https://api.pipedrive.com/api/v2/persons", {
 *   method: "POST",
 *   headers: { "x-api-token": "test", "content-type": "application/json" },
 *   body: JSON.stringify({ name: "Ann", emails: [{ value: "ann@example.com" }] }),
 * });
 * pipedrive.tokensUsed(); // 5
 */
export function createPipedriveEmulator(options: PipedriveEmulatorOptions = {}): PipedriveEmulator {
  const clock: Clock = options.clock ?? systemClock;
  const baseUrl = options.baseUrl ?? "https://api.pipedrive.com";
  if (!URL.canParse(baseUrl))
    throw new TypeError(`createPipedriveEmulator: option \`baseUrl\` is not an absolute URL: ${baseUrl}`);
  const searchLagMs = options.searchLagMs ?? 0;
  if (!(searchLagMs >= 0))
    throw new RangeError(`createPipedriveEmulator: option \`searchLagMs\` must be ≥ 0, got ${searchLagMs}`);
  const ids = createNumericIdGenerator({ start: options.idStart });
  const context: Omit<PipedriveContext, "userId"> = {
    state: createState(options, { clock, ids }),
    clock,
    ids,
    searchLagMs,
  };
  const defaultUserId = context.state.users[0]?.id as number;
  const limitsConfig = resolveLimits(options);
  const limits = createPipedriveLimits(limitsConfig, clock);
  const auth = createPipedriveAuth(options, clock, defaultUserId);
  const log = createRequestLog();
  let rays = 0;
  const faults = createFaultInjector<PipedriveFaultPreset>({
    presets: PIPEDRIVE_FAULT_PRESETS,
    validatePreset: validatePipedrivePreset,
    resolvePreset: (preset) =>
      resolvePipedrivePreset(
        { burstLimit: limitsConfig.burst, rayId: () => `7e${(++rays).toString(16).padStart(14, "0")}` },
        preset,
      ),
  });
  let webhookUuids = createUuidGenerator({ seed: (options.seed ?? 1) + 104_729 });

  const router = createRouter<PipedriveContext, PipedriveRouteMeta>();
  const oauthRoutes = registerOAuthRoutes(router, { options, auth, clock, defaultUserId });
  registerSearchRoutes(router);
  registerEntityRoutes(router);
  registerMetadataRoutes(router);
  registerV1Routes(router);

  const route = async (
    request: RouteRequest,
    invalidJson: boolean,
  ): Promise<{ response: EmulatorResponse; cost: number }> => {
    const match = router.match(request.method, request.path);
    if (match === undefined) {
      const v1 = /^\/(?:api\/)?v1\//.test(request.path);
      // Pipedrive authenticates before it resolves the route, so a bad token is a 401 everywhere.
      const authed = auth.authenticate(request, v1);
      if (!authed.ok) return { response: authed.response, cost: 0 };
      const response = isRemovedV1(request.path)
        ? goneError(request.path)
        : unknownRouteError(request.method, request.path);
      return { response, cost: 0 };
    }
    const { meta, handler } = match.route;
    let headers: Record<string, string> = {};
    let userId = defaultUserId;
    if (meta.auth) {
      const authed = auth.authenticate(request, meta.v1);
      if (!authed.ok) return { response: authed.response, cost: 0 };
      if (!auth.allows(authed.token, meta.scopes)) return { response: scopeMismatchError(), cost: 0 };
      userId = authed.token.userId;
      if (meta.limit !== "none") {
        const admission = limits.admit({
          kind: meta.limit,
          key: authed.token.rateKey,
          oauth: authed.token.kind === "oauth",
          cost: meta.cost,
        });
        if (!admission.ok) return { response: admission.response, cost: 0 };
        headers = admission.headers;
      }
    }
    let response: EmulatorResponse;
    if (invalidJson) response = validationError("Invalid JSON in request body");
    else {
      try {
        response = await handler({ ...request, params: match.params }, { ...context, userId });
      } catch (error) {
        const failure = failureResponse(error);
        if (failure === undefined) throw error;
        response = failure;
      }
    }
    return { response: { ...response, headers: { ...headers, ...response.headers } }, cost: meta.cost };
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
    }) as PipedriveRecordedRequest;
    entry.cost = 0;
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
        const outcome = await route(routeRequest, invalidJson);
        response = outcome.response;
        entry.cost = outcome.cost;
      } catch (error) {
        // An emulator bug must surface as a loud 500, never as a silently wrong success.
        response = {
          status: 500,
          body: { success: false, error: `emulator error: ${String(error)}`, errorCode: 500 },
        };
      }
    }
    log.finish(entry, response.status, fault?.label);
    return toResponse(response);
  };

  const transport = createEmulatorTransport(handle, { baseUrl });
  const view = (entity: StoredEntity): Record<string, unknown> => {
    const readContext = { ...context, userId: defaultUserId };
    return entity.type === "notes" ? noteJson(readContext, entity) : toV2(readContext, entity);
  };

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
      return log.all as readonly PipedriveRecordedRequest[];
    },
    count: (matcher) => log.count(matcher),
    faults,
    limits: limitsConfig,
    tokensUsed: () => limits.tokensUsed(),
    get(type, id) {
      const entity = context.state.records[type].get(id);
      return entity === undefined ? undefined : view(entity);
    },
    list(type, listOptions = {}) {
      const deleted = listOptions.deleted ?? false;
      return [...context.state.records[type].values()]
        .filter((entity) => entity.deleted === deleted)
        .sort((a, b) => a.id - b.id)
        .map(view);
    },
    addToken: (seed) => auth.addToken(seed),
    webhookDelivery: (input) =>
      buildWebhookDelivery(
        {
          companyId: context.state.companyId,
          defaultUserId,
          now: () => clock.now(),
          uuid: () => webhookUuids.next(),
        },
        input,
      ),
    reset() {
      ids.reset();
      context.state = createState(options, { clock, ids });
      limits.reset();
      auth.reset();
      oauthRoutes.reset();
      log.clear();
      faults.clear();
      rays = 0;
      webhookUuids = createUuidGenerator({ seed: (options.seed ?? 1) + 104_729 });
    },
  };
}
