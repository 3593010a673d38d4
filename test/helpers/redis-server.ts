import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, inCI } from "./free-port.js";

/** A real `redis-server` started for a test file on a free port in a temp dir. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM, waits for exit), e.g. to test an outage; {@link RedisServer.start} brings it back. */
  stop(): Promise<void>;
  /** Starts it again on the same port after {@link RedisServer.stop}. */
  start(): Promise<void>;
  /** Stops the server for good and removes its temp dir. Call it in `afterAll`. */
  close(): Promise<void>;
}

/** True when `redis-server` is on PATH. */
export function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * Whether Redis-backed tests should run: yes when `redis-server` exists; in CI a missing binary throws so the
 * run fails instead of silently skipping.
 */
export function redisAvailable(): boolean {
  const available = hasRedisServer();
  if (!available && inCI) throw new Error("redis-server is not installed; .ci/run must install it (CI=true)");
  if (!available) console.warn("[crmkit tests] redis-server not found: Redis tests are skipped");
  return available;
}

/** Resolves once something accepts TCP connections on `127.0.0.1:port`; throws after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts `redis-server` (no persistence) on a free port. Call `close()` in `afterAll`. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "crmkit-redis-"));
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
      { stdio: "ignore" },
    );
    await waitForPort(port, 10_000);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGTERM");
    });
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
