import type { AdapterCallContext, CrmAdapter, LookupReport } from "../adapter/index.js";
import { type CrmError, classify } from "../errors/index.js";
import { type Clock, sleep } from "../internal/clock.js";
import type { RateLimiter } from "../ratelimit/index.js";
import type { MetadataCache } from "./metadata-cache.js";
import type { SyncLogger } from "./types.js";

/** In-run retry settings with every default filled in. */
export interface ResolvedRetry {
  readonly retries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/** Everything one run needs to call its adapter: counting, throttling, metadata and in-run retries. */
export interface CallContext {
  readonly provider: string;
  readonly scope: string;
  readonly clock: Clock;
  /**
   * What the run calls: the user's adapter, or `runMany`'s batching adapter, which acquires the limiter and
   * counts calls itself (`direct: false`) because one of its calls serves many runs.
   */
  readonly adapter: CrmAdapter;
  readonly direct: boolean;
  readonly limiter?: RateLimiter | undefined;
  readonly retry: ResolvedRetry | false;
  readonly logger?: SyncLogger | undefined;
  /** Aborted when the caller aborts or the run loses its lease (a zombie must stop calling the CRM). */
  signal?: AbortSignal | undefined;
  /** Passed to every adapter method. */
  adapterContext: AdapterCallContext;
  /** Owners, pipelines and field metadata, read at most once per run (or per `runMany` batch). */
  readonly metadata: MetadataCache;
  /** Adapter calls made so far (every attempt counts: vendors count them too). */
  calls: number;
  /** What the adapter reported about how it answered the run's lookups (`AdapterCallContext.onLookup`). */
  readonly lookups: LookupReport[];
}

/** How a failed call may be retried. */
export interface CallOptions<T> {
  /**
   * The call writes and is not idempotent (a create): after a failure that may have reached the CRM it is retried
   * only if `verify` finds nothing.
   */
  readonly writes?: boolean | undefined;
  /**
   * Looks for what a lost create may have written; returns it to stop retrying, `undefined` to retry, or throws a
   * `CrmError` (e.g. an ambiguous match). Without it a non-idempotent create is never retried after such a failure.
   */
  readonly verify?: (() => Promise<T | undefined>) | undefined;
}

// A 429, a limiter refusal or a lock means the CRM did not process the call, so even a create is safe to repeat.
const NOT_PROCESSED = new Set(["rate_limited", "quota_exhausted", "locked"]);

function backoff(attempt: number, retry: ResolvedRetry): number {
  const cap = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** attempt);
  return Math.floor(Math.random() * cap);
}

// Lets runMany's batching adapter find the run behind an adapter context (to count its calls) without adding
// anything an adapter would see: the property is a non-enumerable symbol.
const RUN = Symbol("crmkit.run");

/** The run whose calls an adapter context carries, if any. */
export function runOf(context: AdapterCallContext | undefined): CallContext | undefined {
  return (context as { [RUN]?: CallContext } | undefined)?.[RUN];
}

/** Builds the adapter context of a run's calls. */
export function adapterContextOf(
  ctx: CallContext,
  signal: AbortSignal | undefined,
  idempotencyKey: string | undefined,
): AdapterCallContext {
  // Assigned rather than spread in: this runs twice per run, and conditional spreads are slow.
  const context: { -readonly [K in keyof AdapterCallContext]: AdapterCallContext[K] } = {};
  if (signal !== undefined) context.signal = signal;
  if (idempotencyKey !== undefined) context.idempotencyKey = idempotencyKey;
  context.onLookup = (report) => ctx.lookups.push(report);
  Object.defineProperty(context, RUN, { value: ctx, enumerable: false });
  return context;
}

/** Sets the signal a run's calls observe; the adapter context carries it to the adapter's transport. */
export function bindSignal(ctx: CallContext, signal: AbortSignal | undefined): void {
  ctx.signal = signal;
  ctx.adapterContext = adapterContextOf(ctx, signal, ctx.adapterContext.idempotencyKey);
}

/**
 * Runs one adapter call: acquires the limiter (when the sync has one and the adapter is called directly), counts
 * the call, and retries failures whose action is `retry` with full-jitter backoff on the injected clock, honouring
 * `retryAfterMs`. Throws a `CrmError`.
 */
export async function callAdapter<T>(
  ctx: CallContext,
  fn: (adapter: CrmAdapter) => Promise<T>,
  options: CallOptions<T> = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let permit: { release(): void } | undefined;
    try {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      if (ctx.direct) {
        if (ctx.limiter !== undefined) {
          const acquired = await ctx.limiter.acquire(ctx.scope, { signal: ctx.signal });
          if (acquired.isErr()) throw acquired.error;
          permit = acquired.value;
        }
        ctx.calls++;
      }
      return await fn(ctx.adapter);
    } catch (thrown) {
      const error: CrmError = classify(thrown, { provider: ctx.provider });
      if (ctx.retry === false || error.action !== "retry" || error.reason === "aborted") throw error;
      if (ctx.signal?.aborted) throw error;
      if (attempt >= ctx.retry.retries) throw error;
      // An adapter that retries its own idempotent calls has already spent its retries on this one; only a create
      // whose outcome is unknown (its transport never retries those) is worth another, verified, attempt here.
      if (ctx.adapter.capabilities.retriesTransientErrors === true && options.writes !== true) throw error;
      const retryAfter = error.retryAfterMs ?? 0;
      // A wait longer than the in-run budget belongs to the next delivery, not to a worker holding a lease.
      if (retryAfter > ctx.retry.maxDelayMs) throw error;
      if (options.writes === true && !NOT_PROCESSED.has(error.reason)) {
        if (options.verify === undefined) throw error;
        const found = await options.verify();
        if (found !== undefined) return found;
      }
      const delay = Math.max(retryAfter, backoff(attempt, ctx.retry));
      ctx.logger?.debug?.("crmkit: retrying adapter call", {
        reason: error.reason,
        attempt: attempt + 1,
        delay,
      });
      await sleep(ctx.clock, delay, ctx.signal);
    } finally {
      permit?.release();
    }
  }
}
