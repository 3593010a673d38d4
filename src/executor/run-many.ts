import type { Result } from "neverthrow";
import type { RunManyOptions, SyncFailure, SyncOutcome } from "./types.js";

/** How {@link runMany} schedules: `pool` starts an event whenever one ends, `waves` starts them a wave at a time. */
export type RunManySchedule = "pool" | "waves";

/**
 * Runs `run` over every input with at most `concurrency` in flight, reporting progress; results keep input order.
 * Inputs not started before `signal` aborts are not run and report nothing.
 *
 * With `waves`, `concurrency` inputs start together and the next wave starts when the whole wave has ended: behind a
 * batching adapter a pool would start events one at a time as others end, and events out of step with each other
 * share no batch call.
 */
export async function runMany(
  inputs: readonly unknown[],
  run: (input: unknown, signal?: AbortSignal) => Promise<Result<SyncOutcome, SyncFailure>>,
  options: RunManyOptions,
  schedule: RunManySchedule = "pool",
): Promise<Result<SyncOutcome, SyncFailure>[]> {
  const concurrency = options.concurrency ?? 8;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`runMany: option \`concurrency\` must be a positive integer, got ${concurrency}`);
  }
  const results: Result<SyncOutcome, SyncFailure>[] = new Array(inputs.length);
  let done = 0;
  const runOne = async (index: number): Promise<void> => {
    const result = await run(inputs[index], options.signal);
    results[index] = result;
    done++;
    const eventId = result.isOk() ? result.value.eventId : result.error.eventId;
    options.onProgress?.({ done, total: inputs.length, eventId, ok: result.isOk() });
  };
  if (schedule === "waves") {
    for (let start = 0; start < inputs.length && options.signal?.aborted !== true; start += concurrency) {
      const wave = Array.from({ length: Math.min(concurrency, inputs.length - start) }, (_, i) => start + i);
      await Promise.all(wave.map(runOne));
    }
  } else {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let index = next++; index < inputs.length; index = next++) {
        if (options.signal?.aborted) return;
        await runOne(index);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
  }
  return results.filter((result) => result !== undefined);
}
