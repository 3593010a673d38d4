import { redact, redactHeaders } from "../../../errors/index.js";

/** One request an emulator received, as tests inspect it. Credentials are already redacted. */
export interface RecordedRequest {
  /** Position in the log, from 1. */
  seq: number;
  /** Upper-case HTTP method. */
  method: string;
  /** URL path without query. */
  path: string;
  /** Query parameters; repeated keys keep the last value (see `url` for the raw string). */
  query: Record<string, string>;
  /** The path and query as received, with secret parameters redacted. */
  url: string;
  /** Request headers with credentials replaced by `[REDACTED]`. */
  headers: Record<string, string>;
  /** Parsed JSON or form body (secrets redacted), `undefined` when empty. */
  body: unknown;
  /** Response status, or how the emulator failed the request on purpose. */
  status: number | "timeout" | "network";
  /** Emulator clock time (epoch ms) when the request arrived. */
  time: number;
  /** Label of the injected fault that answered this request, if any. */
  fault?: string | undefined;
}

/** Selects recorded requests; every given field must match. */
export interface RequestMatcher {
  /** HTTP method, case-insensitive. */
  method?: string | undefined;
  /** A path prefix, or a RegExp tested against the path. */
  path?: string | RegExp | undefined;
  /** Exact status (or `"timeout"`/`"network"`). */
  status?: RecordedRequest["status"] | undefined;
}

/** The request log an emulator keeps for assertions. */
export interface RequestLog {
  /** Every recorded request, oldest first. */
  readonly all: readonly RecordedRequest[];
  /** Appends a request and returns the stored entry (its `status` is filled in by {@link RequestLog.finish}). */
  record(
    entry: Omit<RecordedRequest, "seq" | "status" | "headers" | "body" | "url"> & {
      headers: Headers;
      body: unknown;
      url: string;
    },
  ): RecordedRequest;
  /** Sets the outcome of a recorded request. */
  finish(entry: RecordedRequest, status: RecordedRequest["status"], fault?: string): void;
  /** Requests matching `matcher`. */
  filter(matcher?: RequestMatcher): RecordedRequest[];
  /** How many requests match `matcher`. */
  count(matcher?: RequestMatcher): number;
  /** Forgets every request. */
  clear(): void;
}

/** True when `request` satisfies every field of `matcher`. */
export function matchesRequest(
  matcher: RequestMatcher | undefined,
  request: { method: string; path: string; status?: RecordedRequest["status"] },
): boolean {
  if (matcher === undefined) return true;
  if (matcher.method !== undefined && matcher.method.toUpperCase() !== request.method.toUpperCase())
    return false;
  if (matcher.path !== undefined) {
    if (
      typeof matcher.path === "string"
        ? !request.path.startsWith(matcher.path)
        : !matcher.path.test(request.path)
    )
      return false;
  }
  if (matcher.status !== undefined && matcher.status !== request.status) return false;
  return true;
}

/**
 * Creates a request log. Headers, bodies and URLs pass through crmkit's redaction, so a log printed by a failing
 * test never leaks a token or client secret.
 *
 * @example
 * const log = createRequestLog();
 * log.count({ method: "POST", path: "/crm/v3/objects/contacts/search" });
 */
export function createRequestLog(): RequestLog {
  const entries: RecordedRequest[] = [];
  const filter = (matcher?: RequestMatcher): RecordedRequest[] =>
    entries.filter((entry) => matchesRequest(matcher, entry));
  return {
    get all() {
      return entries;
    },
    record(entry) {
      const stored: RecordedRequest = {
        seq: entries.length + 1,
        method: entry.method,
        path: entry.path,
        query: redact(entry.query),
        url: redact(entry.url),
        headers: redactHeaders(entry.headers),
        body: redact(entry.body),
        status: 0,
        time: entry.time,
      };
      entries.push(stored);
      return stored;
    },
    finish(entry, status, fault) {
      entry.status = status;
      if (fault !== undefined) entry.fault = fault;
    },
    filter,
    count: (matcher) => filter(matcher).length,
    clear() {
      entries.length = 0;
    },
  };
}
