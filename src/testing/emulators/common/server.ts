import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What an emulator makes of a request: a response, or a deliberate failure. `"timeout"` never answers;
 * `"network"` drops the connection.
 */
export type EmulatorOutcome = Response | "timeout" | "network";

/** The vendor logic behind both transports: a `Request` in, an outcome out. */
export type EmulatorHandler = (request: Request) => Promise<EmulatorOutcome>;

/** Options for {@link listen}-style servers. */
export interface ListenOptions {
  /**
   * TCP port on 127.0.0.1; `0` picks a free one.
   * @default 0
   */
  port?: number | undefined;
}

/** The two ways to reach an emulator, sharing one state: an in-process `fetch` and a real HTTP server. */
export interface EmulatorTransport {
  /**
   * A `fetch` that answers every absolute URL (any host) and relative URLs resolved against `baseUrl` from the
   * emulator, without touching the network.
   */
  readonly fetch: typeof fetch;
  /** Starts a real HTTP server on 127.0.0.1 and resolves its base URL, e.g. `http://127.0.0.1:41234`. */
  listen(options?: ListenOptions): Promise<string>;
  /** Stops the server (if started) and fails requests parked by a `"timeout"` fault. */
  close(): Promise<void>;
  /** The server's base URL while it listens. */
  readonly url: string | undefined;
}

/** Options for {@link createEmulatorTransport}. */
export interface EmulatorTransportOptions {
  /** Base URL used to resolve relative URLs passed to `fetch`. */
  baseUrl: string;
}

const networkError = (): TypeError =>
  new TypeError("fetch failed", {
    cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
  });

const abortReason = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException("This operation was aborted", "AbortError");

/**
 * Wraps an {@link EmulatorHandler} as a `fetch` function and as a node:http server on 127.0.0.1.
 *
 * @example
 * const transport = createEmulatorTransport(handler, { baseUrl: "https://api.hubapi.com" });
 * await transport.fetch("https://api.hubapi.com/crm/v3/owners");
 * const url = await transport.listen();
 */
export function createEmulatorTransport(
  handler: EmulatorHandler,
  options: EmulatorTransportOptions,
): EmulatorTransport {
  const { baseUrl } = options;
  const parked = new Set<(error: unknown) => void>();
  let server: Server | undefined;
  let url: string | undefined;

  const park = (signal: AbortSignal | null): Promise<never> =>
    new Promise<never>((_resolve, reject) => {
      const fail = (error: unknown): void => {
        parked.delete(fail);
        reject(error);
      };
      // A signal that aborted while the request was on its way must not leave it parked forever.
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      parked.add(fail);
      signal?.addEventListener("abort", () => fail(abortReason(signal)), { once: true });
    });

  const emulatedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const target = typeof input === "string" ? new URL(input, baseUrl) : input;
    const request = new Request(target, init);
    if (request.signal.aborted) throw abortReason(request.signal);
    const outcome = await handler(request);
    if (outcome === "network") throw networkError();
    if (outcome === "timeout") return park(request.signal);
    if (request.signal.aborted) throw abortReason(request.signal);
    return outcome;
  };

  const readBody = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => resolve(Buffer.concat(chunks)));
      req.on("error", reject);
    });

  const serve = async (req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> => {
    const body = await readBody(req);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const method = req.method ?? "GET";
    const request = new Request(new URL(req.url ?? "/", origin), {
      method,
      headers,
      body: method === "GET" || method === "HEAD" || body.length === 0 ? null : new Uint8Array(body),
    });
    const outcome = await handler(request);
    if (outcome === "network") {
      req.socket.destroy();
      return;
    }
    if (outcome === "timeout") {
      // Leave the socket open: the client's own timeout decides, and close() cleans up.
      return;
    }
    const out: Record<string, string> = {};
    outcome.headers.forEach((value, key) => {
      out[key] = value;
    });
    const payload = Buffer.from(await outcome.arrayBuffer());
    res.writeHead(outcome.status, out);
    res.end(payload);
  };

  return {
    fetch: emulatedFetch as typeof fetch,
    get url() {
      return url;
    },
    async listen(listenOptions = {}) {
      if (url !== undefined) return url;
      const created = createServer((req, res) => {
        serve(req, res, url ?? "http://127.0.0.1").catch(() => {
          if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
          res.end("emulator error");
        });
      });
      await new Promise<void>((resolve, reject) => {
        created.once("error", reject);
        created.listen(listenOptions.port ?? 0, "127.0.0.1", () => resolve());
      });
      server = created;
      url = `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
      return url;
    },
    async close() {
      for (const fail of [...parked]) fail(new DOMException("The emulator was closed", "AbortError"));
      const current = server;
      server = undefined;
      url = undefined;
      if (current === undefined) return;
      await new Promise<void>((resolve) => {
        current.close(() => resolve());
        current.closeAllConnections();
      });
    },
  };
}
