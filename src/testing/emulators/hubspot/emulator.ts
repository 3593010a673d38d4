import { createEmulatorBase, type EmulatorBase } from "../common/emulator-base.js";
import { createEmulatorOptionChecks } from "../common/emulator-option-checks.js";
import { createFaultInjector } from "../common/faults.js";
import { createNumericIdGenerator, createUuidGenerator } from "../common/ids.js";
import { createRouter } from "../common/router.js";
import { registerAssociationBatchRoutes } from "./association-batch.js";
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
export interface HubSpotEmulator extends EmulatorBase<HubSpotState, HubSpotFaultPreset> {
  /** The emulated account (read it for assertions; write through the API). */
  readonly state: HubSpotState;
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

/**
 * Creates an HTTP-level emulator of the HubSpot CRM endpoints crmkit's adapter uses, following vendor-facts §1 and
 * §5: objects (single, batch, search with its caps and lag), associations with type-id validation, owners,
 * pipelines, properties, OAuth refresh, token expiry and scopes, the 10-second/daily/search limits with their
 * headers and literal 429 bodies, fault injection, a request log and webhook signing. Every route is served under
 * the legacy paths (`/crm/v3/…`, `/crm/v4/…`, `/oauth/v3/…`) and the 2026-03 ones (`/crm/objects/2026-03/…`,
 * `/crm/associations/2026-03/…`, `/oauth/2026-03/…`) over one store, one set of limits and one fault queue.
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
  const check = createEmulatorOptionChecks({ factory: "createHubSpotEmulator" });
  const { clock, baseUrl, searchLagMs } = check.shared(options, "https://api.hubapi.com");
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
  registerAssociationBatchRoutes(router);
  registerMetadataRoutes(router);

  const core = createEmulatorBase({
    baseUrl,
    clock,
    faults,
    router,
    state: () => context.state,
    jsonContentType: "application/json;charset=utf-8",
    unknownRoute(request) {
      // HubSpot authenticates before it resolves the route, so a bad token is a 401 everywhere.
      const authed = auth.authenticate(request.headers);
      return authed.ok ? unknownRouteError(correlationId(), request.method, request.path) : authed.response;
    },
    admit({ route: { meta }, params }, request) {
      if (!meta.auth) return { ok: true, headers: {}, context };
      const authed = auth.authenticate(request.headers);
      if (!authed.ok) return authed;
      const scope = meta.scope?.(params);
      if (scope !== undefined && !auth.hasScope(authed.token, scope))
        return { ok: false, response: missingScopesError(correlationId(), [scope]) };
      if (meta.limit === "none") return { ok: true, headers: {}, context };
      const admission = limits.admit(meta.limit, authed.token.appId);
      return admission.ok ? { ...admission, context } : admission;
    },
    invalidJson: () => validationError(correlationId(), "Invalid input JSON: the body is not valid JSON"),
    internalError: (error) => ({
      status: 500,
      body: { status: "error", message: `emulator error: ${String(error)}`, category: "INTERNAL_ERROR" },
    }),
  });
  const view = (record: StoredRecord): HubSpotRecordView =>
    toPublicRecord(record) as unknown as HubSpotRecordView;

  const members: Omit<HubSpotEmulator, keyof EmulatorBase<HubSpotState, HubSpotFaultPreset>> = {
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
      core.clear();
    },
  };
  return Object.assign(core.emulator, members);
}
