import type { Clock } from "../../../internal/clock.js";
import type { FaultInjector } from "./faults.js";
import type { RecordedRequest, RequestLog } from "./request-log.js";
import {
  type EmulatorResponse,
  failureResponse,
  type Route,
  type RouteMatch,
  type RouteRequest,
  type Router,
} from "./router.js";
import type { EmulatorHandler, EmulatorOutcome } from "./server.js";

/**
 * Whether a request may go on: the headers to add to its answer (plus whatever `T` carries), or the refusal to send
 * instead. Vendor rate limits answer in this shape too, so `admit` can pass their verdict straight on.
 */
export type Admission<T = unknown> =
  | ({ ok: true; headers: Record<string, string> } & T)
  | { ok: false; response: EmulatorResponse };

/** Options for {@link createRequestPipeline}: the vendor decisions around the shared request flow. */
export interface RequestPipelineOptions<C, M> {
  /** Stamps each recorded request with the emulator's time. */
  clock: Clock;
  /** Where every request is recorded before anything can fail it. */
  log: RequestLog;
  /** Consulted before routing, so an injected fault answers even requests that would not authenticate. */
  faults: Pick<FaultInjector<string>, "take">;
  /** The vendor's routes. */
  router: Router<C, M>;
  /** `content-type` of JSON answers; vendors differ on whether they add a charset. */
  jsonContentType: string;
  /** Answers a request no route matches (both vendors authenticate first, so this picks between 401 and 404). */
  unknownRoute(request: RouteRequest): EmulatorResponse;
  /** Authenticates, authorizes and rate-limits a matched request; on success, the context its handler runs with. */
  admit(match: RouteMatch<C, M>, request: RouteRequest): Admission<{ context: C }>;
  /** Answers an admitted request whose body is not valid JSON (vendors check auth and limits first). */
  invalidJson(): EmulatorResponse;
  /** The vendor-shaped 500 for a bug in the emulator itself. */
  internalError(error: unknown): EmulatorResponse;
  /**
   * Adds vendor fields to a recorded request: once as it is recorded (`admitted` is `undefined`), so the log never
   * holds an entry without them, and again when an admitted route has answered it.
   */
  annotate?: ((entry: RecordedRequest, admitted: Route<C, M> | undefined) => void) | undefined;
}

const parseBody = (raw: string, contentType: string): { body: unknown; invalidJson: boolean } => {
  if (raw === "") return { body: undefined, invalidJson: false };
  if (contentType.includes("application/x-www-form-urlencoded"))
    return { body: Object.fromEntries(new URLSearchParams(raw)), invalidJson: false };
  try {
    return { body: JSON.parse(raw) as unknown, invalidJson: false };
  } catch {
    return { body: raw, invalidJson: true };
  }
};

const toResponse = (response: EmulatorResponse, jsonContentType: string): Response => {
  const headers = new Headers(response.headers);
  if (response.status === 204 || response.body === undefined)
    return new Response(null, { status: response.status, headers });
  if (typeof response.body === "string") {
    if (!headers.has("content-type")) headers.set("content-type", "text/plain;charset=utf-8");
    return new Response(response.body, { status: response.status, headers });
  }
  headers.set("content-type", jsonContentType);
  return new Response(JSON.stringify(response.body), { status: response.status, headers });
};

/**
 * Creates the request flow both vendor emulators share: parse the body, log the request, apply an injected fault,
 * else route, admit and call the handler (turning `fail()` into its response), then log the outcome. What a
 * vendor answers at each step comes from `options`.
 *
 * @example
 * const handle = createRequestPipeline({ clock, log, faults, router, jsonContentType: "application/json", … });
 * const transport = createEmulatorTransport(handle, { baseUrl });
 */
export function createRequestPipeline<C, M>(options: RequestPipelineOptions<C, M>): EmulatorHandler {
  const { clock, log, faults, router } = options;

  const dispatch = async (
    request: RouteRequest,
    invalidJson: boolean,
  ): Promise<{ response: EmulatorResponse; admitted?: Route<C, M> }> => {
    const match = router.match(request.method, request.path);
    if (match === undefined) return { response: options.unknownRoute(request) };
    const admission = options.admit(match, request);
    if (!admission.ok) return { response: admission.response };
    let response: EmulatorResponse;
    if (invalidJson) response = options.invalidJson();
    else {
      try {
        response = await match.route.handler({ ...request, params: match.params }, admission.context);
      } catch (error) {
        const failure = failureResponse(error);
        if (failure === undefined) throw error;
        response = failure;
      }
    }
    return {
      response: { ...response, headers: { ...admission.headers, ...response.headers } },
      admitted: match.route,
    };
  };

  return async (request: Request): Promise<EmulatorOutcome> => {
    const url = new URL(request.url);
    const rawBody = await request.text();
    const { body, invalidJson } = parseBody(rawBody, request.headers.get("content-type") ?? "");
    const entry = log.record({
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      url: url.pathname + url.search,
      headers: request.headers,
      body,
      time: clock.now(),
    });
    options.annotate?.(entry, undefined);
    const fault = faults.take(request.method, url.pathname);
    if (fault !== undefined && fault.kind !== "response") {
      log.finish(entry, fault.kind, fault.label);
      return fault.kind;
    }
    let response: EmulatorResponse;
    let admitted: Route<C, M> | undefined;
    if (fault !== undefined) response = fault.response;
    else {
      const routeRequest: RouteRequest = {
        method: request.method.toUpperCase(),
        path: url.pathname,
        params: {},
        query: url.searchParams,
        body,
        rawBody,
        headers: request.headers,
      };
      try {
        ({ response, admitted } = await dispatch(routeRequest, invalidJson));
      } catch (error) {
        // An emulator bug must surface as a loud 500, never as a silently wrong success.
        response = options.internalError(error);
      }
    }
    if (admitted !== undefined) options.annotate?.(entry, admitted);
    log.finish(entry, response.status, fault?.label);
    return toResponse(response, options.jsonContentType);
  };
}
