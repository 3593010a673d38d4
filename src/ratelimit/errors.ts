import { CrmError, classify } from "../errors/index.js";
import type { ResolvedPolicy } from "./store.js";

const PROVIDER = "crmkit";

/** A request that can never fit a policy: a caller bug, so it alerts instead of waiting forever. */
export function costExceedsLimit(policyId: string, cost: number, limit: number): CrmError {
  return new CrmError({
    reason: "configuration_error",
    provider: PROVIDER,
    code: "cost_exceeds_limit",
    message: `A request costing ${cost} can never fit rate-limit policy "${policyId}" (effective limit ${limit})`,
  });
}

/** The caller gave up waiting (signal) or the limiter closed under it. */
export function abortedError(cause?: unknown): CrmError {
  return new CrmError({
    reason: "aborted",
    provider: PROVIDER,
    message: "The rate-limit wait was aborted",
    cause,
  });
}

/** The wait would exceed `maxWaitMs`; long-window policies mean the day's budget is gone. */
export function waitTooLong(
  policy: ResolvedPolicy | undefined,
  policyId: string,
  retryAfterMs: number,
): CrmError {
  const longWindow = policy?.kind === "calendar" || policy?.kind === "rolling";
  return new CrmError({
    reason: longWindow ? "quota_exhausted" : "rate_limited",
    provider: PROVIDER,
    code: policyId === "cooldown" ? "rate_limit_cooldown" : `rate_limit_${policyId}`,
    message:
      policyId === "cooldown"
        ? `The scope is paused after a rate-limit response; retry in ${Math.ceil(retryAfterMs)} ms`
        : `Rate-limit policy "${policyId}" admits the next request in ${Math.ceil(retryAfterMs)} ms`,
    retryAfterMs,
  });
}

/** A store failure: the limiter fails closed, so an unreachable store never lets traffic through unmetered. */
export function storeError(error: unknown): CrmError {
  const classified = classify(error, { provider: PROVIDER });
  if (classified.reason !== "unknown_response") return classified;
  return new CrmError({
    reason: "network_error",
    provider: PROVIDER,
    code: "rate_limit_store_unavailable",
    message: "The rate-limit store could not be reached",
    cause: error,
  });
}

/** Invalid per-call input (empty scope, negative cost). */
export function invalidRequest(message: string): CrmError {
  return new CrmError({ reason: "configuration_error", provider: PROVIDER, message });
}
