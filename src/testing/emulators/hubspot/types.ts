import type { Clock } from "../../../internal/clock.js";

/** The CRM object types the HubSpot emulator models. */
export type HubSpotObjectType = "contacts" | "companies" | "deals" | "notes" | "tasks" | "tickets";

/** HubSpot property data types. */
export type HubSpotPropertyType = "string" | "number" | "date" | "datetime" | "enumeration" | "bool";

/** One option of an enumeration property. */
export interface HubSpotPropertyOption {
  /** Display label. */
  label: string;
  /** The value written and stored. */
  value: string;
  /** Sort position. @default its index */
  displayOrder?: number | undefined;
  /** Hidden options are still valid values. @default false */
  hidden?: boolean | undefined;
}

/** A property definition, as `GET /crm/v3/properties/{objectType}` returns it. */
export interface HubSpotPropertyDefinition {
  /** Internal name used in payloads and filters (`a-z0-9_`). */
  name: string;
  /** Display label. @default the name */
  label?: string | undefined;
  /** Data type. @default "string" */
  type?: HubSpotPropertyType | undefined;
  /** UI field type. @default derived from `type` */
  fieldType?: string | undefined;
  /** Allowed values of an enumeration; writes of other values fail with `INVALID_OPTION`. */
  options?: readonly HubSpotPropertyOption[] | undefined;
  /** Values are unique per object type; such a property can be an `idProperty`. @default false */
  hasUniqueValue?: boolean | undefined;
  /** Computed by HubSpot; writes are ignored. @default false */
  calculated?: boolean | undefined;
  /** Property group. @default "<type>information" */
  groupName?: string | undefined;
  /** Description text. @default "" */
  description?: string | undefined;
}

/** An owner (a HubSpot user or team queue that records can be assigned to). */
export interface HubSpotOwnerSeed {
  /** Owner id, the value of `hubspot_owner_id`. */
  id: string;
  /** Email address. */
  email: string;
  /** @default "" */
  firstName?: string | undefined;
  /** @default "" */
  lastName?: string | undefined;
  /** The user id behind the owner. @default Number(id) + 1000 */
  userId?: number | undefined;
  /** Deactivated owners are listed only with `archived=true` and cannot be assigned. @default false */
  archived?: boolean | undefined;
  /** @default "PERSON" */
  type?: "PERSON" | "QUEUE" | undefined;
  /** Teams the owner belongs to. @default [] */
  teams?: readonly { id: string; name: string; primary: boolean }[] | undefined;
}

/** A pipeline stage. `metadata` values are strings, as HubSpot returns them. */
export interface HubSpotStageSeed {
  /** Internal stage id (the value of `dealstage` / `hs_pipeline_stage`). */
  id: string;
  /** Display label. */
  label: string;
  /** @default its index */
  displayOrder?: number | undefined;
  /** Deals: `{ isClosed: "true"|"false", probability: "0.2" }`; tickets: `{ ticketState: "OPEN"|"CLOSED" }`. */
  metadata?: Record<string, string> | undefined;
  /** @default false */
  archived?: boolean | undefined;
}

/** A pipeline of deals or tickets. */
export interface HubSpotPipelineSeed {
  /** Internal pipeline id (the value of `pipeline` / `hs_pipeline`). */
  id: string;
  /** Display label. */
  label: string;
  /** @default its index */
  displayOrder?: number | undefined;
  /** @default false */
  archived?: boolean | undefined;
  /** The stages in order. */
  stages: readonly HubSpotStageSeed[];
}

/** A record to seed. Values are written without validation, as if they had been imported. */
export interface HubSpotRecordSeed {
  /** Record id; generated when omitted. */
  id?: string | undefined;
  /** Property values (strings). */
  properties: Record<string, string>;
  /** Seeded as archived. @default false */
  archived?: boolean | undefined;
}

/** An association to seed, in the `from` → `to` direction of `typeId` (the reverse is added automatically). */
export interface HubSpotAssociationSeed {
  from: { type: HubSpotObjectType; id: string };
  to: { type: HubSpotObjectType; id: string };
  /** HubSpot-defined association type id for from → to. @default the unlabeled default type of the pair */
  typeId?: number | undefined;
}

