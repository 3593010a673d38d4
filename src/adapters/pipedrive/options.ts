import type {
  CrmObjectType,
  RetryOptions,
  TokenProvider,
  TransportHooks,
  TransportLogger,
} from "../../adapter/index.js";
import type { Clock } from "../../internal/clock.js";
import type { RateLimiter } from "../../ratelimit/index.js";
import type { PipedriveAdapterLimits } from "./limits.js";

/** Canonical key → Pipedrive field label (or standard field code), per object type. Never a 40-hex hash. */
export type PipedriveFieldMap = Readonly<Partial<Record<CrmObjectType, Readonly<Record<string, string>>>>>;

/**
 * Labels of the two closed stages the adapter adds to every pipeline. Pipedrive has no won or lost stage (won and
 * lost are a deal's `status`), so crmkit shows them as stages after the last real one; writing one sets the status.
 */
export interface PipedriveStatusStages {
  /** @default "Won" */
  won?: string | undefined;
  /** @default "Lost" */
  lost?: string | undefined;
  /**
   * Per-pipeline labels, keyed by the pipeline's name.
   * @default {}
   * @example { Renewals: { won: "Renewed", lost: "Churned" } }
   */
  pipelines?: Readonly<Record<string, { won?: string | undefined; lost?: string | undefined }>> | undefined;
}

/**
 * How organizations are matched by domain. Pipedrive's organization search does not cover the `website` field.
 * - `"auto"`: a custom organization field labelled `domainField` when the account has one, else `"website"`.
 * - `"custom_field"`: exact search on the custom field labelled `domainField` (fails when it is missing).
 * - `"website"`: name search with the domain's first label, each hit verified against `website`.
 * @default "auto"
 */
export type PipedriveDomainStrategy = "auto" | "custom_field" | "website";

/** Options for `createPipedriveAdapter`. Give exactly one of `apiToken` or `tokenProvider`. */
export interface PipedriveAdapterOptions {
  /** A personal API token, sent as `x-api-token`. */
  apiToken?: string | undefined;
  /**
   * An OAuth token source, e.g. `createOAuthTokenProvider({ tokenUrl: "https://oauth.pipedrive.com/oauth/token",
   * clientAuth: "basic", … })`; requests go to the token's `apiDomain` (Pipedrive's `api_domain`).
   */
  tokenProvider?: TokenProvider | undefined;
  /** The company subdomain: requests go to `https://<companyDomain>.pipedrive.com`. */
  companyDomain?: string | undefined;
  /**
   * The API host (an emulator in tests); with OAuth, the token's `api_domain` wins over it.
   * @default "https://api.pipedrive.com"
   */
  apiDomain?: string | undefined;
  /** @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /**
   * Your own rate limiter (share one across adapters and processes with a Redis store), or `false` for none.
   * @default a new in-memory limiter with `pipedriveLimits(limits)`
   */
  limiter?: RateLimiter | false | undefined;
  /**
   * The company's plan, paid seats and auth kind for the built-in limiter.
   * @default { plan: "lite", seats: 1, auth: tokenProvider ? "oauth" : "api_token" }
   */
  limits?: PipedriveAdapterLimits | undefined;
  /** The company, used as the rate-limit scope so two companies never share a budget. @default companyDomain ?? "default" */
  companyId?: string | undefined;
  /**
   * Extra or overridden fields per object type: canonical key → the field's label as shown in Pipedrive (or a
   * standard field code). Labels resolve to 40-character hash keys through the `*Fields` endpoints.
   * @default {}
   * @example { contact: { lead_source: "Lead source" }, company: { domain: "Domain" } }
   */
  fieldMap?: PipedriveFieldMap | undefined;
  /** How organizations are matched by domain. @default "auto" */
  domainStrategy?: PipedriveDomainStrategy | undefined;
  /** Label of the custom organization field holding the bare domain. @default "Domain" */
  domainField?: string | undefined;
  /** Labels of the synthetic won and lost stages. @default { won: "Won", lost: "Lost" } */
  statusStages?: PipedriveStatusStages | undefined;
  /** Activity type (`key_string`) of tasks. @default "task" */
  taskType?: string | undefined;
  /** How long users, pipelines and field definitions are cached. @default 300_000 */
  metadataTtlMs?: number | undefined;
  /**
   * The documented estimate of Pipedrive's search indexing delay, published as `capabilities.searchLagMs`, and
   * how long the adapter remembers the records it wrote so its own lookups see them before search does.
   * @default 10_000
   */
  searchLagMs?: number | undefined;
  /**
   * Lookups of persons by email and organizations by domain from an in-memory index built from list pages (10
   * tokens per 500 records) instead of searches (20 tokens each), kept current with `updated_since` lists whenever
   * it is older than `searchLagMs`. The index is built a few pages per lookup (at most half of what the lookup's
   * searches would cost) and dropped for an account with more than `maxRecords` persons or organizations, which
   * then searches. `false` always searches.
   * @default { maxRecords: 50_000 }
   * @example { maxRecords: 200_000 } // a large account synced by a long-running worker
   */
  listIndex?: false | { readonly maxRecords?: number | undefined } | undefined;
  /** Retry policy of the transport, or `false` for one attempt. @default the transport's defaults */
  retry?: RetryOptions | false | undefined;
  /** Per-attempt timeout. @default 30_000 */
  timeoutMs?: number | undefined;
  /** Transport hooks (request, response, retry events). */
  hooks?: TransportHooks | undefined;
  /** Receives redacted debug/warn lines. @default none */
  logger?: TransportLogger | undefined;
  /** Time source for retries, caches and the daily reset. @default systemClock */
  clock?: Clock | undefined;
}

