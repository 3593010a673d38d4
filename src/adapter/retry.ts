import type { CrmError } from "../errors/index.js";

/**
 * How the transport retries. Retries use exponential backoff with full jitter
 * (`random(0, min(maxDelayMs, minDelayMs · 2^n))`), never wait less than the server's `Retry-After`, and stop
 * when the next wait would end after `maxRetryTimeMs`. Rate-limit waits do not use up `retries`.
 */
export interface RetryOptions {
  /**
   * How many times a failed attempt may be retried (so at most `retries + 1` attempts). Waits for a rate limit
   * (429, `rate_limited`, `quota_exhausted`) and the one replay after a token refresh do not count; once the
   * budget is spent, nothing more is retried.
   * @default 4
   */
  retries?: number | undefined;
  /**
   * Base of the exponential backoff: the cap of the first retry's random wait.
   * @default 500
   */
  minDelayMs?: number | undefined;
  /**
   * Largest backoff wait. A longer server-requested `Retry-After` is still honoured.
   * @default 30_000
   */
  maxDelayMs?: number | undefined;
  /**
   * Upper bound on the time from the first attempt to the start of the last one, on the transport's clock.
   * A retry whose wait would end later is not made, and the last error is returned. Also bounds limiter waits.
   * @default 120_000
   */
  maxRetryTimeMs?: number | undefined;
  /**
   * Source of randomness for the jitter, returning a number in [0, 1). Inject a constant for reproducible waits.
   * @default Math.random
   */
  random?: (() => number) | undefined;
}

/** {@link RetryOptions} with every default applied. */
export interface ResolvedRetry {
  readonly retries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryTimeMs: number;
  readonly random: () => number;
}

/** Default of {@link RetryOptions.retries}. */
export const DEFAULT_RETRIES = 4;
/** Default of {@link RetryOptions.minDelayMs}. */
export const DEFAULT_MIN_DELAY_MS = 500;
/** Default of {@link RetryOptions.maxDelayMs}. */
export const DEFAULT_MAX_DELAY_MS = 30_000;
/** Default of {@link RetryOptions.maxRetryTimeMs}. */
export const DEFAULT_MAX_RETRY_TIME_MS = 120_000;

function check(name: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new TypeError(
      `createTransport: option \`retry.${name}\` must be a finite ${integer ? "integer" : "number"} ≥ 0, got ${String(value)}`,
    );
  }
  return value;
}

/** Validates the `retry` option; `false` means a single attempt. Throws naming the option when malformed. */
export function resolveRetry(option: RetryOptions | false | undefined): ResolvedRetry {
  if (option === false) {
    return { retries: 0, minDelayMs: 0, maxDelayMs: 0, maxRetryTimeMs: 0, random: Math.random };
  }
  if (option !== undefined && (typeof option !== "object" || option === null)) {
    throw new TypeError("createTransport: option `retry` must be an object or false");
  }
  const input = option ?? {};
  const resolved: ResolvedRetry = {
    retries: check("retries", input.retries, DEFAULT_RETRIES, true),
    minDelayMs: check("minDelayMs", input.minDelayMs, DEFAULT_MIN_DELAY_MS),
    maxDelayMs: check("maxDelayMs", input.maxDelayMs, DEFAULT_MAX_DELAY_MS),
    maxRetryTimeMs: check("maxRetryTimeMs", input.maxRetryTimeMs, DEFAULT_MAX_RETRY_TIME_MS),
    random: input.random ?? Math.random,
  };
  if (typeof resolved.random !== "function") {
    throw new TypeError("createTransport: option `retry.random` must be a function returning [0, 1)");
  }
  if (resolved.maxDelayMs < resolved.minDelayMs) {
    throw new TypeError("createTransport: option `retry.maxDelayMs` must be ≥ `retry.minDelayMs`");
  }
  return resolved;
}

/** Methods that are safe to repeat after a request may have reached the server. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

// Connection failures that happen before any byte of the request leaves the process.
const NEVER_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** True for errors that say the vendor throttled us: 429, `rate_limited`, `quota_exhausted`. */
export function isRateLimitError(error: CrmError): boolean {
  return error.status === 429 || error.reason === "rate_limited" || error.reason === "quota_exhausted";
}

/** True when the error proves the request never reached the server (connection refused, DNS failure). */
export function isNeverSentError(error: CrmError): boolean {
  return NEVER_SENT_CODES.has(error.code);
}

/** What the transport knows about one failed attempt. */
export interface FailedAttempt {
  readonly error: CrmError;
  /** 1 for the first attempt. */
  readonly attemptNumber: number;
  /** Retries already used from the budget before this failure. */
  readonly retriesConsumed: number;
  /** Clock ms since the first attempt started. */
  readonly elapsedMs: number;
  /** Whether repeating the request is safe even if it reached the server. */
  readonly idempotent: boolean;
  /** False when the failure happened before the request could reach the server. */
  readonly sent: boolean;
  /** The caller aborted. */
  readonly aborted: boolean;
}

/** The verdict on one failed attempt. */
export interface RetryDecision {
  readonly retry: boolean;
  /** Whether the retry uses one unit of `retries`. */
  readonly consume: boolean;
  /** Wait before the next attempt (0 when not retrying). */
  readonly delayMs: number;
  /** Why not, for logs: `not_retryable`, `not_idempotent`, `budget_spent`, `max_retry_time`, `aborted`. */
  readonly stop?: "not_retryable" | "not_idempotent" | "budget_spent" | "max_retry_time" | "aborted";
}

/** The full-jitter backoff for the `n`-th failure (0-based): uniform in [0, min(maxDelayMs, minDelayMs · 2^n)]. */
export function backoffDelay(retry: ResolvedRetry, n: number): number {
  const cap = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** Math.min(n, 52));
  return Math.floor(retry.random() * cap);
}

/**
 * Decides whether and when to retry a failed attempt. Pure, so the p-retry callbacks only read its verdict and
 * do not depend on the order p-retry calls them in (it changed between p-retry 7 and 9).
 */
export function decideRetry(retry: ResolvedRetry, attempt: FailedAttempt): RetryDecision {
  const no = (stop: NonNullable<RetryDecision["stop"]>): RetryDecision => ({
    retry: false,
    consume: false,
    delayMs: 0,
    stop,
  });
  const { error } = attempt;
  if (attempt.aborted || error.reason === "aborted") return no("aborted");
  if (error.action !== "retry") return no("not_retryable");
  const rateLimited = isRateLimitError(error);
  if (!attempt.idempotent && attempt.sent && !rateLimited && !isNeverSentError(error))
    return no("not_idempotent");
  if (attempt.retriesConsumed >= retry.retries) return no("budget_spent");
  const floor = error.retryAfterMs ?? 0;
  const delayMs = Math.max(floor, backoffDelay(retry, attempt.attemptNumber - 1));
  if (attempt.elapsedMs + delayMs > retry.maxRetryTimeMs) return no("max_retry_time");
  return { retry: true, consume: !rateLimited, delayMs };
}
