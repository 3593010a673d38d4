import { err, ok, type Result, ResultAsync } from "neverthrow";
import { type Clock, systemClock } from "../internal/clock.js";
import { type IdempotencyError, idempotencyError, isIdempotencyError } from "./errors.js";
import { defaultFailureClass, type FailureClass, serializeError } from "./failures.js";
import { type FingerprintOptions, fingerprintOf } from "./fingerprint.js";
import type { Checkpoint, IdempotencyStore, JsonValue, Lease, SerializedError } from "./types.js";

/** What the operation run by {@link runIdempotent} receives. */
export interface IdempotentContext {
  /** The current lease (renewals replace it). */
  readonly lease: Lease;
  /** Aborted when the lease is lost (another worker took over) or the caller's `signal` aborts. */
  readonly signal: AbortSignal;
  /** True when an earlier attempt started and did not finish: resume from `lastCheckpoint`, do not start over. */
  readonly takeover: boolean;
  /** Which execution this is (1 for the first). */
  readonly attempt: number;
  /** The last checkpoint saved by an earlier attempt, if any. */
  readonly lastCheckpoint: Checkpoint | undefined;
  /** Saves step progress (e.g. the CRM ids created so far); a `LeaseLost` error also aborts `signal`. */
  checkpoint(step: string, data?: JsonValue): ResultAsync<void, IdempotencyError>;
}

/** Options of {@link runIdempotent}. */
export interface RunIdempotentOptions {
  /** Lease duration; a crashed worker's key is taken over this long after its last renewal. @default 30_000 */
  leaseMs?: number | undefined;
  /** How long the outcome is kept and replayed, from the first delivery. @default 86_400_000 (24 h) */
  ttlMs?: number | undefined;
  /**
   * Renews the lease this often while the operation runs; `false` turns auto-renewal off (then `leaseMs` must
   * outlast `maxRetryTimeMs` + `attemptTimeoutMs`).
   * @default leaseMs / 3
   */
  renewEveryMs?: number | false | undefined;
  /** How the payload is fingerprinted. @default fingerprintOf(payload) with the default excluded keys */
  fingerprint?:
    | (FingerprintOptions & {
        /** Computes the fingerprint yourself (e.g. from the event's mutation fields only). */
        fingerprintOf?: ((payload: unknown) => string) | undefined;
      })
    | undefined;
  /**
   * Decides whether a thrown error is retryable or terminal.
   * @default errors whose `classify(error).action` is `"review"` are terminal (bad data: re-running cannot help);
   * everything else is retryable (the next delivery runs again)
   */
  classify?: ((error: unknown) => FailureClass) | undefined;
  /** The longest the operation retries internally (p-retry `maxRetryTime`); checked against `leaseMs` without auto-renewal. */
  maxRetryTimeMs?: number | undefined;
  /** Per-attempt timeout of the operation's calls; added to `maxRetryTimeMs` in that check. @default 0 */
  attemptTimeoutMs?: number | undefined;
  /** Clock for the renewal timer. @default systemClock */
  clock?: Clock | undefined;
  /** Aborts the operation's `signal` (the record is then failed as the classifier decides). */
  signal?: AbortSignal | undefined;
}

/** What {@link runIdempotent} resolves to when the operation ran now or was replayed. */
export interface IdempotentRun<T> {
  /** The operation's result, or the stored one on replay. */
  readonly result: T;
  /** True when the result came from the store and the operation did not run. */
  readonly replayed: boolean;
  /** Which execution produced the result. */
  readonly attempt: number;
}

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`runIdempotent: option \`${name}\` must be a positive integer (ms), got ${value}`);
  }
}

interface Settings {
  leaseMs: number;
  ttlMs: number;
  renewEveryMs: number | false;
}

function settingsOf(options: RunIdempotentOptions): Settings {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  positiveInteger("leaseMs", leaseMs);
  positiveInteger("ttlMs", ttlMs);
  if (ttlMs < leaseMs) {
    throw new TypeError(
      `runIdempotent: option \`ttlMs\` (${ttlMs}) must be at least \`leaseMs\` (${leaseMs})`,
    );
  }
  const renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(leaseMs / 3));
  if (renewEveryMs !== false) {
    positiveInteger("renewEveryMs", renewEveryMs);
    if (renewEveryMs >= leaseMs) {
      throw new TypeError(
        `runIdempotent: option \`renewEveryMs\` (${renewEveryMs}) must be shorter than \`leaseMs\` (${leaseMs}), or the lease lapses between renewals`,
      );
    }
  } else if (options.maxRetryTimeMs !== undefined) {
    const budget = options.maxRetryTimeMs + (options.attemptTimeoutMs ?? 0);
    if (leaseMs <= budget) {
      throw new TypeError(
        `runIdempotent: option \`leaseMs\` (${leaseMs}) must exceed \`maxRetryTimeMs\` + \`attemptTimeoutMs\` (${budget}) when \`renewEveryMs\` is false; otherwise another worker takes over while this one is still retrying`,
      );
    }
  }
  return { leaseMs, ttlMs, renewEveryMs };
}

/**
 * Runs `fn` at most once per `(scope, key)` across every process sharing `store`: concurrent duplicates get
 * `InProgress`, redeliveries replay the stored result (or terminal failure), a crashed worker's key is taken
 * over after `leaseMs` with its last checkpoint, and the lease is renewed while `fn` runs. Store outages are
 * `StoreUnavailable` and `fn` does not run (fail closed). Misconfigured options throw immediately, naming the
 * option.
 *
 * @example
 * const outcome = await runIdempotent(store, "hubspot:123:lead", event.event_id, event, async (ctx) => {
 *   const contact = ctx.lastCheckpoint?.data ?? (await upsertContact(event, { signal: ctx.signal }));
 *   await ctx.checkpoint("contact", contact);
 *   return { contactId: contact.id };
 * });
 * if (outcome.isErr() && outcome.error.type === "InProgress") return reply(409);
 */
