import type {
  AssociationTarget,
  CrmAdapter,
  CrmObjectType,
  CrmOwner,
  CrmPipeline,
  CrmProperties,
  CrmRecord,
  FieldMeta,
} from "../../adapter/index.js";
import type { CrmErrorReason } from "../../errors/index.js";
import type { Clock } from "../../internal/clock.js";
import type { AdapterProbe } from "../adapter-conformance/types.js";

/** The adapter methods a fake CRM answers, as named in its call log and fault rules. */
export type FakeCrmMethod = Exclude<keyof CrmAdapter, "provider" | "capabilities">;

/** A record to seed a fake CRM with. */
export interface FakeRecordSeed {
  /** The record's object type. */
  readonly type: CrmObjectType;
  /** @default the next id of the type (`"contact-1"`, …) */
  readonly id?: string | undefined;
  /** Canonical properties, stored as given (not validated). */
  readonly properties: CrmProperties;
  /** Records this one is associated with (stored on both sides). */
  readonly associations?: readonly AssociationTarget[] | undefined;
}

/** Maximum items per batch call, per batch method. */
export interface FakeBatchSizes {
  readonly read?: number | undefined;
  readonly create?: number | undefined;
  readonly update?: number | undefined;
  readonly upsert?: number | undefined;
  readonly associate?: number | undefined;
}

/** One fault to inject: the next `times` calls matching `method` and `type` fail with `reason`. */
export interface FaultRule {
  /** Only calls of this adapter method. @default every method */
  readonly method?: FakeCrmMethod | undefined;
  /** Only calls about this object type. @default every type */
  readonly type?: CrmObjectType | undefined;
  /** How many matching calls fail; `Infinity` for all of them. @default 1 */
  readonly times?: number | undefined;
  /** The reason the call fails with. */
  readonly reason: CrmErrorReason;
  /** @default the status the vendors typically answer with for `reason` (429, 502, 409, …) */
  readonly status?: number | undefined;
  /** How long the error tells the caller to wait. @default none */
  readonly retryAfterMs?: number | undefined;
  /** For `duplicate_conflict`: the id the error names as already existing. */
  readonly existingId?: string | undefined;
  /** @default "Injected fault: <reason> on <method>" */
  readonly message?: string | undefined;
  /**
   * Fail after the operation took effect: the write is stored but the caller gets the error, as when a request
   * reaches the CRM and its response is lost. Redelivery and crash tests need exactly this.
   * @default false
   */
  readonly afterWrite?: boolean | undefined;
}

/** Seeded probabilistic faults, for reliability tests. */
export interface RandomFaultOptions {
  /** Probability in [0, 1] that a matching call fails. */
  readonly rate: number;
  /** The reasons to pick from, uniformly. */
  readonly reasons: readonly CrmErrorReason[];
  /** Seed of the pseudo-random sequence: the same seed and calls give the same faults. @default 1 */
  readonly seed?: number | undefined;
  /** Only calls of these methods. @default every method */
  readonly methods?: readonly FakeCrmMethod[] | undefined;
  /** Share in [0, 1] of faults on writes that fire after the write took effect. @default 0 */
  readonly afterWrite?: number | undefined;
  /** `retryAfterMs` on the errors. @default none */
  readonly retryAfterMs?: number | undefined;
}

/** Injects and inspects faults. */
export interface FakeCrmFaults {
  /** Adds a rule; rules are checked in the order they were added. */
  inject(rule: FaultRule): void;
  /** Adds a seeded random fault source; several sources stack (e.g. 20 % transient plus 1 % terminal). */
  random(options: RandomFaultOptions): void;
  /** Removes every rule and random source. */
  clear(): void;
  /** Rules that still have calls left to fail (random sources are not listed). */
  pending(): readonly FaultRule[];
}

/** One entry of the call log: one adapter call, one "request" (a batch call is one entry). */
export interface FakeCall {
  /** The adapter method called. */
  readonly method: FakeCrmMethod;
  /** The object type the call was about, when it had one. */
  readonly type?: CrmObjectType | undefined;
  /** Items the call carried (ids read, inputs written, values searched). */
  readonly items: number;
  readonly kind: "read" | "write";
  /** Clock time of the call, epoch ms. */
  readonly at: number;
  /** The reason the call failed with, injected or real. */
  readonly error?: CrmErrorReason | undefined;
  /** True when the call failed after its write took effect. */
  readonly afterWrite?: boolean | undefined;
}

