import type { CrmObjectType } from "../../adapter/index.js";
import { CrmError, type CrmErrorReason, isCrmErrorReason } from "../../errors/index.js";
import type { FakeCrmFaults, FakeCrmMethod, FaultRule, RandomFaultOptions } from "./types.js";

/** The status a vendor typically answers with for each reason; `undefined` where no response arrives. */
const TYPICAL_STATUS: Record<CrmErrorReason, number | undefined> = {
  rate_limited: 429,
  quota_exhausted: 429,
  server_error: 502,
  network_timeout: undefined,
  network_error: undefined,
  locked: 423,
  aborted: undefined,
  invalid_property: 400,
  invalid_enum: 400,
  missing_required_field: 400,
  validation_failed: 400,
  ambiguous_duplicate_match: undefined,
  duplicate_conflict: 409,
  inactive_owner: 400,
  association_type_error: 400,
  not_found: 404,
  payload_too_large: 413,
  expired_token: 401,
  invalid_token: 401,
  missing_scope: 403,
  permission_denied: 403,
  api_version_deprecated: 410,
  configuration_error: undefined,
  unknown_response: 500,
};

/** The typical HTTP status for a reason, shared with the fake's own validation errors. */
export function typicalStatus(reason: CrmErrorReason): number | undefined {
  return TYPICAL_STATUS[reason];
}

/** The faults decided for one call: one may fire before the operation, or one after it. */
export interface FaultDecision {
  readonly before?: CrmError | undefined;
  readonly after?: CrmError | undefined;
}

// What almost every call is decided: shared, so a fault-free call allocates nothing here.
const NO_FAULT: FaultDecision = Object.freeze({});

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

interface RandomSource {
  readonly options: RandomFaultOptions;
  readonly next: () => number;
}

// mulberry32: tiny, fast and good enough to make seeded fault sequences reproducible across runs and machines.
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkReason(reason: unknown, option: string): void {
  if (!isCrmErrorReason(reason))
    throw new TypeError(`createFakeCrm: \`${option}\` has unknown reason "${String(reason)}"`);
}

/** The fault controller behind `probe.faults`, plus `decide`, which the fake adapter calls once per call. */
export function createFaultController(
  provider: string,
  initial: readonly FaultRule[],
): FakeCrmFaults & {
  decide(method: FakeCrmMethod, type: CrmObjectType | undefined, write: boolean): FaultDecision;
} {
  let rules: ActiveRule[] = [];
  let sources: RandomSource[] = [];

  const toError = (
    reason: CrmErrorReason,
    method: FakeCrmMethod,
    extra: Pick<FaultRule, "status" | "retryAfterMs" | "existingId" | "message">,
  ): CrmError =>
    new CrmError({
      reason,
      provider,
      message: extra.message ?? `Injected fault: ${reason} on ${method}`,
      status: extra.status ?? TYPICAL_STATUS[reason],
      retryAfterMs: extra.retryAfterMs,
      existingId: extra.existingId,
    });

  const controller = {
    inject(rule: FaultRule): void {
      checkReason(rule.reason, "faults.inject({ reason })");
      const times = rule.times ?? 1;
      if (!(times >= 1)) throw new RangeError("createFakeCrm: `faults.inject({ times })` must be ≥ 1");
      rules.push({ rule, remaining: times });
    },
    random(options: RandomFaultOptions): void {
      if (!(options.rate >= 0 && options.rate <= 1)) {
        throw new RangeError("createFakeCrm: `faults.random({ rate })` must be within [0, 1]");
      }
      if (options.reasons.length === 0)
        throw new RangeError("createFakeCrm: `faults.random({ reasons })` is empty");
      for (const reason of options.reasons) checkReason(reason, "faults.random({ reasons })");
      sources.push({ options, next: prng(options.seed ?? 1) });
    },
    clear(): void {
      rules = [];
      sources = [];
    },
    pending: (): readonly FaultRule[] => rules.filter((r) => r.remaining > 0).map((r) => r.rule),
    decide(method: FakeCrmMethod, type: CrmObjectType | undefined, write: boolean): FaultDecision {
      if (rules.length === 0 && sources.length === 0) return NO_FAULT;
      const hit = rules.find(
        (r) =>
          r.remaining > 0 &&
          (r.rule.method === undefined || r.rule.method === method) &&
          (r.rule.type === undefined || r.rule.type === type),
      );
      if (hit !== undefined) {
        hit.remaining -= 1;
        const error = toError(hit.rule.reason, method, hit.rule);
        return hit.rule.afterWrite === true ? { after: error } : { before: error };
      }
      for (const source of sources) {
        const { options } = source;
        if (options.methods !== undefined && !options.methods.includes(method)) continue;
        // Draw all three numbers on every matching call so one source's sequence does not depend on outcomes.
        const fire = source.next() < options.rate;
        const pick = source.next();
        const late = source.next() < (options.afterWrite ?? 0);
        if (!fire) continue;
        const reason = options.reasons[Math.floor(pick * options.reasons.length)] ?? options.reasons[0];
        const error = toError(reason as CrmErrorReason, method, { retryAfterMs: options.retryAfterMs });
        return write && late ? { after: error } : { before: error };
      }
      return NO_FAULT;
    },
  };
  for (const rule of initial) controller.inject(rule);
  return controller;
}
