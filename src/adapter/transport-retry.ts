import type { Options } from "p-retry";
import type { CrmError } from "../errors/index.js";
import type { RetryDecision } from "./retry.js";

/** What a failed attempt throws into p-retry: the error to return, and the verdict its callbacks read. */
export class AttemptFailure extends Error {
  constructor(
    readonly crmError: CrmError,
    readonly decision: RetryDecision,
    /** A 401 answered by a token refresh: send again at once, outside the retry budget. */
    readonly replay = false,
  ) {
    super(crmError.message);
  }
}
const decisionOf = (error: unknown): RetryDecision | undefined =>
  error instanceof AttemptFailure ? error.decision : undefined;

/** The options of the transport's p-retry loop, for one request. */
export function pRetryOptions(retries: number, signal: AbortSignal | undefined): Options {
  return {
    // p-retry's own wait is zero: the jittered, Retry-After-aware wait happens on the injected clock at the
    // start of the next attempt, and the verdict is computed once so the callbacks are order-independent.
    retries,
    minTimeout: 0,
    maxTimeout: 0,
    factor: 1,
    maxRetryTime: Number.POSITIVE_INFINITY,
    shouldConsumeRetry: ({ error }) => decisionOf(error)?.consume ?? true,
    shouldRetry: ({ error }) => decisionOf(error)?.retry ?? false,
    ...(signal === undefined ? {} : { signal }),
  };
}
