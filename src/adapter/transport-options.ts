import ky, { type KyInstance } from "ky";
import { systemClock } from "../internal/clock.js";
import { resolveAuth } from "./auth.js";
import { resolveRetry } from "./retry.js";
import { defaultToCrmError } from "./to-crm-error.js";
import type { AccessToken } from "./token-provider.js";
import { DEFAULT_REQUEST_ID_HEADERS, DEFAULT_TIMEOUT_MS, type TransportOptions } from "./transport-types.js";

/** `createTransport`'s options, checked (a misconfiguration throws at construction) and defaulted. */
export function resolveTransportOptions(options: TransportOptions) {
  if (typeof options?.provider !== "string" || options.provider === "") {
    throw new TypeError('createTransport: option `provider` must be a non-empty string, e.g. "hubspot"');
  }
  const { provider } = options;
  if (typeof options.baseUrl === "string") {
    if (!/^https?:\/\//i.test(options.baseUrl)) {
      throw new TypeError("createTransport: option `baseUrl` must be an absolute http(s) URL or a function");
    }
  } else if (typeof options.baseUrl !== "function") {
    throw new TypeError("createTransport: option `baseUrl` is required (a URL string or a function)");
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > 2_147_483_647) {
    throw new TypeError("createTransport: option `timeoutMs` must be a finite number of ms > 0");
  }
  const auth = resolveAuth(options.auth);
  const retry = resolveRetry(options.retry);
  const retryEnabled = options.retry !== false;
  const scope = options.scope ?? provider;
  const clock = options.clock ?? systemClock;
  const { limiter, hooks = {}, logger } = options;
  const toCrmError = options.toCrmError ?? defaultToCrmError(provider);
  const defaultHeaders = options.headers ?? { accept: "application/json" };
  const requestIdHeaders = options.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS;
  const http: KyInstance = ky.create({
    retry: 0,
    throwHttpErrors: false,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const baseOf = async (token: AccessToken | undefined): Promise<string> =>
    typeof options.baseUrl === "string" ? options.baseUrl : await options.baseUrl(token);
  return {
    provider,
    timeoutMs,
    auth,
    retry,
    retryEnabled,
    scope,
    clock,
    limiter,
    hooks,
    logger,
    toCrmError,
    defaultHeaders,
    requestIdHeaders,
    http,
    baseOf,
  };
}
