import type { CrmErrorReason } from "../errors/index.js";

/**
 * What every transport event carries. URLs are redacted (secret query parameters and the request's token are
 * replaced by `[REDACTED]`) and no event ever holds a header, a body or a token.
 */
export interface TransportEvent {
  /** HTTP method, upper case. */
  readonly method: string;
  /** The full request URL, redacted. */
  readonly url: string;
  /** 1 for the first attempt; a retry or a replay after a token refresh increments it. */
  readonly attempt: number;
  /** How long this attempt waited for the rate limiter before it was sent. */
  readonly limiterWaitMs: number;
}

/** Emitted right before an attempt is handed to `fetch` (after the limiter admitted it). */
export type RequestEvent = TransportEvent;

/** Emitted when an attempt ends: with `status` when a response arrived, with `reason` when it failed. */
export interface ResponseEvent extends TransportEvent {
  /** HTTP status; absent when no response arrived (timeout, connection failure). */
  readonly status?: number | undefined;
  /** From sending the attempt to having read its body, on the transport's clock. */
  readonly durationMs: number;
  /** The vendor's request id, when the response carried one. */
  readonly requestId?: string | undefined;
  /** Set when the attempt failed: the mapped error's reason. */
  readonly reason?: CrmErrorReason | undefined;
}

/** Emitted when a failed attempt will be retried, before the wait. */
export interface RetryEvent extends ResponseEvent {
  /** The failure that is being retried. */
  readonly reason: CrmErrorReason;
  /** How long the transport waits before the next attempt. */
  readonly delayMs: number;
  /** False for rate-limit waits and token-refresh replays, which do not use up `retry.retries`. */
  readonly consumesRetry: boolean;
}

/**
 * Observability callbacks. They run synchronously on the request path, so keep them cheap; an exception
 * thrown by a hook is logged and otherwise ignored, never failing the request.
 *
 * @example
 * const hooks: TransportHooks = {
 *   onResponse: (e) => metrics.histogram("crm_call_ms", e.durationMs, { status: String(e.status) }),
 *   onRetry: (e) => metrics.increment("crm_retry", { reason: e.reason }),
 * };
 */
export interface TransportHooks {
  /** Before each attempt is sent. */
  onRequest?: ((event: RequestEvent) => void) | undefined;
  /** After each attempt, successful or not. */
  onResponse?: ((event: ResponseEvent) => void) | undefined;
  /** When an attempt is about to be retried. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

/**
 * A structural logger (console, pino, winston and most others fit). crmkit passes a message and a redacted
 * object of fields.
 */
export interface TransportLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Calls a hook and keeps its failure from reaching the request. */
export function emit<E>(
  hook: ((event: E) => void) | undefined,
  event: E,
  logger: TransportLogger | undefined,
  name: string,
): void {
  if (hook === undefined) return;
  try {
    hook(event);
  } catch (error) {
    logger?.warn(`crmkit transport: the ${name} hook threw; ignoring`, {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
