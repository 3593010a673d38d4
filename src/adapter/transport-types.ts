import type { ResultAsync } from "neverthrow";
import type { CrmError } from "../errors/index.js";
import type { Clock } from "../internal/clock.js";
import type { RateLimiter } from "../ratelimit/index.js";
import type { TransportAuth } from "./auth.js";
import type { TransportHooks, TransportLogger } from "./hooks.js";
import type { ExpectBody } from "./response-body.js";
import type { RetryOptions } from "./retry.js";
import type { ToCrmError } from "./to-crm-error.js";
import type { AccessToken } from "./token-provider.js";

/** Query values; `undefined` entries are dropped, arrays repeat the key. */
export type SearchParams =
  | URLSearchParams
  | Readonly<Record<string, string | number | boolean | undefined | readonly (string | number | boolean)[]>>;

/** One logical call. The transport turns it into one or more HTTP attempts. */
export interface TransportRequest {
  /** HTTP method, any case. */
  method: string;
  /** Path relative to `baseUrl` (`"crm/v3/objects/contacts"`), or an absolute URL on the same origin. */
  path: string;
  searchParams?: SearchParams | undefined;
  /** JSON body (sets `content-type: application/json`). */
  json?: unknown;
  /** `application/x-www-form-urlencoded` body. */
  form?: URLSearchParams | Readonly<Record<string, string | number | boolean | undefined>> | undefined;
  /** Extra request headers; they override the transport's `headers`. */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Whether repeating the request after it may have reached the server is safe. POST and PATCH are retried only
   * when the server provably did not process them (429, connection refused); set `true` for calls that are
   * idempotent anyway (searches sent as POST, upserts by external id, requests with an idempotency key).
   * @default true for GET, HEAD, PUT, DELETE, OPTIONS; false otherwise
   */
  idempotent?: boolean | undefined;
  /** Units this call costs against weighted limiter policies (Pipedrive tokens, Zoho credits). @default 1 */
  cost?: number | undefined;
  /** Limiter tags, e.g. `["search"]`; also passed to `limiter.observe`. @default [] */
  tags?: readonly string[] | undefined;
  /** Aborts the call, including any limiter or retry wait. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout for this call. @default the transport's `timeoutMs` */
  timeoutMs?: number | undefined;
  /** How to read a successful body. @default "json" */
  expect?: ExpectBody | undefined;
}

/** The successful outcome of a {@link TransportRequest}. */
export interface TransportResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed per `expect`; `undefined` for empty bodies and `expect: "none"`. */
  readonly body: T;
  readonly requestId?: string | undefined;
  /** HTTP attempts made, including retries and a replay after a token refresh. */
  readonly attempts: number;
  /** Total time spent waiting for the rate limiter across attempts (retry backoff excluded). */
  readonly limiterWaitMs: number;
}

/** Options for {@link createTransport}. */
export interface TransportOptions {
  /** Provider id put on every error, e.g. `"hubspot"`. */
  provider: string;
  /**
   * The API root. A function is called per attempt with the current token, for hosts that come from the token
   * response (Salesforce `instanceUrl`, Pipedrive/Zoho `apiDomain`).
   */
  baseUrl: string | ((token: AccessToken | undefined) => string | Promise<string>);
  /** @default { type: "none" } */
  auth?: TransportAuth | undefined;
  /** Acquired before every attempt and told about every response. @default none: no client-side limiting */
  limiter?: RateLimiter | undefined;
  /** The limiter scope: the vendor account or token this transport spends. @default provider */
  scope?: string | undefined;
  /** Retry policy, or `false` for exactly one attempt. @default {} (see {@link RetryOptions}) */
  retry?: RetryOptions | false | undefined;
  /** Per-attempt timeout. @default 30_000 */
  timeoutMs?: number | undefined;
  /** Maps a non-2xx response to a `CrmError`. @default defaultToCrmError(provider) */
  toCrmError?: ToCrmError | undefined;
  /** Headers sent with every request. @default { accept: "application/json" } */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Response headers that carry the vendor's request id, first match wins. @default DEFAULT_REQUEST_ID_HEADERS */
  requestIdHeaders?: readonly string[] | undefined;
  hooks?: TransportHooks | undefined;
  /** Receives redacted debug/warn lines. @default none */
  logger?: TransportLogger | undefined;
  /** @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** Used for retry waits, `Retry-After` dates and durations. @default systemClock */
  clock?: Clock | undefined;
}

/** The HTTP layer shared by every adapter. */
export interface Transport {
  readonly provider: string;
  readonly scope: string;
  /** Sends a request with auth, rate limiting and retries; never rejects, every failure is an `Err`. */
  request<T = unknown>(request: TransportRequest): ResultAsync<TransportResponse<T>, CrmError>;
}

/** Default of {@link TransportOptions.timeoutMs}. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default of {@link TransportOptions.requestIdHeaders}. */
export const DEFAULT_REQUEST_ID_HEADERS: readonly string[] = [
  "x-request-id",
  "x-hubspot-correlation-id",
  "x-correlation-id",
  "request-id",
];
