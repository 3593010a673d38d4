import { ResultAsync } from "neverthrow";
import pRetry from "p-retry";
import { CrmError, redact, redactUrl } from "../errors/index.js";
import { sleep } from "../internal/clock.js";
import { emit, type TransportLogger } from "./hooks.js";
import { buildUrl, toForm } from "./request-url.js";
import { failureToCrmError, readBody, requestIdOf, scrubError } from "./response-body.js";
import { decideRetry, IDEMPOTENT_METHODS, isRateLimitError, type RetryDecision } from "./retry.js";
import type { AccessToken } from "./token-provider.js";
import { resolveTransportOptions } from "./transport-options.js";
import { AttemptFailure, pRetryOptions } from "./transport-retry.js";
import type { Transport, TransportOptions, TransportRequest, TransportResponse } from "./transport-types.js";

/**
 * Creates the HTTP transport adapters build on: ky with its own retries off (`retry: 0`), p-retry as the only
 * retry layer, the rate limiter acquired before every attempt and fed every response, the token refreshed and
 * the request replayed once on a 401, and every failure returned as a typed `CrmError`. See
 * `docs/concepts/retries.md` for the exact retry rules.
 *
 * @example
 * const transport = createTransport({
 *   provider: "hubspot",
 *   baseUrl: "https://api.hubapi.com",
 *   auth: { type: "bearer", token: staticToken(process.env.HUBSPOT_TOKEN!) },
 *   limiter,
 *   scope: "hubspot:portal-123",
 * });
 * const result = await transport.request<{ results: unknown[] }>({ method: "GET", path: "crm/v3/objects/contacts" });
 */
