import { createEmulatorBase, type EmulatorBase } from "../common/emulator-base.js";
import { createEmulatorOptionChecks } from "../common/emulator-option-checks.js";
import { createFaultInjector } from "../common/faults.js";
import { createNumericIdGenerator, createUuidGenerator } from "../common/ids.js";
import type { RecordedRequest } from "../common/request-log.js";
import { createRouter } from "../common/router.js";
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
export interface PipedriveEmulator
  extends EmulatorBase<PipedriveState, PipedriveFaultPreset, PipedriveRecordedRequest> {
  /** The emulated company (read it for assertions; write through the API). */
  readonly state: PipedriveState;
  /** Every request received, oldest first, credentials redacted, with its token cost. */
  readonly requests: readonly PipedriveRecordedRequest[];
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
  const check = createEmulatorOptionChecks({ factory: "createPipedriveEmulator" });
  const { clock, baseUrl, searchLagMs } = check.shared(options, "https://api.pipedrive.com");
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

  const core = createEmulatorBase<
    PipedriveContext,
    PipedriveRouteMeta,
    PipedriveState,
    PipedriveFaultPreset,
    PipedriveRecordedRequest
  >({
    baseUrl,
    clock,
    faults,
    router,
    state: () => context.state,
    jsonContentType: "application/json",
    unknownRoute(request) {
      const v1 = /^\/(?:api\/)?v1\//.test(request.path);
      // Pipedrive authenticates before it resolves the route, so a bad token is a 401 everywhere.
      const authed = auth.authenticate(request, v1);
      if (!authed.ok) return authed.response;
      return isRemovedV1(request.path)
        ? goneError(request.path)
        : unknownRouteError(request.method, request.path);
    },
    admit({ route: { meta } }, request) {
      if (!meta.auth) return { ok: true, headers: {}, context: { ...context, userId: defaultUserId } };
      const authed = auth.authenticate(request, meta.v1);
      if (!authed.ok) return authed;
      if (!auth.allows(authed.token, meta.scopes)) return { ok: false, response: scopeMismatchError() };
      const routeContext = { ...context, userId: authed.token.userId };
      if (meta.limit === "none") return { ok: true, headers: {}, context: routeContext };
      const admission = limits.admit({
        kind: meta.limit,
        key: authed.token.rateKey,
        oauth: authed.token.kind === "oauth",
        cost: meta.cost,
      });
      return admission.ok ? { ...admission, context: routeContext } : admission;
    },
    invalidJson: () => validationError("Invalid JSON in request body"),
    internalError: (error) => ({
      status: 500,
      body: { success: false, error: `emulator error: ${String(error)}`, errorCode: 500 },
    }),
    // Refused, faulted and failed requests cost nothing; an answered one costs its route's price.
    annotate(entry, admitted) {
      (entry as PipedriveRecordedRequest).cost = admitted?.meta.cost ?? 0;
    },
  });
  const view = (entity: StoredEntity): Record<string, unknown> => {
    const readContext = { ...context, userId: defaultUserId };
    return entity.type === "notes" ? noteJson(readContext, entity) : toV2(readContext, entity);
  };

  const members: Omit<
    PipedriveEmulator,
    keyof EmulatorBase<PipedriveState, PipedriveFaultPreset, PipedriveRecordedRequest>
  > = {
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
      core.clear();
      rays = 0;
      webhookUuids = createUuidGenerator({ seed: (options.seed ?? 1) + 104_729 });
    },
  };
  return Object.assign(core.emulator, members);
}
