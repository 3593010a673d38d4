import type { Result } from "neverthrow";
import type { RunManyOptions, SyncFailure, SyncOutcome } from "./types.js";

/**
 * Runs `run` over every input with at most `concurrency` in flight, reporting progress; results keep input order.
 * Inputs not started before `signal` aborts are not run and report nothing.
 */
export async function runMany(
  inputs: readonly unknown[],
  run: (input: unknown, signal?: AbortSignal) => Promise<Result<SyncOutcome, SyncFailure>>,
  options: RunManyOptions,
): Promise<Result<SyncOutcome, SyncFailure>[]> {
  const concurrency = options.concurrency ?? 8;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`runMany: option \`concurrency\` must be a positive integer, got ${concurrency}`);
  }
  const results: Result<SyncOutcome, SyncFailure>[] = new Array(inputs.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < inputs.length; index = next++) {
      if (options.signal?.aborted) return;
      const result = await run(inputs[index], options.signal);
      results[index] = result;
      done++;
      const eventId = result.isOk() ? result.value.eventId : result.error.eventId;
      options.onProgress?.({ done, total: inputs.length, eventId, ok: result.isOk() });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
  return results.filter((result) => result !== undefined);
}
