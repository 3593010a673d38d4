import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, redisAvailable, startRedis } from "../helpers/redis-server.js";

const WORKER = fileURLToPath(new URL("./fixtures/redis-worker.ts", import.meta.url));
const PROCESSES = 4;
const CALLERS = 25;
const LIMIT = 50;
const WINDOW_MS = 1_000;
const DURATION_MS = 20_000;

function runWorker(
  port: number,
  startAt: number,
  stopAt: number,
): Promise<{ admitted: number[]; errors: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        WORKER,
        String(port),
        "mp:",
        String(LIMIT),
        String(WINDOW_MS),
        String(CALLERS),
        String(startAt),
        String(stopAt),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve(JSON.parse(out));
      else reject(new Error(`worker exited with ${code}: ${err}`));
    });
  });
}

describe.skipIf(!redisAvailable())("4 processes × 25 callers sharing one Redis", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("never admit more than the limit in any window and use ≥ 95 % of the allowed rate", async () => {
    // Start together once every worker has had time to boot, so the measured span is saturated throughout.
    const startAt = Date.now() + 4_000;
    const stopAt = startAt + DURATION_MS;
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, () => runWorker(server.port, startAt, stopAt)),
    );
    expect(results.map((r) => r.errors)).toEqual([0, 0, 0, 0]);
    const admitted = results.flatMap((r) => r.admitted).sort((a, b) => a - b);
    // Every process got a share: the budget is shared, not per process.
    for (const result of results) expect(result.admitted.length).toBeGreaterThan(0);

    let violations = 0;
    let right = 0;
    for (let left = 0; left < admitted.length; left++) {
      while (right < admitted.length && admitted[right]! < admitted[left]! + WINDOW_MS) right++;
      if (right - left > LIMIT) violations++;
    }
    expect(violations).toBe(0);

    const first = admitted[0]!;
    const windows = Math.floor((admitted.at(-1)! - first) / WINDOW_MS);
    const inFullWindows = admitted.filter((t) => t < first + windows * WINDOW_MS).length;
    const utilisation = inFullWindows / (windows * LIMIT);
    expect(windows).toBeGreaterThanOrEqual(DURATION_MS / WINDOW_MS - 2);
    expect(utilisation).toBeGreaterThanOrEqual(0.95);
    expect(utilisation).toBeLessThanOrEqual(1);
  }, 60_000);
});
