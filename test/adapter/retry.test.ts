import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelay, decideRetry, type FailedAttempt, resolveRetry } from "../../src/adapter/retry.js";
import { CRM_ERROR_REASONS, CrmError, type CrmErrorReason } from "../../src/errors/index.js";

const reason = fc.constantFrom(...CRM_ERROR_REASONS);

const attemptArb = fc.record({
  reason,
  status: fc.option(fc.constantFrom(400, 401, 404, 408, 422, 429, 500, 502, 503), { nil: undefined }),
  code: fc.option(fc.constantFrom("ECONNREFUSED", "ECONNRESET", "ENOTFOUND"), { nil: undefined }),
  retryAfterMs: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined }),
  attemptNumber: fc.integer({ min: 1, max: 30 }),
  retriesConsumed: fc.integer({ min: 0, max: 10 }),
  elapsedMs: fc.integer({ min: 0, max: 200_000 }),
  idempotent: fc.boolean(),
  sent: fc.boolean(),
  aborted: fc.boolean(),
});

const optionsArb = fc.record({
  retries: fc.integer({ min: 0, max: 10 }),
  minDelayMs: fc.integer({ min: 0, max: 2000 }),
  extraDelayMs: fc.integer({ min: 0, max: 60_000 }),
  maxRetryTimeMs: fc.integer({ min: 0, max: 300_000 }),
  random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
});

type AttemptInput = typeof attemptArb extends fc.Arbitrary<infer T> ? T : never;

function build(a: AttemptInput): FailedAttempt {
  const error = new CrmError({
    reason: a.reason as CrmErrorReason,
    provider: "p",
    status: a.status,
    code: a.code,
    retryAfterMs: a.retryAfterMs,
  });
  return { ...a, error };
}

describe("decideRetry", () => {
  it("retries only `retry`-action errors, within budget and maxRetryTime, waiting at least Retry-After", () => {
    fc.assert(
      fc.property(attemptArb, optionsArb, (a, o) => {
        const retry = resolveRetry({
          retries: o.retries,
          minDelayMs: o.minDelayMs,
          maxDelayMs: o.minDelayMs + o.extraDelayMs,
          maxRetryTimeMs: o.maxRetryTimeMs,
          random: () => o.random,
        });
        const attempt = build(a);
        const decision = decideRetry(retry, attempt);
        if (!decision.retry) return decision.delayMs === 0 && decision.consume === false;
        const floor = attempt.error.retryAfterMs ?? 0;
        return (
          attempt.error.action === "retry" &&
          !attempt.aborted &&
          attempt.retriesConsumed < retry.retries &&
          decision.delayMs >= floor &&
          decision.delayMs <= Math.max(floor, retry.maxDelayMs) &&
          attempt.elapsedMs + decision.delayMs <= retry.maxRetryTimeMs
        );
      }),
    );
  });

  it("never retries a request that may have reached the server unless it is idempotent, rate-limited or never sent", () => {
    fc.assert(
      fc.property(attemptArb, (a) => {
        const attempt = build(a);
        const decision = decideRetry(resolveRetry({ maxRetryTimeMs: 1e9, random: () => 0 }), attempt);
        const rateLimited =
          attempt.error.status === 429 || ["rate_limited", "quota_exhausted"].includes(attempt.error.reason);
        const neverSent = ["ECONNREFUSED", "ENOTFOUND"].includes(attempt.error.code) || !attempt.sent;
        if (decision.retry) return attempt.idempotent || rateLimited || neverSent;
        return true;
      }),
    );
  });

  it("rate-limit retries do not consume the budget; other retries do", () => {
    const retry = resolveRetry({ random: () => 0 });
    const base = {
      attemptNumber: 1,
      retriesConsumed: 0,
      elapsedMs: 0,
      idempotent: true,
      sent: true,
      aborted: false,
    };
    const limited = decideRetry(retry, {
      ...base,
      error: new CrmError({ reason: "rate_limited", provider: "p", status: 429, retryAfterMs: 2000 }),
    });
    const failed = decideRetry(retry, {
      ...base,
      error: new CrmError({ reason: "server_error", provider: "p", status: 503 }),
    });
    expect(limited).toEqual({ retry: true, consume: false, delayMs: 2000 });
    expect(failed).toEqual({ retry: true, consume: true, delayMs: 0 });
  });

  it("names why it stops", () => {
    const retry = resolveRetry({ retries: 1, maxRetryTimeMs: 1000, random: () => 0 });
    const base = {
      attemptNumber: 1,
      retriesConsumed: 0,
      elapsedMs: 0,
      idempotent: false,
      sent: true,
      aborted: false,
    };
    const server = new CrmError({ reason: "server_error", provider: "p" });
    expect(
      decideRetry(retry, { ...base, error: new CrmError({ reason: "not_found", provider: "p" }) }).stop,
    ).toBe("not_retryable");
    expect(decideRetry(retry, { ...base, error: server }).stop).toBe("not_idempotent");
    expect(decideRetry(retry, { ...base, idempotent: true, retriesConsumed: 1, error: server }).stop).toBe(
      "budget_spent",
    );
    expect(
      decideRetry(retry, {
        ...base,
        error: new CrmError({ reason: "rate_limited", provider: "p", retryAfterMs: 5000 }),
      }).stop,
    ).toBe("max_retry_time");
    expect(decideRetry(retry, { ...base, aborted: true, error: server }).stop).toBe("aborted");
  });
});

describe("backoffDelay", () => {
  it("is full jitter: uniform in [0, min(maxDelayMs, minDelayMs · 2^n)]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const retry = resolveRetry({ minDelayMs: 500, maxDelayMs: 30_000, random: () => r });
          const delay = backoffDelay(retry, n);
          const cap = Math.min(30_000, 500 * 2 ** n);
          return delay >= 0 && delay <= cap && delay === Math.floor(r * cap);
        },
      ),
    );
  });
});

describe("resolveRetry", () => {
  it("applies the documented defaults", () => {
    const { random: _random, ...rest } = resolveRetry(undefined);
    expect(rest).toEqual({ retries: 4, minDelayMs: 500, maxDelayMs: 30_000, maxRetryTimeMs: 120_000 });
  });

  it("makes `false` a single attempt", () => {
    expect(resolveRetry(false).retries).toBe(0);
  });
});