/** An access token the emulator accepts. */
export interface HubSpotTokenSeed {
  /** The bearer token string. */
  token: string;
  /** Granted scopes; `undefined` grants every scope. @default undefined */
  scopes?: readonly string[] | undefined;
  /** When it expires (epoch ms or ISO string); never when omitted. */
  expiresAt?: number | string | undefined;
  /** App the token belongs to: the 10-second limit is counted per app. @default the token itself */
  appId?: string | undefined;
}

/** OAuth app settings for `POST /oauth/v3/token` and `/oauth/v1/token`. */
export interface HubSpotOAuthOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret (also the webhook signing secret). */
  clientSecret: string;
  /** Refresh tokens that can be exchanged. @default [] */
  refreshTokens?: readonly string[] | undefined;
  /** Scopes granted to issued access tokens; `undefined` grants every scope. @default undefined */
  scopes?: readonly string[] | undefined;
  /** Issue a new refresh token on each refresh and invalidate the old one. @default false */
  rotate?: boolean | undefined;
}

/** Account tier, which sets the default burst and daily limits (vendor-facts §1.2). */
export type HubSpotTier = "free" | "starter" | "professional" | "enterprise";

/** Options of {@link createHubSpotEmulator}. */
export interface HubSpotEmulatorOptions {
  /** The account (hub/portal) id. @default 62515 */
  portalId?: number | undefined;
  /** Account tier: burst 100 (free/starter) or 190 per 10 s, daily 250k/250k/625k/1M. @default "professional" */
  tier?: HubSpotTier | undefined;
  /** API limit increase packs bought (0–2): burst 250 per 10 s and +1M daily each. @default 0 */
  limitIncreasePacks?: 0 | 1 | 2 | undefined;
  /**
   * `"private"` (private app / service key: per-app burst by tier, daily headers) or `"public"` (OAuth app: 110
   * per 10 s per installing account, no daily headers).
   * @default "private"
   */
  appType?: "private" | "public" | undefined;
  /** IANA time zone of the account; the daily limit resets at midnight there. @default "UTC" */
  timeZone?: string | undefined;
  /** Overrides of the computed limits (handy for small exact tests). */
  limits?:
    | {
        /** Requests per rolling 10 s per app. */
        tenSecondly?: number | undefined;
        /** Requests per account-local day. */
        daily?: number | undefined;
        /** Search requests per rolling second per account. @default 5 */
        searchPerSecond?: number | undefined;
      }
    | undefined;
  /** Owners; deactivated ones have `archived: true`. @default [] */
  owners?: readonly HubSpotOwnerSeed[] | undefined;
  /** Pipelines per object type; replaces the default pipeline of that type. */
  pipelines?: Partial<Record<"deals" | "tickets", readonly HubSpotPipelineSeed[]>> | undefined;
  /** Custom properties per object type, added to the defaults (same name replaces a default). */
  properties?: Partial<Record<HubSpotObjectType, readonly HubSpotPropertyDefinition[]>> | undefined;
  /** Records to seed per object type. */
  records?: Partial<Record<HubSpotObjectType, readonly HubSpotRecordSeed[]>> | undefined;
  /** Associations to seed. @default [] */
  associations?: readonly HubSpotAssociationSeed[] | undefined;
  /** Records become visible to search this long after each create/update (on the emulator clock). @default 0 */
  searchLagMs?: number | undefined;
  /**
   * Accepted access tokens. When neither `tokens` nor `oauth` is given, any non-empty bearer token is accepted with
   * every scope.
   */
  tokens?: readonly HubSpotTokenSeed[] | undefined;
  /** OAuth app settings (enables the token endpoints). */
  oauth?: HubSpotOAuthOptions | undefined;
  /** Lifetime of access tokens issued by the token endpoint. @default 1_800_000 */
  tokenTtlMs?: number | undefined;
  /** Clock for timestamps, limits, token expiry and search lag. @default systemClock */
  clock?: Clock | undefined;
  /** Base URL relative `fetch` URLs resolve against. @default "https://api.hubapi.com" */
  baseUrl?: string | undefined;
  /** First generated record id. @default 1001 */
  idStart?: number | undefined;
  /** Seed of correlation and request ids in error bodies. @default 1 */
  seed?: number | undefined;
}