export function createTransport(options: TransportOptions): Transport {
  const resolved = resolveTransportOptions(options);
  const { provider, scope, clock, auth, retry, retryEnabled, limiter, hooks, logger } = resolved;
  const { http, baseOf, timeoutMs, defaultHeaders, requestIdHeaders, toCrmError } = resolved;

  async function run<T>(req: TransportRequest): Promise<TransportResponse<T>> {
    const method = req.method.toUpperCase();
    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const started = clock.now();
    let sends = 0;
    let retriesConsumed = 0;
    let limiterWaitMs = 0;
    let refreshed = false;
    let nextDelayMs = 0;
    let secrets: string[] = [];
    const log = (level: keyof TransportLogger, message: string, fields: Record<string, unknown>): void => {
      logger?.[level](message, redact(fields, { secrets }));
    };

    // One pass = one HTTP call. Returns the response or throws an AttemptFailure carrying the retry verdict.
    const send = async (): Promise<TransportResponse<T>> => {
      let sent = false;
      let token: AccessToken | undefined;
      let url = "";
      let attemptWait = 0;
      let sentAt = clock.now();
      let status: number | undefined;
      let reported = false;
      const event = () => ({ method, url, attempt: sends, limiterWaitMs: attemptWait });
      const fail = (error: CrmError, decision?: RetryDecision, replay = false): AttemptFailure => {
        const verdict =
          decision ??
          decideRetry(retry, {
            error,
            attemptNumber: sends,
            retriesConsumed,
            elapsedMs: clock.now() - started,
            idempotent,
            sent,
            aborted: req.signal?.aborted === true,
          });
        if (verdict.retry) {
          if (verdict.consume) retriesConsumed++;
          nextDelayMs = verdict.delayMs;
          const retryEvent = {
            ...event(),
            status,
            durationMs: clock.now() - sentAt,
            reason: error.reason,
            delayMs: verdict.delayMs,
            consumesRetry: verdict.consume,
          };
          emit(hooks.onRetry, retryEvent, logger, "onRetry");
          log("warn", "crmkit transport: retrying", { ...retryEvent, provider });
        } else {
          log("debug", "crmkit transport: giving up", {
            ...event(),
            provider,
            reason: error.reason,
            stop: verdict.stop,
          });
        }
        return new AttemptFailure(error, verdict, replay);
      };

      sends++;
      try {
        token =
          auth.provider === undefined ? undefined : await auth.provider.getToken({ signal: req.signal });
        secrets = token === undefined ? [] : [token.value];
        const base = await baseOf(token);
        const target = buildUrl(base, req.path, req.searchParams);
        if (/^https?:\/\//i.test(req.path) && target.origin !== new URL(base).origin) {
          throw new CrmError({
            reason: "configuration_error",
            provider,
            message: `Refusing to send credentials to ${target.origin}, which is not the base URL's origin`,
          });
        }
        url = redactUrl(target.toString(), { secrets });
        if (limiter !== undefined) {
          const maxWaitMs = retryEnabled
            ? Math.max(0, retry.maxRetryTimeMs - (clock.now() - started))
            : undefined;
          const permit = await limiter.acquire(scope, {
            cost: req.cost,
            tags: req.tags,
            signal: req.signal,
            maxWaitMs,
          });
          if (permit.isErr()) throw permit.error;
          attemptWait = permit.value.waitedMs;
          limiterWaitMs += attemptWait;
          sent = true;
          try {
            return await exchange(target, token);
          } finally {
            permit.value.release();
          }
        }
        sent = true;
        return await exchange(target, token);
      } catch (error) {
        if (error instanceof AttemptFailure) throw error;
        const crmError = failureToCrmError(error, provider, secrets, req.signal?.aborted === true);
        if (sent && !reported) {
          const failed = { ...event(), status, durationMs: clock.now() - sentAt, reason: crmError.reason };
          emit(hooks.onResponse, failed, logger, "onResponse");
        }
        throw fail(crmError);
      }

      async function exchange(target: URL, current: AccessToken | undefined): Promise<TransportResponse<T>> {
        const headers: Record<string, string> = { ...defaultHeaders, ...req.headers };
        if (current !== undefined) {
          const [name, value] = auth.header(current);
          headers[name] = value;
        }
        emit(hooks.onRequest, event(), logger, "onRequest");
        log("debug", "crmkit transport: request", { ...event(), provider });
        sentAt = clock.now();
        const response = await http(target, {
          method,
          headers,
          timeout: req.timeoutMs ?? timeoutMs,
          ...(req.signal === undefined ? {} : { signal: req.signal }),
          ...(req.json === undefined ? {} : { json: req.json }),
          ...(req.form === undefined ? {} : { body: toForm(req.form) }),
        });
        status = response.status;
        const requestId = requestIdOf(response.headers, requestIdHeaders);
        const body = await readBody(response, req.expect ?? "json", provider);
        const responseEvent = { ...event(), status, durationMs: clock.now() - sentAt, requestId };
        reported = true;
        if (limiter !== undefined) {
          const observed = await limiter.observe(scope, {
            status,
            headers: response.headers,
            ...(response.ok ? {} : { body }),
            tags: req.tags,
          });
          if (observed.isErr())
            log("warn", "crmkit transport: limiter.observe failed", { reason: observed.error.reason });
        }
        if (response.ok) {
          emit(hooks.onResponse, responseEvent, logger, "onResponse");
          log("debug", "crmkit transport: response", { ...responseEvent, provider });
          return {
            status,
            headers: response.headers,
            body: body as T,
            requestId,
            attempts: sends,
            limiterWaitMs,
          };
        }
        let error = scrubError(
          toCrmError({
            status,
            headers: response.headers,
            body,
            request: { method, url },
            now: clock.now(),
            requestId,
            secrets,
          }),
          secrets,
        );
        emit(hooks.onResponse, { ...responseEvent, reason: error.reason }, logger, "onResponse");
        log("debug", "crmkit transport: response", { ...responseEvent, provider, reason: error.reason });
        if (
          status === 401 &&
          auth.refreshes &&
          current !== undefined &&
          (error.reason === "expired_token" || error.reason === "invalid_token")
        ) {
          if (!refreshed) {
            // The vendor rejected the request before processing it, so replaying it is safe for any method and
            // does not use up the retry budget.
            refreshed = true;
            auth.provider?.invalidate?.(current);
            throw fail(error, { retry: true, consume: false, delayMs: 0 }, true);
          }
          error = new CrmError({
            reason: "expired_token",
            provider,
            action: "alert",
            status,
            code: error.code,
            requestId,
            message: "The vendor rejected a freshly refreshed access token; re-authorise the connection",
            responseBody: error.responseBody,
            secrets,
          });
        }
        const failure = fail(error);
        if (isRateLimitError(error) && limiter !== undefined) {
          const pause = failure.decision.retry ? failure.decision.delayMs : (error.retryAfterMs ?? 0);
          if (pause > 0) {
            const cooled = await limiter.cooldown(scope, pause);
            if (cooled.isErr())
              log("warn", "crmkit transport: limiter.cooldown failed", { reason: cooled.error.reason });
          }
        }
        throw failure;
      }
    };

    return pRetry(
      async () => {
        if (nextDelayMs > 0) {
          const wait = nextDelayMs;
          nextDelayMs = 0;
          try {
            await sleep(clock, wait, req.signal);
          } catch (error) {
            throw new AttemptFailure(failureToCrmError(error, provider, secrets, true), {
              retry: false,
              consume: false,
              delayMs: 0,
              stop: "aborted",
            });
          }
        }
        for (;;) {
          try {
            return await send();
          } catch (error) {
            if (!(error instanceof AttemptFailure && error.replay)) throw error;
          }
        }
      },
      pRetryOptions(retry.retries, req.signal),
    );
  }

  return {
    provider,
    scope,
    request<T>(req: TransportRequest) {
      return ResultAsync.fromPromise(run<T>(req), (error) =>
        error instanceof AttemptFailure
          ? error.crmError
          : failureToCrmError(error, provider, [], req.signal?.aborted === true),
      );
    },
  };
}
