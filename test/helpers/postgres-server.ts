import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, inCI } from "./free-port.js";

/** A real PostgreSQL server started for a test file on a free port in a temp dir. */
export interface PostgresServer {
  readonly port: number;
  /** Connection string for `pg` (`postgres://postgres@127.0.0.1:PORT/postgres`). */
  readonly url: string;
  /** Stops the server (fast shutdown), e.g. to test an outage; {@link PostgresServer.start} brings it back. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir after {@link PostgresServer.stop}. */
  start(): Promise<void>;
  /** Stops the server for good and removes its data dir. Call it in `afterAll`. */
  close(): Promise<void>;
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function run(command: string, args: string[]): void {
  // PostgreSQL refuses to run as root, so as root every server command runs as the `postgres` user.
  if (isRoot) execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" });
  else execFileSync(command, args, { stdio: "pipe" });
}

/** True when `initdb` and `pg_ctl` are on PATH. */
export function hasPostgresServer(): boolean {
  return (
    spawnSync("initdb", ["--version"], { stdio: "ignore" }).status === 0 &&
    spawnSync("pg_ctl", ["--version"], { stdio: "ignore" }).status === 0
  );
}

/** Whether PostgreSQL-backed tests should run; in CI a missing server throws instead of skipping. */
export function postgresAvailable(): boolean {
  const available = hasPostgresServer();
  if (!available && inCI)
    throw new Error("PostgreSQL (initdb/pg_ctl) is not installed; .ci/run must install it");
  if (!available) console.warn("[crmkit tests] PostgreSQL not found: Postgres tests are skipped");
  return available;
}

/** Runs `initdb` in a fresh temp dir and starts the server on a free port. Call `close()` in `afterAll`. */
export async function startPostgres(): Promise<PostgresServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "crmkit-pg-"));
  chmodSync(dir, 0o777);
  if (isRoot) execFileSync("chown", ["postgres:postgres", dir]);
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async (): Promise<void> => {
    run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
  };
  const stop = async (): Promise<void> => {
    try {
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    } catch {
      // already stopped
    }
  };
  await start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