/** Filter for {@link FakeCrmProbe.callCount}. */
export interface FakeCallFilter {
  /** One method or any of several. @default every method */
  readonly method?: FakeCrmMethod | readonly FakeCrmMethod[] | undefined;
  /** @default every type */
  readonly type?: CrmObjectType | undefined;
  /** @default reads and writes */
  readonly kind?: "read" | "write" | undefined;
  /** `true`: only failed calls, `false`: only successful ones. @default both */
  readonly failed?: boolean | undefined;
}

/** Options for `createFakeCrm`. */
export interface FakeCrmOptions {
  /** Provider id on the adapter and on every error. @default "fake" */
  provider?: string | undefined;
  /** CRM users. @default two active owners, `owner-1` and `owner-2` */
  owners?: readonly CrmOwner[] | undefined;
  /** Deal and ticket pipelines. @default "Sales Pipeline" (deals) and "Support Pipeline" (tickets) */
  pipelines?: readonly CrmPipeline[] | undefined;
  /** Fields beyond the built-in canonical keys, per object type (a same-key entry replaces the built-in). @default {} */
  fields?: Readonly<Partial<Record<CrmObjectType, readonly FieldMeta[]>>> | undefined;
  /** Records present from the start; they are already searchable. @default [] */
  records?: readonly FakeRecordSeed[] | undefined;
  /** Fault rules active from the start. @default [] */
  faults?: readonly FaultRule[] | undefined;
  /** `find` misses records written less than this long ago on `clock`; `get` never does. @default 0 */
  searchLagMs?: number | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
  /**
   * Batch APIs: `true` gives every batch method with 100 items per call, an object only the listed ones.
   * @default false
   * @example { create: 100, update: 100, read: 100 }
   */
  batch?: boolean | FakeBatchSizes | undefined;
  /** Fields each type can be natively upserted on; gives `upsert` (and `batchUpsert` with batch). @default {} */
  upsertKeys?: Readonly<Partial<Record<CrmObjectType, readonly string[]>>> | undefined;
  /**
   * Fields the CRM enforces as unique: writing a taken value throws `duplicate_conflict` with `existingId`, like
   * HubSpot's 409. Without it duplicates are possible, like Pipedrive.
   * @default {}
   * @example { contact: ["email"] }
   */
  uniqueKeys?: Readonly<Partial<Record<CrmObjectType, readonly string[]>>> | undefined;
  /** Ticket support; anything but `"native"` removes `ticket` from the supported objects. @default "native" */
  tickets?: "native" | "activity" | "none" | undefined;
}

/** Reads and steers a fake CRM's state from tests, bypassing the adapter (and its faults, lag and call log). */
export interface FakeCrmProbe extends AdapterProbe {
  /** The record as stored now (no search lag), or `undefined`. */
  get(type: CrmObjectType, id: string): CrmRecord | undefined;
  /** Every record of a type, in creation order. */
  list(type: CrmObjectType): readonly CrmRecord[];
  /** The records associated with `ref`, with labels when one was given. */
  associations(ref: { readonly type: CrmObjectType; readonly id: string }): readonly AssociationTarget[];
  /** Records whose `field` matches `value` as `find` would match it, without search lag. */
  findBy(type: CrmObjectType, field: string, value: string): readonly CrmRecord[];
  /** Groups of two or more records sharing a value of `field` (case-insensitive for emails and domains). */
  duplicates(type: CrmObjectType, field: string): readonly (readonly CrmRecord[])[];
  /** Every owner, active or not. */
  readonly owners: readonly CrmOwner[];
  /** Activates or deactivates an owner, as an admin would in the CRM. */
  setOwnerActive(id: string, active: boolean): void;
  /** Makes every write visible to `find` now. */
  advanceSearchIndex(): void;
  /** Every adapter call so far, oldest first. */
  readonly calls: readonly FakeCall[];
  /** How many calls match `filter`. */
  callCount(filter?: FakeCallFilter): number;
  /** Empties the call log (state and faults stay). */
  clearCalls(): void;
  readonly faults: FakeCrmFaults;
  /** Back to the seeded state: records, owners, faults and the call log. */
  reset(): void;
}

/** An in-memory CRM: the adapter to hand to crmkit and the probe to assert with. */
export interface FakeCrm {
  /** The `CrmAdapter` to hand to crmkit. */
  readonly adapter: CrmAdapter;
  /** Direct access to the fake's state for assertions and steering. */
  readonly probe: FakeCrmProbe;
}
