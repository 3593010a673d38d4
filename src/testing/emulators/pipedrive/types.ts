import type { Clock } from "../../../internal/clock.js";

/** The record types the Pipedrive emulator stores (v2 path names; notes are v1). */
export type PipedriveEntityType = "persons" | "organizations" | "deals" | "activities" | "notes";

/** Entity types that carry hash-keyed custom fields. */
export type PipedriveFieldEntity = "person" | "organization" | "deal" | "activity";

/** Pipedrive plans, which set the burst window and the daily token multiplier (vendor-facts §3.2). */
export type PipedrivePlan = "lite" | "growth" | "premium" | "ultimate";

/** Custom field types the emulator validates (a subset of the v2 `field_type` enum). */
export type PipedriveCustomFieldType =
  | "varchar"
  | "text"
  | "varchar_auto"
  | "phone"
  | "int"
  | "double"
  | "boolean"
  | "date"
  | "enum"
  | "set"
  | "monetary"
  | "address"
  | "user"
  | "org"
  | "people";

/** One option of an `enum` or `set` custom field. */
export interface PipedriveFieldOption {
  /** Option id, the value written for `enum` and listed for `set`. @default generated from 101 upwards */
  id?: number | undefined;
  /** Display label. */
  label: string;
}

/** A custom field to seed. */
export interface PipedriveCustomFieldSeed {
  /** Display name (user-editable in Pipedrive; never use it as a key). */
  name: string;
  /** Field type. @default "varchar" */
  type?: PipedriveCustomFieldType | undefined;
  /** The 40-hex key (`field_code`). @default derived deterministically from the entity, name and `seed` */
  key?: string | undefined;
  /** Options of `enum` and `set` fields. @default [] */
  options?: readonly PipedriveFieldOption[] | undefined;
}

/** A user (owner) to seed; `GET /v1/users` lists them. */
export interface PipedriveUserSeed {
  /** User id, the value of `owner_id`. */
  id: number;
  /** Display name. */
  name: string;
  /** Email address. */
  email: string;
  /** Inactive users cannot own records. @default true */
  activeFlag?: boolean | undefined;
  /** @default false */
  isDeleted?: boolean | undefined;
  /** @default false */
  isAdmin?: boolean | undefined;
  /** @default "UTC" */
  timezoneName?: string | undefined;
}

/** A pipeline stage to seed. */
export interface PipedriveStageSeed {
  /** Stage id, the value of a deal's `stage_id`. */
  id: number;
  /** Display name. */
  name: string;
  /** Win probability in percent. @default 100 */
  dealProbability?: number | undefined;
  /** @default false */
  isDeleted?: boolean | undefined;
}

/** A pipeline to seed with its stages (in order). */
export interface PipedrivePipelineSeed {
  /** Pipeline id, the value of a deal's `pipeline_id`. */
  id: number;
  /** Display name. */
  name: string;
  /** @default false */
  isDeleted?: boolean | undefined;
  /** The stages in order. */
  stages: readonly PipedriveStageSeed[];
}

/**
 * A record to seed: the v2 JSON fields (`name`, `emails`, `org_id`, `custom_fields`, … ; for notes the v1 fields),
 * written without validation as if imported. `add_time`/`update_time` default to the clock's now.
 */
export interface PipedriveRecordSeed {
  /** Record id; generated when omitted. */
  id?: number | undefined;
  /** Seeded as deleted. @default false */
  deleted?: boolean | undefined;
  /** The record's fields. */
  fields: Record<string, unknown>;
}

/** A credential the emulator accepts. */
export interface PipedriveTokenSeed {
  /** The API token (`x-api-token`) or OAuth access token (`Authorization: Bearer`). */
  token: string;
  /** `"api"` tokens go in `x-api-token` (or `?api_token=` on v1); `"oauth"` tokens are bearer tokens. @default "api" */
  kind?: "api" | "oauth" | undefined;
  /** The user the token belongs to. @default the first seeded user */
  userId?: number | undefined;
  /** OAuth scopes; `undefined` grants every scope. API tokens always have full access. @default undefined */
  scopes?: readonly string[] | undefined;
  /** When an OAuth token expires (epoch ms or ISO string); never when omitted. */
  expiresAt?: number | string | undefined;
}

