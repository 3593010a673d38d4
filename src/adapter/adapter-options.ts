import type { Clock } from "../internal/clock.js";
import type { TransportHooks, TransportLogger } from "./hooks.js";
import type { RetryOptions } from "./retry.js";
import type { TransportOptions } from "./transport-types.js";

// What every built-in adapter's options share: the transport settings it hands through unchanged and the metadata
// cache default. Checks of the options are in option-checks.ts.

/** The options every built-in adapter passes to its transport; each vendor's options interface extends them. */
export interface AdapterTransportOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** Retry policy of the transport, or `false` for one attempt. @default the transport's defaults */
  retry?: RetryOptions | false | undefined;
  /** Per-attempt timeout. @default 30_000 */
  timeoutMs?: number | undefined;
  /** Transport hooks (request, response, retry events). */
  hooks?: TransportHooks | undefined;
  /** Receives redacted debug/warn lines. @default none */
  logger?: TransportLogger | undefined;
  /** Time source for retries, caches and the daily reset. @default systemClock */
  clock?: Clock | undefined;
}

/** Default of each adapter's `metadataTtlMs`: owners, pipelines and field definitions are cached 5 minutes. */
export const DEFAULT_METADATA_TTL_MS = 300_000;

/**
 * The given {@link AdapterTransportOptions} as {@link TransportOptions}, leaving out those not given so the
 * transport's defaults apply (`exactOptionalPropertyTypes` forbids passing `undefined`). The clock is not among them:
 * an adapter resolves it once and shares it with its caches.
 */
export function transportOptionsOf(
  options: AdapterTransportOptions,
): Pick<TransportOptions, "retry" | "timeoutMs" | "hooks" | "logger" | "fetch"> {
  return {
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
}
