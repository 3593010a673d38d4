import { createHash } from "node:crypto";

/**
 * The one method crmkit needs from an ioredis client (`Redis` or `Cluster`): `call(command, ...args)`.
 * ioredis routes a `Cluster` call by the command's keys, so scripts whose keys share a hash tag work there too.
 */
export interface IoRedisLike {
  call(command: string, ...args: Array<string | number | Buffer>): Promise<unknown>;
}

/**
 * The one method crmkit needs from a node-redis client (`createClient()` from `redis` / `@redis/client`):
 * `sendCommand(args)`.
 */
export interface NodeRedisLike {
  sendCommand(args: ReadonlyArray<string | Buffer>): Promise<unknown>;
}

/**
 * The one method crmkit needs from a node-redis cluster (`createCluster()` from `redis` / `@redis/client`):
 * `sendCommand(firstKey, isReadonly, args)`. It is told from a single client by its `getSlotMaster` method; crmkit
 * names the command's first key so the cluster routes it to the master that owns the key's slot.
 */
export interface NodeRedisClusterLike {
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: ReadonlyArray<string | Buffer>,
  ): Promise<unknown>;
  getSlotMaster(slot: number): unknown;
}

/**
 * Any Redis client crmkit can talk to, described by shape so `ioredis` and `redis` stay the user's dependencies:
 * an ioredis `Redis`/`Cluster`, a node-redis client or cluster, or any object with ioredis'
 * `call(command, ...args)`. crmkit never connects, quits or configures the client; its lifecycle stays with the
 * caller.
 *
 * @example
 * import { Redis } from "ioredis";
 * const store = createRedisRateLimitStore({ client: new Redis(process.env.REDIS_URL) });
 *
 * @example
 * import { createClient } from "redis";
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = createRedisRateLimitStore({ client });
 *
 * @example
 * import { createCluster } from "redis";
 * const cluster = await createCluster({ rootNodes: [{ url: "redis://10.0.0.1:6379" }] }).connect();
 * const store = createRedisRateLimitStore({ client: cluster });
 */
export type RedisLike = IoRedisLike | NodeRedisLike | NodeRedisClusterLike;

/** A Lua script with its SHA1 computed once, for {@link evalScript}. */
export interface RedisScript {
  /** The Lua source. */
  readonly source: string;
  /** Hex SHA1 of `source`, the name Redis caches it under. */
  readonly sha: string;
}

/**
 * Wraps Lua source with its SHA1 so {@link evalScript} can call it by hash.
 *
 * @example
 * const GET_OR_ZERO = defineRedisScript("return tonumber(redis.call('GET', KEYS[1]) or 0)");
 * await evalScript(client, GET_OR_ZERO, ["counter"], []);
 */
export function defineRedisScript(source: string): RedisScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

function isIoRedis(client: RedisLike): client is IoRedisLike {
  return typeof (client as Partial<IoRedisLike>).call === "function";
}

function isNodeRedisCluster(client: RedisLike): client is NodeRedisClusterLike {
  return typeof (client as Partial<NodeRedisClusterLike>).getSlotMaster === "function";
}

const NO_CLIENT = "crmkit: the Redis client has neither `call` (ioredis) nor `sendCommand` (node-redis)";

// One raw command with any client flavour. `firstKey` is the key a cluster routes by (`undefined`: any node).
function send(client: RedisLike, argv: string[], firstKey: string | undefined): Promise<unknown> {
  if (isNodeRedisCluster(client)) return client.sendCommand(firstKey, false, argv);
  if (typeof (client as Partial<NodeRedisLike>).sendCommand === "function")
    return (client as NodeRedisLike).sendCommand(argv);
  return Promise.reject(new TypeError(NO_CLIENT));
}

/**
 * Sends one raw command with either client flavour and returns the raw reply (integers as numbers, bulk strings
 * as strings, arrays as arrays).
 *
 * @example
 * const [seconds, micros] = (await sendRedisCommand(client, "TIME", [])) as [string, string];
 */
export function sendRedisCommand(
  client: RedisLike,
  command: string,
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  if (isIoRedis(client)) return client.call(command, ...args);
  // The commands crmkit sends outside scripts (TIME, DEL, …) carry their key first, when they have one.
  return send(client, [command, ...args.map(String)], args.length > 0 ? String(args[0]) : undefined);
}

/** True for the error Redis returns when a script is not in its cache (after `SCRIPT FLUSH`, restart, fail-over). */
export function isNoScriptError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && message.includes("NOSCRIPT");
}

/**
 * Runs a Lua script: `EVALSHA` first, and on `NOSCRIPT` (a flushed, restarted or failed-over server, since Redis 7
 * does not replicate `SCRIPT LOAD`) one `EVAL` that also re-caches it. Works with ioredis and node-redis clients.
 * Any other error rejects as the client raised it.
 *
 * @example
 * const script = defineRedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
 * const value = await evalScript(client, script, ["{tenant}:count"], [5]);
 */
export function evalScript(
  client: RedisLike,
  script: RedisScript | string,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  const resolved = typeof script === "string" ? cachedScript(script) : script;
  const tail: Array<string | number> = [keys.length];
  for (const key of keys) tail.push(key);
  for (const arg of args) tail.push(arg);
  return runScript(client, resolved, tail);
}

/**
 * {@link evalScript} for callers that lay the arguments out themselves, saving the copies on a hot path:
 * `tail` is everything after the SHA, `numkeys, ...keys, ...args`. Same `EVALSHA`-then-`EVAL` behaviour.
 *
 * @example
 * const script = defineRedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
 * const value = await runScript(client, script, [1, "{tenant}:count", 5]);
 */
export function runScript(
  client: RedisLike,
  script: RedisScript,
  tail: ReadonlyArray<string | number>,
): Promise<unknown> {
  const retry = (error: unknown): Promise<unknown> => {
    if (!isNoScriptError(error)) throw error;
    return sendScript(client, "EVAL", script.source, tail);
  };
  try {
    return sendScript(client, "EVALSHA", script.sha, tail).catch(retry);
  } catch (error) {
    // A client that throws instead of rejecting (e.g. one already closed) still answers with a rejection.
    return Promise.reject(error);
  }
}

function sendScript(
  client: RedisLike,
  command: "EVAL" | "EVALSHA",
  first: string,
  tail: ReadonlyArray<string | number>,
): Promise<unknown> {
  if (isIoRedis(client)) return client.call(command, first, ...tail);
  const argv: string[] = [command, first];
  for (const value of tail) argv.push(typeof value === "string" ? value : String(value));
  // `tail` is `numkeys, ...keys, ...args`: a cluster routes the script by its first key.
  return send(client, argv, Number(tail[0]) > 0 ? String(tail[1]) : undefined);
}

// Hashing a script costs more than the round trip it saves, so string scripts are hashed once per process.
const scriptCache = new Map<string, RedisScript>();

function cachedScript(source: string): RedisScript {
  let script = scriptCache.get(source);
  if (script === undefined) {
    script = defineRedisScript(source);
    if (scriptCache.size < 256) scriptCache.set(source, script);
  }
  return script;
}
