import type { CrmError } from "../errors/index.js";

// The adapter SPI: the one interface every CRM implements, ours and users'. Adapters speak crmkit's canonical
// field keys on both sides (they translate to and from vendor property names themselves), so the planner above
// them never sees a vendor name. Adapter methods are plain async functions that throw `CrmError`; everything
// above the SPI wraps them into `ResultAsync`.

/** The CRM object kinds crmkit reads and writes. */
export type CrmObjectType = "contact" | "company" | "deal" | "ticket" | "note" | "task";

/** Every {@link CrmObjectType}, in dependency order (what a sync writes first comes first). */
export const CRM_OBJECT_TYPES: readonly CrmObjectType[] = [
  "contact",
  "company",
  "deal",
  "ticket",
  "note",
  "task",
];

/** A property value as it crosses the SPI; adapters convert to the vendor's wire format (HubSpot: strings). */
export type CrmValue = string | number | boolean | null | readonly string[];

/** Properties keyed by canonical field key (see {@link FieldMeta.key}). */
export type CrmProperties = Readonly<Record<string, CrmValue>>;

/** A record as read from the CRM, with canonical field keys. */
export interface CrmRecord {
  readonly type: CrmObjectType;
  readonly id: string;
  readonly properties: CrmProperties;
  /** ISO-8601 creation time, when the CRM reports it. */
  readonly createdAt?: string | undefined;
  /** ISO-8601 last-modified time, when the CRM reports it. */
  readonly updatedAt?: string | undefined;
  /** Ids of associated records by type, when the read included them. */
  readonly associations?: Readonly<Partial<Record<CrmObjectType, readonly string[]>>> | undefined;
}

/** Points at one record. */
export interface RecordRef {
  readonly type: CrmObjectType;
  readonly id: string;
}

/** An association to create: the other record, and an optional label the adapter maps to its type id. */
export interface AssociationTarget extends RecordRef {
  /** e.g. `"primary"` for HubSpot's primary company; adapters ignore labels they do not support. */
  readonly label?: string | undefined;
}

/** A CRM user who can own records. */
export interface CrmOwner {
  readonly id: string;
  readonly email?: string | undefined;
  readonly name?: string | undefined;
  /** False for deactivated/archived users: crmkit never assigns records to them. */
  readonly active: boolean;
}

/** One stage of a pipeline. */
export interface CrmStage {
  readonly id: string;
  readonly label: string;
  /** Position in the pipeline; stages never move to a lower order (no regression). */
  readonly order: number;
  readonly closed: boolean;
  readonly won: boolean;
  readonly probability?: number | undefined;
}

/** A deal or ticket pipeline with its stages. */
export interface CrmPipeline {
  readonly id: string;
  readonly label: string;
  readonly objectType: "deal" | "ticket";
  readonly stages: readonly CrmStage[];
}

/** The kinds of field value crmkit understands. */
export type FieldType =
  | "string"
  | "text"
  | "email"
  | "phone"
  | "number"
  | "boolean"
  | "date"
  | "datetime"
  | "enum"
  | "multi_enum"
  | "reference";

/** Metadata of one writable or readable field, keyed by the canonical key crmkit uses. */
export interface FieldMeta {
  /** Canonical key used by intents and plans (`email`, `first_name`, `stage_id`, or a user `fieldMap` key). */
  readonly key: string;
  /** The vendor's API name (HubSpot internal name, Salesforce `Field__c`, Pipedrive hash key, Zoho `api_name`). */
  readonly apiName: string;
  /** The label people see in the CRM. */
  readonly label: string;
  readonly type: FieldType;
  /** Allowed values of `enum`/`multi_enum` fields (write the `value`). */
  readonly options?: readonly { readonly value: string; readonly label: string }[] | undefined;
  readonly readOnly?: boolean | undefined;
  readonly unique?: boolean | undefined;
  readonly required?: boolean | undefined;
}

/** Find records whose canonical `field` equals `value` (case-insensitive for emails and domains). */
export interface FindQuery {
  readonly type: CrmObjectType;
  /** Canonical key: `email` (contact), `domain` (company, also secondary domains), `external_ref` (ticket), … */
  readonly field: string;
  readonly value: string;
  /** At most this many matches (enough to detect ambiguity). @default 10 */
  readonly limit?: number | undefined;
}

/** Open (not closed) deals associated with a contact, optionally in one pipeline. */
export interface OpenDealsQuery {
  readonly contactId: string;
  readonly pipelineId?: string | undefined;
}

/** Properties to write plus associations to create with the record. */
export interface WriteInput {
  readonly properties: CrmProperties;
  readonly associations?: readonly AssociationTarget[] | undefined;
}

