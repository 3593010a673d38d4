import type {
  CrmAdapter,
  CrmObjectType,
  CrmOwner,
  CrmPipeline,
  CrmProperties,
  CrmRecord,
  FieldMeta,
  RecordRef,
} from "../../adapter/index.js";

/** A value or a promise of it: probes over in-memory fakes answer synchronously, emulators and sandboxes do not. */
export type Awaitable<T> = T | Promise<T>;

/**
 * What a backend must offer the conformance suite for its assertions: reads that go straight to the backend's
 * storage, never through the adapter under test, so a write is checked against what was really stored.
 * Records use canonical field keys.
 */
export interface AdapterProbe {
  /** The record as stored, or `undefined` when it does not exist. */
  get(type: CrmObjectType, id: string): Awaitable<CrmRecord | undefined>;
  /** Every stored record of a type. */
  list(type: CrmObjectType): Awaitable<readonly CrmRecord[]>;
  /** The records associated with `ref`, from its side of the association. */
  associations(ref: RecordRef): Awaitable<readonly RecordRef[]>;
}

/** A record the backend must contain before a test starts. Ids are suggestions: backends may assign their own. */
export interface SeedRecord {
  /** The record's object type. */
  readonly type: CrmObjectType;
  /** The seed's name for the record; associations refer to it. */
  readonly id: string;
  /** Canonical properties. */
  readonly properties: CrmProperties;
  /** Records (by their seed ids) this one is associated with. */
  readonly associations?: readonly RecordRef[] | undefined;
}

/**
 * What the backend must contain when `create(seed)` resolves. Owner and pipeline ids are suggestions too: the
 * suite finds owners by email, pipelines and stages by label, and seeded records by email or domain.
 */
export interface AdapterConformanceSeed {
  /** Three owners: two active, one inactive. */
  readonly owners: readonly CrmOwner[];
  /** Two deal pipelines with ordered stages (open, won, lost) and one ticket pipeline. */
  readonly pipelines: readonly CrmPipeline[];
  /** Fields beyond the canonical keys, per object type: a contact enum field `lead_source`. */
  readonly fields: Readonly<Partial<Record<CrmObjectType, readonly FieldMeta[]>>>;
  /** An existing company (`acme.example`) and a contact (`existing@acme.example`) associated with it. */
  readonly records: readonly SeedRecord[];
}

/** A backend built for one test: the adapter under test, its probe, and how to tear it down. */
export interface AdapterConformanceBackend {
  /** The adapter under test. */
  readonly adapter: CrmAdapter;
  /** Direct reads of the backend's storage. */
  readonly probe: AdapterProbe;
  /**
   * Makes every write visible to `find`. Backends whose search lags writes provide it (the fake CRM advances its
   * index); without it the suite waits `capabilities.searchLagMs` of real time.
   */
  readonly settleSearch?: (() => Awaitable<void>) | undefined;
  /** Releases what `create` started (servers, connections). */
  readonly cleanup?: (() => Awaitable<void>) | undefined;
}

/** Names of the suite's test groups, for {@link AdapterConformanceOptions.skip}. */
export type AdapterConformanceGroup =
  | "shape"
  | "records"
  | "find"
  | "duplicates"
  | "openDeals"
  | "owners"
  | "pipelines"
  | "fields"
  | "validation"
  | "associations"
  | "engagements"
  | "tickets"
  | "upsert"
  | "batch";

/** Options for `runAdapterConformance`. */
export interface AdapterConformanceOptions {
  /** Builds a fresh backend containing `seed` and an adapter over it; called once per test. */
  create(seed: AdapterConformanceSeed): Promise<AdapterConformanceBackend>;
  /**
   * Groups to skip, each with the reason, which becomes part of the skipped test's name.
   * @default {}
   * @example { batch: "the in-house API has no batch endpoints yet" }
   */
  skip?: Readonly<Partial<Record<AdapterConformanceGroup, string>>> | undefined;
  /**
   * Whether the backend lets two contacts share an email (`"allowed"`: find must return both, like Pipedrive) or
   * rejects the second as `duplicate_conflict` naming the existing id (`"rejected"`, like HubSpot's 409).
   * @default "allowed"
   */
  duplicateContacts?: "allowed" | "rejected" | undefined;
  /**
   * Title of the outer `describe` block.
   * @default "CrmAdapter conformance"
   */
  name?: string | undefined;
}

/** The slice of a test runner the suite needs; vitest, jest, mocha and `node:test` all fit. */
export interface AdapterConformanceRunner {
  /** Groups tests. */
  describe(name: string, body: () => void): unknown;
  /** Registers a test; `it.skip`, when present, registers a skipped one. */
  it: ((name: string, body: () => Promise<void>) => unknown) & {
    skip?: ((name: string, body: () => Promise<void>) => unknown) | undefined;
  };
}
