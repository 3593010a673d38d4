import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defineRedisScript,
  evalScript,
  isNoScriptError,
  type RedisLike,
  runScript,
  sendRedisCommand,
} from "../../src/redis/redis-like.js";
import { type RedisServer, redisAvailable, startRedis } from "../helpers/redis-server.js";

const INCR = defineRedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");

describe("defineRedisScript", () => {
  it("computes the SHA1 Redis caches the script under", () => {
    expect(defineRedisScript("return 1").sha).toBe("e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  });
});

describe("isNoScriptError", () => {
  it("recognises NOSCRIPT replies and nothing else", () => {
    expect(isNoScriptError(new Error("NOSCRIPT No matching script. Please use EVAL."))).toBe(true);
    expect(isNoScriptError(new Error("ERR wrong number of arguments"))).toBe(false);
    expect(isNoScriptError("NOSCRIPT")).toBe(false);
  });
});

describe("node-redis cluster routing", () => {
  // Records what a node-redis cluster would be asked: the key it routes by and the command.
  const recordingCluster = () => {
    const sent: Array<{ firstKey: string | undefined; argv: readonly string[] }> = [];
    const client = {
      getSlotMaster: () => undefined,
      sendCommand: async (
        firstKey: string | undefined,
        _readonly: boolean | undefined,
        argv: readonly string[],
      ) => {
        sent.push({ firstKey, argv });
        return argv[0] === "EVALSHA" ? Promise.reject(new Error("NOSCRIPT No matching script")) : "OK";
      },
    };
    return { client, sent };
  };

  it("routes a script by its first key (EVALSHA, then EVAL after NOSCRIPT) and a command by its first argument", async () => {
    const { client, sent } = recordingCluster();
    await evalScript(client, INCR, ["{t1}:count", "{t1}:other"], [5]);
    await sendRedisCommand(client, "DEL", ["{t2}:a", "{t2}:b"]);
    await sendRedisCommand(client, "TIME", []);
    await runScript(client, INCR, [0, "x"]);
    expect(sent.map((call) => [call.argv[0], call.firstKey])).toEqual([
      ["EVALSHA", "{t1}:count"],
      ["EVAL", "{t1}:count"],
      ["DEL", "{t2}:a"],
      ["TIME", undefined],
      ["EVALSHA", undefined],
      ["EVAL", undefined],
    ]);
    expect(sent[1]?.argv).toEqual(["EVAL", INCR.source, "2", "{t1}:count", "{t1}:other", "5"]);
  });
});

describe("sendRedisCommand", () => {
  it("rejects with a TypeError for an object that is not a Redis client", async () => {
    await expect(sendRedisCommand({} as RedisLike, "PING", [])).rejects.toThrow(TypeError);
  });
});

describe("runScript", () => {
  it("answers a client that throws instead of rejecting with a rejection", async () => {
    const thrown = new Error("Connection is closed.");
    const client = {
      call: () => {
        throw thrown;
      },
    };
    const pending = runScript(client, INCR, [1, "k", 1]);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toBe(thrown);
  });

  it("sends EVALSHA with the SHA followed by the laid-out arguments, stringified for node-redis", async () => {
    const sent: unknown[][] = [];
    const client = {
      sendCommand: async (args: ReadonlyArray<string | Buffer>) => {
        sent.push([...args]);
        return 7;
      },
    };
    expect(await runScript(client, INCR, [1, "{t}:k", 5])).toBe(7);
    expect(sent).toEqual([["EVALSHA", INCR.sha, "1", "{t}:k", "5"]]);
  });
});

describe.skipIf(!redisAvailable())("evalScript against a real Redis", () => {
  let server: RedisServer;
  let ioredis: Redis;
  let nodeRedis: ReturnType<typeof createClient>;

  beforeAll(async () => {
    server = await startRedis();
    ioredis = new Redis(server.port, "127.0.0.1", { lazyConnect: false });
    nodeRedis = createClient({ url: server.url });
    await nodeRedis.connect();
  });

  afterAll(async () => {
    ioredis?.disconnect();
    await nodeRedis?.quit().catch(() => undefined);
    await server?.close();
  });

  const clients = (): Array<[string, RedisLike]> => [
    ["ioredis", ioredis],
    ["node-redis", nodeRedis],
  ];

  it("runs a script by EVALSHA once it is cached, with either client", async () => {
    for (const [name, client] of clients()) {
      const key = `{redis-like}:${name}:cached`;
      expect(await evalScript(client, INCR, [key], [2])).toBe(2);
      expect(await evalScript(client, INCR, [key], [3])).toBe(5);
    }
  });

  it("reloads transparently after SCRIPT FLUSH (NOSCRIPT falls back to EVAL)", async () => {
    for (const [name, client] of clients()) {
      const key = `{redis-like}:${name}:flushed`;
      await evalScript(client, INCR, [key], [1]);
      await sendRedisCommand(client, "SCRIPT", ["FLUSH"]);
      expect(await sendRedisCommand(client, "SCRIPT", ["EXISTS", INCR.sha])).toEqual([0]);
      expect(await evalScript(client, INCR, [key], [1])).toBe(2);
      expect(await sendRedisCommand(client, "SCRIPT", ["EXISTS", INCR.sha])).toEqual([1]);
    }
  });

  it("runScript reloads after SCRIPT FLUSH like evalScript, with either client", async () => {
    for (const [name, client] of clients()) {
      const key = `{redis-like}:${name}:run`;
      expect(await runScript(client, INCR, [1, key, 4])).toBe(4);
      await sendRedisCommand(client, "SCRIPT", ["FLUSH"]);
      expect(await runScript(client, INCR, [1, key, 1])).toBe(5);
      expect(await sendRedisCommand(client, "SCRIPT", ["EXISTS", INCR.sha])).toEqual([1]);
    }
  });

  it("accepts a plain source string", async () => {
    for (const [, client] of clients()) {
      expect(await evalScript(client, "return ARGV[1] .. KEYS[1]", ["k"], ["v"])).toBe("vk");
    }
  });

  it("rejects with the client's error for a failing script, without retrying it", async () => {
    for (const [name, client] of clients()) {
      const key = `{redis-like}:${name}:errors`;
      const script = defineRedisScript("redis.call('INCR', KEYS[1]); return redis.call('NOPE')");
      await expect(evalScript(client, script, [key], [])).rejects.toThrow(
        /Unknown Redis command|unknown command/i,
      );
      expect(await sendRedisCommand(client, "GET", [key])).toBe("1");
    }
  });

  it("returns integer, bulk-string and array replies in the same shape for both clients", async () => {
    const script = defineRedisScript("return {1, 'two', {3}}");
    const replies = await Promise.all(clients().map(([, client]) => evalScript(client, script, [], [])));
    expect(replies).toEqual([
      [1, "two", [3]],
      [1, "two", [3]],
    ]);
  });
});
