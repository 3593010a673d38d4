import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../src/ratelimit/index.js";
import { createFakeClock } from "../../src/testing/fake-clock.js";

// research §7 item 18: waiting must not retain anything once a waiter is gone (cf. a limiter that leaked 3.8M
// promises under a saturated bucket). 10^6 waits on an exhausted scope, each aborted, must leave the heap flat.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("waiting on an exhausted scope", () => {
  it("keeps the heap flat over 10^6 aborted waits and holds one timer for all of them", async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({
      policies: [{ id: "hourly", kind: "sliding", limit: 1, windowMs: 3_600_000 }],
      headroom: 1,
      clock,
    });
    expect((await limiter.acquire("tenant")).isOk()).toBe(true);

    const waitRound = async (waiters: number): Promise<void> => {
      const controller = new AbortController();
      const pending = Array.from({ length: waiters }, () =>
        limiter.acquire("tenant", { signal: controller.signal }),
      );
      expect(clock.pendingTimers()).toBeLessThanOrEqual(1);
      controller.abort();
      const results = await Promise.all(pending);
      for (const result of results) expect(result.isErr() && result.error.reason).toBe("aborted");
    };

    for (let i = 0; i < 20; i++) await waitRound(1_000); // warm up the code paths and the allocator
    const before = heapAfterGc();
    for (let i = 0; i < 1_000; i++) await waitRound(1_000);
    const after = heapAfterGc();

    // Nothing was consumed by the aborted waiters: the scope still holds only the first admission.
    const stats = (await limiter.stats("tenant"))._unsafeUnwrap();
    expect(stats.policies[0]?.used).toBe(1);
    // A retained waiter costs well over 100 bytes, so 10^6 of them would add > 100 MB; allow 8 MB of noise.
    expect(after - before).toBeLessThan(8 * 1024 * 1024);
    await limiter.close();
  }, 120_000);
});