/** OAuth app settings for `POST /oauth/token`. */
export interface PipedriveOAuthOptions {
  /** The app's client id (Basic auth user). */
  clientId: string;
  /** The app's client secret (Basic auth password). */
  clientSecret: string;
  /** Refresh tokens that can be exchanged. @default [] */
  refreshTokens?: readonly string[] | undefined;
  /** Scopes granted to issued tokens; `undefined` grants every scope. @default undefined */
  scopes?: readonly string[] | undefined;
  /** Issue a new refresh token on each refresh and invalidate the presented one. @default true */
  rotate?: boolean | undefined;
  /** The `api_domain` returned with each token. @default "https://emulated-company.pipedrive.com" */
  apiDomain?: string | undefined;
  /** The user issued tokens act as. @default the first seeded user */
  userId?: number | undefined;
}

/** Overrides of the computed limits, handy for small exact tests. */
export interface PipedriveLimitOverrides {
  /** Requests per rolling 2 s per token (before the OAuth ×4). */
  burst?: number | undefined;
  /** Search requests per rolling 2 s per token. @default 10 */
  search?: number | undefined;
  /** Daily token budget of the company. */
  dailyTokens?: number | undefined;
}

/** Options of {@link createPipedriveEmulator}. */
export interface PipedriveEmulatorOptions {
  /** Company plan: burst 20/40/100/120 per 2 s per API token (OAuth ×4), daily multiplier 1/2/5/7. @default "growth" */
  plan?: PipedrivePlan | undefined;
  /** Paid seats; the daily budget is 30,000 × plan multiplier × seats. @default 1 */
  seats?: number | undefined;
  /** IANA time zone whose midnight resets the daily budget. @default "UTC" */
  timeZone?: string | undefined;
  /** Overrides of the computed limits. */
  limits?: PipedriveLimitOverrides | undefined;
  /**
   * Send the undocumented `x-daily-ratelimit-token-limit` / `-remaining` headers (observed in the wild).
   * @default true
   */
  dailyHeaders?: boolean | undefined;
  /**
   * After this many 429s in a row to one token, further refusals are Cloudflare-style 403 `text/html` pages
   * instead of JSON 429s; an admitted request ends the streak. `undefined` disables the abuse mode.
   * @default undefined
   */
  abuseAfter?: number | undefined;
  /** Company id (webhook `meta.company_id`, `/v1/users/me`). @default 7_654_321 */
  companyId?: number | undefined;
  /** Default deal currency. @default "USD" */
  currency?: string | undefined;
  /** Users; the first one owns records created without `owner_id`. @default one admin user with id 1 */
  users?: readonly PipedriveUserSeed[] | undefined;
  /** Pipelines with stages; replaces the default "Sales pipeline". */
  pipelines?: readonly PipedrivePipelineSeed[] | undefined;
  /** Custom fields per entity. @default {} */
  customFields?: Partial<Record<PipedriveFieldEntity, readonly PipedriveCustomFieldSeed[]>> | undefined;
  /** Records to seed per type. */
  records?: Partial<Record<PipedriveEntityType, readonly PipedriveRecordSeed[]>> | undefined;
  /** Records become visible to search this long after each write (on the emulator clock). @default 0 */
  searchLagMs?: number | undefined;
  /**
   * Accepted credentials. When neither `tokens` nor `oauth` is given, any non-empty API token or bearer token is
   * accepted with full access, acting as the first user.
   */
  tokens?: readonly PipedriveTokenSeed[] | undefined;
  /** OAuth app settings (enables `POST /oauth/token`). */
  oauth?: PipedriveOAuthOptions | undefined;
  /** Lifetime of OAuth access tokens issued by the token endpoint. @default 3_599_000 */
  tokenTtlMs?: number | undefined;
  /** Clock for timestamps, limits, token expiry and search lag. @default systemClock */
  clock?: Clock | undefined;
  /** Base URL relative `fetch` URLs resolve against. @default "https://api.pipedrive.com" */
  baseUrl?: string | undefined;
  /** First generated record id. @default 1001 */
  idStart?: number | undefined;
  /** Seed of generated custom-field keys, tokens and webhook ids. @default 1 */
  seed?: number | undefined;
}
