import { errAsync, okAsync, ResultAsync } from "neverthrow";
import { CrmError } from "../../src/errors/index.js";
import type { Clock } from "../../src/internal/clock.js";
import type {
  AcquireOptions,
  ObservedResponse,
  Permit,
  RateLimiter,
  RateLimitStats,
} from "../../src/ratelimit/types.js";

/** A hand-written {@link RateLimiter} that admits everything at once and records every call. */
export interface RecordingLimiter extends RateLimiter {
  readonly acquires: Array<{ scope: string; options: AcquireOptions | undefined; at: number }>;
  readonly releases: number;
  readonly cooldowns: Array<{ scope: string; ms: number; at: number }>;
  readonly observed: Array<{ scope: string; response: ObservedResponse }>;
  /** Makes the next acquires fail with these errors, in order. */
  failNextAcquire(...errors: CrmError[]): void;
  /** Reports this wait on the next permits. */
  reportWait(ms: number): void;
}

export function createRecordingLimiter(clock: Clock): RecordingLimiter {
  const acquires: RecordingLimiter["acquires"] = [];
  const cooldowns: RecordingLimiter["cooldowns"] = [];
  const observed: RecordingLimiter["observed"] = [];
  const failures: CrmError[] = [];
  let releases = 0;
  let waitedMs = 0;
  return {
    acquires,
    cooldowns,
    observed,
    get releases() {
      return releases;
    },
    failNextAcquire: (...errors) => {
      failures.push(...errors);
    },
    reportWait: (ms) => {
      waitedMs = ms;
    },
    acquire(scope, options) {
      acquires.push({ scope, options, at: clock.now() });
      const failure = failures.shift();
      if (failure !== undefined) return errAsync(failure);
      let released = false;
      const permit: Permit = {
        scope,
        acquiredAt: clock.now(),
        waitedMs,
        release() {
          if (!released) releases++;
          released = true;
        },
      };
      return okAsync(permit);
    },
    schedule<T>(scope: string, fn: () => Promise<T>, options?: AcquireOptions) {
      return this.acquire(scope, options).andThen((permit) =>
        ResultAsync.fromPromise(
          fn(),
          (e) => new CrmError({ reason: "unknown_response", provider: "test", cause: e }),
        ).map((value) => {
          permit.release();
          return value;
        }),
      );
    },
    observe(scope, response) {
      observed.push({ scope, response });
      return okAsync(undefined);
    },
    cooldown(scope, ms) {
      cooldowns.push({ scope, ms, at: clock.now() });
      return okAsync(undefined);
    },
    stats(scope) {
      const stats: RateLimitStats = { scope, policies: [] };
      return okAsync(stats);
    },
    close: () => Promise.resolve(),
  };
}