/** A create-or-update keyed by a field the CRM enforces as unique. */
export interface UpsertInput extends WriteInput {
  readonly key: { readonly field: string; readonly value: string };
}

/** Outcome of a native upsert. */
export interface UpsertResult {
  readonly record: CrmRecord;
  readonly created: boolean;
}

/** An update of one record by id. */
export interface UpdateInput extends WriteInput {
  readonly id: string;
}

/** A note (HubSpot note, Salesforce ContentNote, Pipedrive note, Zoho Notes). */
export interface NoteInput {
  /** Plain text or simple HTML. */
  readonly body: string;
  /** ISO-8601 time the note is about. */
  readonly timestamp: string;
  readonly ownerId?: string | undefined;
  readonly associations: readonly AssociationTarget[];
}

/** A follow-up task (HubSpot task, Salesforce Task, Pipedrive activity, Zoho Tasks). */
export interface TaskInput {
  readonly subject: string;
  readonly body?: string | undefined;
  /** ISO-8601 due time. */
  readonly dueAt: string;
  readonly ownerId?: string | undefined;
  readonly priority?: "low" | "medium" | "high" | undefined;
  readonly associations: readonly AssociationTarget[];
}

/** Per-item result of a batch call: partial success is normal, so each item succeeds or fails on its own. */
export type BatchItemResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: CrmError };

/** Per-call context crmkit passes to every adapter method. */
export interface AdapterCallContext {
  /** Aborts the call; adapters pass it to their transport. */
  readonly signal?: AbortSignal | undefined;
  /** Stable key of the logical operation, for vendors that accept an idempotency header. */
  readonly idempotencyKey?: string | undefined;
  /**
   * Where `find` / `findMany` may say how they answered, when they choose between ways of reading (Pipedrive: its
   * list index or a search, by what each costs). `createSync` collects the reports into the plan's `lookups`, so a
   * dry run shows the choice. Optional for adapters with one way to read.
   */
  readonly onLookup?: ((report: LookupReport) => void) | undefined;
}

/**
 * How an adapter answered one `find` or `findMany`, for a person reading the plan.
 *
 * @example
 * ctx?.onLookup?.({ type: "contact", field: "email", keys: 3, via: "index", detail: "list index, already current (no call)" });
 */
export interface LookupReport {
  readonly type: CrmObjectType;
  readonly field: string;
  /** How many keys the call answered (one for `find`). */
  readonly keys: number;
  /** `search` (the vendor's search API), `index` (an index the adapter keeps) or another word of the adapter's. */
  readonly via: string;
  /** Why this way and what it cost, in a sentence. */
  readonly detail?: string | undefined;
}

/** What an adapter can do, declared as data (never detected by probing). */
export interface AdapterCapabilities {
  /** Object types the adapter supports. */
  readonly objects: readonly CrmObjectType[];
  /** Canonical fields each object type can be natively upserted on (HubSpot contacts: `["email"]`). */
  readonly upsertKeys: Readonly<Partial<Record<CrmObjectType, readonly string[]>>>;
  /**
   * Maximum items per batch call; a missing entry means the vendor has no batch API for it (and the matching
   * `batch*` method must be absent).
   */
  readonly batchSizes: {
    readonly read?: number | undefined;
    readonly create?: number | undefined;
    readonly update?: number | undefined;
    readonly upsert?: number | undefined;
    readonly associate?: number | undefined;
  };
  /** `native` tickets, an `activity` fallback (Pipedrive), or `none`. */
  readonly tickets: "native" | "activity" | "none";
  /** How long search results may lag writes, in ms (0 when reads are immediately consistent). */
  readonly searchLagMs: number;
  /**
   * True when the adapter already retries transient failures of its idempotent calls itself (the built-in
   * adapters do, through `createTransport`). `createSync` then retries only creates whose outcome is unknown (after
   * checking they did not land), so there is exactly one retry layer.
   * @default false
   */
  readonly retriesTransientErrors?: boolean | undefined;
  /**
   * The order in which one event's records are written, when a vendor links records through a field of one of
   * them: a Pipedrive person points at its organization (`org_id`), so creating the organization first lets the
   * person's create carry the link instead of a follow-up update (one call less per new lead). Types left out keep
   * their default place after the listed ones. Associations, notes and tasks always come after every record, and a
   * failed record write still stops everything after it, so with `company` first a failing company create holds
   * back the contact too (the event goes to review or the dead letters and replays whole).
   * @default ["contact", "company", "deal", "ticket"]
   * @example
   * capabilities: { ...capabilities, recordOrder: ["company", "contact", "deal", "ticket"] }
   */
  readonly recordOrder?: readonly RecordObjectType[] | undefined;
}

