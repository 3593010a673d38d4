import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/crm/v3/objects/contacts?limit=5`. */
  readonly url: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body text ("" when none). */
  readonly body: string;
  /** The body parsed as JSON, or as a form when it is url-encoded; `undefined` when it is neither. */
  readonly parsed: unknown;
  /** 0-based arrival order across all routes. */
  readonly index: number;
}

/** A scripted answer. */
export interface ReplySpec {
  /** @default 200 */
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /** Sent verbatim. */
  body?: string;
  /** Wait this long (real time) before answering, e.g. to trigger a client timeout. */
  delayMs?: number;
  /** Destroy the socket instead of answering (the client sees a network error). */
  destroy?: boolean;
}

/** A reply, or a function computing one from the request. */
export type Reply = ReplySpec | ((request: RecordedRequest) => ReplySpec | Promise<ReplySpec>);

/** A real HTTP server on 127.0.0.1 with scripted replies and a request log. */
export interface TestHttpServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Scripts replies for `method path` (path without query; method `*` matches any). Replies are used in order
   * and the last one repeats; a later `route` for the same key replaces the script.
   */
  route(method: string, path: string, ...replies: Reply[]): void;
  /** The requests received for one path (any method unless given). */
  requestsTo(path: string, method?: string): RecordedRequest[];
  /** Forgets routes and the request log. */
  reset(): void;
  /** Closes the server and every open connection. Call it in `afterAll`. */
  close(): Promise<void>;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === "") return undefined;
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function readAll(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts a test HTTP server on a free port of 127.0.0.1. Unrouted requests get 404 `{"error":"no route"}`.
 *
 * @example
 * const server = await startHttpServer();
 * server.route("GET", "/contacts", { status: 503 }, { json: { results: [] } });
 * afterAll(() => server.close());
 */
export async function startHttpServer(): Promise<TestHttpServer> {
  const requests: RecordedRequest[] = [];
  const scripts = new Map<string, { replies: Reply[]; next: number }>();
  const sockets = new Set<Socket>();

  const pick = (method: string, path: string): Reply | undefined => {
    const script = scripts.get(`${method} ${path}`) ?? scripts.get(`* ${path}`);
    if (script === undefined || script.replies.length === 0) return undefined;
    const reply = script.replies[Math.min(script.next, script.replies.length - 1)];
    script.next++;
    return reply;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readAll(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      url: `${url.pathname}${url.search}`,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      parsed: parseBody(body, headers["content-type"]),
      index: requests.length,
    };
    requests.push(recorded);
    const reply = pick(recorded.method, recorded.path);
    const spec: ReplySpec =
      reply === undefined
        ? { status: 404, json: { error: "no route" } }
        : typeof reply === "function"
          ? await reply(recorded)
          : reply;
    if (spec.delayMs !== undefined && spec.delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, spec.delayMs));
    }
    if (spec.destroy === true) {
      req.socket.destroy();
      return;
    }
    const payload = spec.json !== undefined ? JSON.stringify(spec.json) : (spec.body ?? "");
    const responseHeaders: Record<string, string> = { ...spec.headers };
    if (
      spec.json !== undefined &&
      !Object.keys(responseHeaders).some((k) => k.toLowerCase() === "content-type")
    ) {
      responseHeaders["content-type"] = "application/json";
    }
    if (res.destroyed) return;
    res.writeHead(spec.status ?? 200, responseHeaders);
    res.end(payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`test server handler failed: ${String(error)}`);
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    route(method, path, ...replies) {
      scripts.set(`${method.toUpperCase()} ${path}`, { replies, next: 0 });
    },
    requestsTo(path, method) {
      return requests.filter(
        (r) => r.path === path && (method === undefined || r.method === method.toUpperCase()),
      );
    },
    reset() {
      scripts.clear();
      requests.length = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
