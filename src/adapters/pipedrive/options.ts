import type { AdapterTransportOptions, CrmObjectType, TokenProvider } from "../../adapter/index.js";
import { createOptionChecks } from "../../adapter/index.js";
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
export interface PipedriveAdapterOptions extends AdapterTransportOptions {
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
}

const check = createOptionChecks({ factory: "createPipedriveAdapter" });

/** Validates the options that are cheap to check up front. */
export function validateOptions(options: PipedriveAdapterOptions): void {
  check.object(options);
  check.exactlyOne({ apiToken: options.apiToken, tokenProvider: options.tokenProvider });
  check.nonEmptyString("apiToken", options.apiToken);
  check.tokenProvider("tokenProvider", options.tokenProvider);
  if (options.companyDomain !== undefined && options.apiDomain !== undefined)
    check.fail("companyDomain", "— give either `companyDomain` or `apiDomain`, not both");
  if (options.companyDomain !== undefined && !/^[a-z0-9][a-z0-9-]*$/i.test(options.companyDomain))
    check.fail("companyDomain", 'must be the subdomain alone, e.g. "acme" for acme.pipedrive.com');
  check.httpUrl("apiDomain", options.apiDomain);
  check.oneOf("domainStrategy", options.domainStrategy, ["auto", "custom_field", "website"]);
  check.nonNegative({ metadataTtlMs: options.metadataTtlMs, searchLagMs: options.searchLagMs });
  const maxRecords = options.listIndex === false ? undefined : options.listIndex?.maxRecords;
  if (maxRecords !== undefined && (!Number.isSafeInteger(maxRecords) || maxRecords < 1))
    check.fail("listIndex.maxRecords", "must be a positive integer");
  for (const [type, map] of Object.entries(options.fieldMap ?? {})) {
    for (const [key, label] of Object.entries(map ?? {})) {
      if (/^[0-9a-f]{40}$/.test(label))
        check.fail(
          `fieldMap.${type}.${key}`,
          "is a 40-character hash key; write the field's label as Pipedrive shows it instead",
        );
    }
  }
}
