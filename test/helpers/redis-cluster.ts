import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, inCI } from "./free-port.js";
import { hasRedisServer, waitForPort } from "./redis-server.js";

const run = promisify(execFile);

/** A real 3-master Redis Cluster (no replicas) started for a test file on free ports in temp dirs. */
export interface RedisCluster {
  /** The masters' client ports on 127.0.0.1; each node's cluster bus listens on its port + 10000. */
  readonly ports: readonly number[];
  /** Seed nodes for a cluster client: ioredis `new Cluster(nodes)`, node-redis `rootNodes` (as URLs). */
  readonly nodes: ReadonlyArray<{ host: string; port: number }>;
  /** Stops every node (SIGTERM, waits for exit), e.g. to test an outage; {@link RedisCluster.start} brings it back. */
  stop(): Promise<void>;
  /** Starts every node again with its saved cluster config and waits for `cluster_state:ok` on each. */
  start(): Promise<void>;
  /**
   * Hands an empty hash slot from its master to the next one the way resharding does (`CLUSTER SETSLOT`
   * IMPORTING, MIGRATING, then NODE on every node), so a client still routing by its old slot map gets `MOVED`.
   * Resolves with both masters' ports; throws when the slot holds keys.
   */
  moveEmptySlot(slot: number): Promise<{ from: number; to: number }>;
  /** Stops the nodes for good and removes their temp dirs. Call it in `afterAll`. */
  close(): Promise<void>;
}

/** True when `redis-cli` is on PATH (it joins the nodes with `--cluster create`). */
export function hasRedisCli(): boolean {
  return spawnSync("redis-cli", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * Whether Redis Cluster tests should run: yes when `redis-server` and `redis-cli` exist; in CI a missing binary
 * throws so the run fails instead of silently skipping.
 */
export function redisClusterAvailable(): boolean {
  const available = hasRedisServer() && hasRedisCli();
  if (!available && inCI)
    throw new Error("redis-server/redis-cli are not installed; .ci/run must install them");
  if (!available)
    console.warn("[crmkit tests] redis-server or redis-cli not found: Redis Cluster tests are skipped");
  return available;
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

// A node needs its client port and, for the cluster bus, that port + 10000 (so at most 55535).
async function clusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < count; tries++) {
    if (tries > 200) throw new Error("could not find free port pairs (p, p + 10000) for a Redis Cluster");
    const port = await freePort();
    if (port + 10_000 > 65_535 || ports.includes(port) || ports.includes(port + 10_000)) continue;
    if (await isFree(port + 10_000)) ports.push(port);
  }
  return ports;
}

async function redisCli(port: number, ...args: Array<string | number>): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args.map(String)]);
  if (/^(ERR|CLUSTERDOWN|MOVED)/.test(stdout)) throw new Error(`redis-cli ${args.join(" ")}: ${stdout}`);
  return stdout;
}

// `CLUSTER NODES` lines: id host:port@bus flags master ping pong epoch link [slot | from-to]...
function slotOwner(nodes: string, slot: number): { id: string; port: number } {
  for (const line of nodes.trim().split("\n")) {
    const [id = "", address = "", , , , , , , ...ranges] = line.split(" ");
    const owns = ranges.some((range) => {
      const [from, to = from] = range.split("-").map(Number);
      return from !== undefined && to !== undefined && slot >= from && slot <= to;
    });
    if (owns) return { id, port: Number(address.split(":")[1]?.split("@")[0]) };
  }
  throw new Error(`no node owns hash slot ${slot}`);
}

async function moveEmptySlot(ports: readonly number[], slot: number): Promise<{ from: number; to: number }> {
  const from = slotOwner(await redisCli(ports[0]!, "CLUSTER", "NODES"), slot);
  const keys = Number(await redisCli(from.port, "CLUSTER", "COUNTKEYSINSLOT", slot));
  if (keys > 0) throw new Error(`hash slot ${slot} holds ${keys} keys; moveEmptySlot moves only empty slots`);
  const to = ports[(ports.indexOf(from.port) + 1) % ports.length]!;
  const toId = (await redisCli(to, "CLUSTER", "MYID")).trim();
  await redisCli(to, "CLUSTER", "SETSLOT", slot, "IMPORTING", from.id);
  await redisCli(from.port, "CLUSTER", "SETSLOT", slot, "MIGRATING", toId);
  const rest = ports.filter((port) => port !== to && port !== from.port);
  for (const port of [to, from.port, ...rest]) await redisCli(port, "CLUSTER", "SETSLOT", slot, "NODE", toId);
  return { from: from.port, to };
}

async function waitForClusterOk(ports: readonly number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    for (;;) {
      const info = await redisCli(port, "CLUSTER", "INFO").catch(() => "");
      if (info.includes("cluster_state:ok")) break;
      if (Date.now() > deadline) throw new Error(`Redis Cluster node ${port} is not ok: ${info}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Starts three `redis-server --cluster-enabled yes` masters (no persistence), joins them with
 * `redis-cli --cluster create … --cluster-replicas 0` and waits until every node reports `cluster_state:ok`.
 * Call `close()` in `afterAll`.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const ports = await clusterPorts(3);
  const dirs = ports.map(() => mkdtempSync(join(tmpdir(), "crmkit-redis-cluster-")));
  let children: ChildProcess[] = [];
  const start = async (): Promise<void> => {
    children = ports.map((port, i) =>
      spawn(
        "redis-server",
        [
          ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dirs[i]!],
          ...["--cluster-enabled", "yes", "--cluster-config-file", join(dirs[i]!, "nodes.conf")],
          ...["--save", "", "--appendonly", "no"],
        ],
        { stdio: "ignore" },
      ),
    );
    await Promise.all(ports.map((port) => waitForPort(port, 10_000)));
  };
  const stop = async (): Promise<void> => {
    const running = children;
    children = [];
    await Promise.all(
      running.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
  };
  const close = async (): Promise<void> => {
    await stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await start();
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await run("redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"]);
    await waitForClusterOk(ports, 20_000);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    ports,
    nodes: ports.map((port) => ({ host: "127.0.0.1", port })),
    stop,
    async start() {
      await start();
      await waitForClusterOk(ports, 30_000);
    },
    moveEmptySlot: (slot) => moveEmptySlot(ports, slot),
    close,
  };
}