export function runIdempotent<T>(
  store: IdempotencyStore,
  scope: string,
  key: string,
  payload: unknown,
  fn: (context: IdempotentContext) => T | Promise<T>,
  options: RunIdempotentOptions = {},
): ResultAsync<IdempotentRun<T>, IdempotencyError> {
  const settings = settingsOf(options);
  const clock = options.clock ?? systemClock;
  const classifyFailure = options.classify ?? defaultFailureClass;

  const execute = async (): Promise<Result<IdempotentRun<T>, IdempotencyError>> => {
    let fingerprint: string;
    try {
      const custom = options.fingerprint?.fingerprintOf;
      fingerprint = custom !== undefined ? custom(payload) : fingerprintOf(payload, options.fingerprint);
    } catch (error) {
      return err(
        idempotencyError(
          "Serialization",
          { path: "$" },
          `Cannot fingerprint the payload: ${serializeError(error).message}`,
        ),
      );
    }
    const acquired = await store.acquire({
      scope,
      key,
      fingerprint,
      leaseMs: settings.leaseMs,
      ttlMs: settings.ttlMs,
    });
    if (acquired.isErr()) return err(acquired.error);
    const outcome = acquired.value;
    switch (outcome.kind) {
      case "completed":
        return ok({ result: outcome.record.result as T, replayed: true, attempt: outcome.record.attempt });
      case "failed": {
        const error = outcome.record.error ?? { name: "Error", message: "Stored failure without details" };
        return err(
          idempotencyError("HandlerFailed", { retryable: false, replayed: true, error }, error.message),
        );
      }
      case "in_progress":
        return err(idempotencyError("InProgress", { scope, key, retryAfterMs: outcome.retryAfterMs }));
      case "acquired":
        return runOwned(outcome.lease, outcome.takeover, outcome.checkpoint);
    }
  };

  // An error too large or odd for the store is recorded by name and a shortened message instead, so the key
  // never stays locked just because its failure could not be written.
  const failStored = async (lease: Lease, retryable: boolean, error: SerializedError) => {
    let outcome = await store.fail(lease, { retryable, error });
    const fallbacks: SerializedError[] = [
      { name: error.name.slice(0, 100), message: error.message.slice(0, 200) },
      { name: "Error", message: "" },
    ];
    for (const fallback of fallbacks) {
      if (
        !outcome.isErr() ||
        (outcome.error.type !== "PayloadTooLarge" && outcome.error.type !== "Serialization")
      )
        break;
      outcome = await store.fail(lease, { retryable, error: fallback });
    }
    return outcome;
  };

  const runOwned = async (
    first: Lease,
    takeover: boolean,
    lastCheckpoint: Checkpoint | undefined,
  ): Promise<Result<IdempotentRun<T>, IdempotencyError>> => {
    let lease = first;
    let finished = false;
    let lost: IdempotencyError | undefined;
    const controller = new AbortController();
    const onOuterAbort = (): void => controller.abort(options.signal?.reason);
    if (options.signal?.aborted === true) onOuterAbort();
    options.signal?.addEventListener("abort", onOuterAbort, { once: true });
    const loseLease = (error: IdempotencyError): void => {
      if (!isIdempotencyError(error, "LeaseLost")) return;
      lost ??= error;
      controller.abort(error);
    };

    let timer: unknown;
    const scheduleRenewal = (): void => {
      if (settings.renewEveryMs === false || finished) return;
      timer = clock.setTimeout(() => {
        void store.renew(lease).match(
          (renewed) => {
            if (finished) return;
            lease = renewed;
            scheduleRenewal();
          },
          (error) => {
            if (finished) return;
            loseLease(error);
            // A store hiccup is not a lost lease: keep trying until the owner finishes or the lease is taken.
            if (lost === undefined) scheduleRenewal();
          },
        );
      }, settings.renewEveryMs);
    };
    scheduleRenewal();

    const context: IdempotentContext = {
      get lease() {
        return lease;
      },
      signal: controller.signal,
      takeover,
      attempt: first.attempt,
      lastCheckpoint,
      checkpoint: (step, data) =>
        store.checkpoint(lease, data === undefined ? { step } : { step, data }).mapErr((error) => {
          loseLease(error);
          return error;
        }),
    };

    const stop = (): void => {
      finished = true;
      clock.clearTimeout(timer);
      options.signal?.removeEventListener("abort", onOuterAbort);
    };

    let value: T;
    try {
      value = await fn(context);
    } catch (thrown) {
      stop();
      if (lost !== undefined) return err(lost);
      const retryable = classifyFailure(thrown) === "retryable";
      const error = serializeError(thrown);
      const failed = await failStored(lease, retryable, error);
      if (failed.isErr() && failed.error.type === "LeaseLost") return err(failed.error);
      return err(
        idempotencyError(
          "HandlerFailed",
          { retryable, replayed: false, error, cause: thrown },
          error.message,
        ),
      );
    }
    stop();
    if (lost !== undefined) return err(lost);
    const completed = await store.complete(lease, value);
    if (completed.isErr()) {
      const problem = completed.error;
      if (problem.type === "PayloadTooLarge" || problem.type === "Serialization") {
        // The result cannot be stored, and running again would produce the same result: record it as terminal.
        await failStored(lease, false, serializeError(problem));
      }
      return err(problem);
    }
    return ok({ result: value, replayed: false, attempt: lease.attempt });
  };

  return new ResultAsync(
    execute().catch((thrown: unknown) =>
      err(idempotencyError("StoreUnavailable", { store: "unknown", cause: serializeError(thrown) })),
    ),
  );
}
