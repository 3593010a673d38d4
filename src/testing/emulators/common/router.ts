/** What an emulator route answers: a status, an optional JSON (or text) body and extra headers. */
export interface EmulatorResponse {
  /** HTTP status code. */
  status: number;
  /** Serialized as JSON unless it is a string; omitted for `undefined`. */
  body?: unknown;
  /** Extra response headers. */
  headers?: Record<string, string> | undefined;
}

/** A parsed request as routes see it. */
export interface RouteRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** URL path without query, e.g. `/crm/v3/objects/contacts/51`. */
  path: string;
  /** Path parameters captured by `:name` segments (URL-decoded). */
  params: Record<string, string>;
  /** The query string. */
  query: URLSearchParams;
  /** JSON body, form body as a plain object, or `undefined` when empty. */
  body: unknown;
  /** The body exactly as received. */
  rawBody: string;
  /** Request headers. */
  headers: Headers;
}

/** A route handler; it may answer with {@link fail} from anywhere below it. */
export type RouteHandler<C> = (
  request: RouteRequest,
  context: C,
) => EmulatorResponse | Promise<EmulatorResponse>;

/** A registered route and its metadata. */
export interface Route<C, M> {
  /** Upper-case method. */
  method: string;
  /** Pattern with `:name` segments. */
  pattern: string;
  /** The handler. */
  handler: RouteHandler<C>;
  /** Route metadata (scopes, rate-limit class, …) the emulator reads before calling the handler. */
  meta: M;
}

/** The route a request matched, with its captured parameters. */
export interface RouteMatch<C, M> {
  route: Route<C, M>;
  params: Record<string, string>;
}

/** A tiny method + path-pattern router. Patterns match whole paths; earlier routes win. */
export interface Router<C, M> {
  /** Registers a route. */
  add(method: string, pattern: string, meta: M, handler: RouteHandler<C>): void;
  /** Finds the first route matching `method` and `path`. */
  match(method: string, path: string): RouteMatch<C, M> | undefined;
  /** True when some route matches `path` with another method (for 405-style answers). */
  matchesPath(path: string): boolean;
}

const FAILURE = Symbol.for("crmkit.emulator.failure");

/**
 * Aborts the current route with `response`. Emulators use it so deeply nested validation can answer with the
 * vendor's literal error body without threading results through every helper.
 */
export function fail(response: EmulatorResponse): never {
  throw Object.assign(new Error(`emulated HTTP ${response.status}`), { [FAILURE]: response });
}

/** The response carried by an error thrown with {@link fail}, or `undefined` for any other value. */
export function failureResponse(error: unknown): EmulatorResponse | undefined {
  if (typeof error === "object" && error !== null && FAILURE in error)
    return (error as { [FAILURE]: EmulatorResponse })[FAILURE];
  return undefined;
}

interface Compiled<C, M> {
  route: Route<C, M>;
  segments: readonly string[];
}

const split = (path: string): string[] => path.split("/").filter((segment) => segment !== "");

/**
 * Creates a router.
 *
 * @example
 * const router = createRouter<Ctx, { scope: string }>();
 * router.add("GET", "/crm/v3/objects/:type/:id", { scope: "read" }, (req) => ({ status: 200, body: req.params }));
 */
export function createRouter<C, M>(): Router<C, M> {
  const routes: Compiled<C, M>[] = [];

  const capture = (
    segments: readonly string[],
    parts: readonly string[],
  ): Record<string, string> | undefined => {
    if (segments.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      const part = parts[i] as string;
      if (segment.startsWith(":")) {
        try {
          params[segment.slice(1)] = decodeURIComponent(part);
        } catch {
          params[segment.slice(1)] = part;
        }
      } else if (segment !== part) return undefined;
    }
    return params;
  };

  return {
    add(method, pattern, meta, handler) {
      routes.push({
        route: { method: method.toUpperCase(), pattern, handler, meta },
        segments: split(pattern),
      });
    },
    match(method, path) {
      const parts = split(path);
      const upper = method.toUpperCase();
      for (const { route, segments } of routes) {
        if (route.method !== upper) continue;
        const params = capture(segments, parts);
        if (params !== undefined) return { route, params };
      }
      return undefined;
    },
    matchesPath(path) {
      const parts = split(path);
      return routes.some(({ segments }) => capture(segments, parts) !== undefined);
    },
  };
}
