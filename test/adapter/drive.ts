import type { FakeClock } from "../../src/testing/fake-clock.js";

/**
 * Awaits `pending` while real I/O runs, firing the fake clock's timers (retry waits) whenever some are due, so
 * a test never sleeps for the waits it asserts on.
 */
export async function settle<T>(pending: PromiseLike<T>, clock: FakeClock): Promise<T> {
  let done = false;
  const promise = Promise.resolve(pending).finally(() => {
    done = true;
  });
  promise.catch(() => undefined);
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (!done && clock.pendingTimers() > 0) await clock.runAll();
  }
  return promise;
}