/** Throws the construction error naming the option. */
export function optionError(option: string, problem: string): never {
  throw new TypeError(`createPipedriveAdapter: option \`${option}\` ${problem}`);
}

/** Validates the options that are cheap to check up front. */
export function validateOptions(options: PipedriveAdapterOptions): void {
  if (typeof options !== "object" || options === null) optionError("options", "must be an object");
  const credentials = [options.apiToken, options.tokenProvider].filter((c) => c !== undefined);
  if (credentials.length !== 1)
    optionError("apiToken", "— give exactly one of `apiToken` or `tokenProvider`");
  if (
    options.apiToken !== undefined &&
    (typeof options.apiToken !== "string" || options.apiToken.trim() === "")
  )
    optionError("apiToken", "must be a non-empty string");
  if (options.tokenProvider !== undefined && typeof options.tokenProvider?.getToken !== "function")
    optionError("tokenProvider", "must have a getToken() method");
  if (options.companyDomain !== undefined && options.apiDomain !== undefined)
    optionError("companyDomain", "— give either `companyDomain` or `apiDomain`, not both");
  if (options.companyDomain !== undefined && !/^[a-z0-9][a-z0-9-]*$/i.test(options.companyDomain))
    optionError("companyDomain", 'must be the subdomain alone, e.g. "acme" for acme.pipedrive.com');
  if (options.apiDomain !== undefined && !/^https?:\/\//i.test(options.apiDomain))
    optionError("apiDomain", "must be an absolute http(s) URL");
  if (
    options.domainStrategy !== undefined &&
    !["auto", "custom_field", "website"].includes(options.domainStrategy)
  )
    optionError("domainStrategy", 'must be "auto", "custom_field" or "website"');
  for (const [name, value] of [
    ["metadataTtlMs", options.metadataTtlMs],
    ["searchLagMs", options.searchLagMs],
  ] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0))
      optionError(name, "must be a finite number ≥ 0");
  }
  const maxRecords = options.listIndex === false ? undefined : options.listIndex?.maxRecords;
  if (maxRecords !== undefined && (!Number.isSafeInteger(maxRecords) || maxRecords < 1))
    optionError("listIndex.maxRecords", "must be a positive integer");
  for (const [type, map] of Object.entries(options.fieldMap ?? {})) {
    for (const [key, label] of Object.entries(map ?? {})) {
      if (/^[0-9a-f]{40}$/.test(label))
        optionError(
          `fieldMap.${type}.${key}`,
          "is a 40-character hash key; write the field's label as Pipedrive shows it instead",
        );
    }
  }
}