/** The object types a plan writes as records (notes and tasks are activities attached to them). */
export type RecordObjectType = "contact" | "company" | "deal" | "ticket";

/**
 * The record write order of {@link AdapterCapabilities.recordOrder} when an adapter declares none: the contact
 * first, because it is the record an event is about and the safest write when a later step needs review.
 *
 * @example
 * const companyFirst = ["company", ...DEFAULT_RECORD_ORDER.filter((type) => type !== "company")];
 */
export const DEFAULT_RECORD_ORDER: readonly RecordObjectType[] = ["contact", "company", "deal", "ticket"];

/**
 * The adapter SPI. Implement it for a CRM crmkit does not ship; pass it through {@link defineAdapter} for a
 * runtime shape check, and prove it with `runAdapterConformance` from `crmkit/testing`.
 * See docs/writing-an-adapter.md.
 */
export interface CrmAdapter {
  /** Lower-case provider id used in errors and audit records, e.g. `"hubspot"` or `"acme-crm"`. */
  readonly provider: string;
  readonly capabilities: AdapterCapabilities;

  /** Records whose `field` equals `value`; more than one means the key is ambiguous. */
  find(query: FindQuery, ctx?: AdapterCallContext): Promise<readonly CrmRecord[]>;
  /** Many {@link CrmAdapter.find}s of one field at once (only with `capabilities.batchSizes.read`). */
  findMany?(
    type: CrmObjectType,
    field: string,
    values: readonly string[],
    ctx?: AdapterCallContext,
  ): Promise<ReadonlyMap<string, readonly CrmRecord[]>>;
  /** Records by id, skipping ids that do not exist; never goes through a lagging search index. */
  get(type: CrmObjectType, ids: readonly string[], ctx?: AdapterCallContext): Promise<readonly CrmRecord[]>;
  /** Open deals of a contact, optionally in one pipeline. */
  findOpenDeals(query: OpenDealsQuery, ctx?: AdapterCallContext): Promise<readonly CrmRecord[]>;
  /** All owners, active and inactive. */
  listOwners(ctx?: AdapterCallContext): Promise<readonly CrmOwner[]>;
  /** Pipelines with their stages. */
  listPipelines(objectType: "deal" | "ticket", ctx?: AdapterCallContext): Promise<readonly CrmPipeline[]>;
  /** Metadata of the fields crmkit can read and write for an object type, keyed by canonical key. */
  describeFields(type: CrmObjectType, ctx?: AdapterCallContext): Promise<readonly FieldMeta[]>;
  /** Records changed since an instant, oldest first, for reconciliation. */
  listChanged?(
    type: CrmObjectType,
    options: { since: string },
    ctx?: AdapterCallContext,
  ): AsyncIterable<CrmRecord>;

  /** Creates a record (and its associations, when the vendor allows them in the same call). */
  create(type: CrmObjectType, input: WriteInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
  /** Updates the given properties of a record. */
  update(type: CrmObjectType, input: UpdateInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
  /** Native create-or-update on a unique key (only where `capabilities.upsertKeys` lists the key). */
  upsert?(type: CrmObjectType, input: UpsertInput, ctx?: AdapterCallContext): Promise<UpsertResult>;
  /** Associates two records (idempotent: associating twice is not an error). */
  associate(from: RecordRef, to: AssociationTarget, ctx?: AdapterCallContext): Promise<void>;
  /** Creates a note associated with the given records. */
  createNote(input: NoteInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
  /** Creates a task associated with the given records. */
  createTask(input: TaskInput, ctx?: AdapterCallContext): Promise<CrmRecord>;

  /** Batch create, one result per input in order. */
  batchCreate?(
    type: CrmObjectType,
    inputs: readonly WriteInput[],
    ctx?: AdapterCallContext,
  ): Promise<readonly BatchItemResult<CrmRecord>[]>;
  /** Batch update, one result per input in order. */
  batchUpdate?(
    type: CrmObjectType,
    inputs: readonly UpdateInput[],
    ctx?: AdapterCallContext,
  ): Promise<readonly BatchItemResult<CrmRecord>[]>;
  /** Batch native upsert, one result per input in order. */
  batchUpsert?(
    type: CrmObjectType,
    inputs: readonly UpsertInput[],
    ctx?: AdapterCallContext,
  ): Promise<readonly BatchItemResult<UpsertResult>[]>;
  /** Batch associate, one result per pair in order. */
  batchAssociate?(
    pairs: readonly { readonly from: RecordRef; readonly to: AssociationTarget }[],
    ctx?: AdapterCallContext,
  ): Promise<readonly BatchItemResult<void>[]>;
}
