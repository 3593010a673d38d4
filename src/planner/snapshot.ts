import type {
  CrmObjectType,
  CrmOwner,
  CrmPipeline,
  CrmRecord,
  FieldMeta,
  LookupReport,
  RecordObjectType,
} from "../adapter/index.js";

/** What the CRM and the journal say about a contact's purchases, for onboarding preconditions. */
export interface HistoryEvidence {
  /** Ids of the contact's deals in a won stage. */
  readonly wonDealIds: readonly string[];
  /** Ids of `payment.succeeded` events for the contact (from the journal). */
  readonly paymentEventIds: readonly string[];
}

/**
 * The CRM state the planner decides against: the answers to the {@link LookupRequest}s of `lookupsFor` (phase 1)
 * and `followUpLookupsFor` (phase 2), each stored under the request's `key`. Plain JSON-serialisable data. A
 * search the planner needs but finds no entry for is never read as "no match": the step goes to review
 * (`not_looked_up`) instead of risking a duplicate.
 *
 * @example
 * const snapshot: Snapshot = {
 *   matches: { "contact:email:ops@example.com": [{ type: "contact", id: "101", properties: { email: "ops@example.com" } }] },
 *   owners: [{ id: "7", email: "ann@acme.test", active: true }],
 * };
 */
export interface Snapshot {
  /** `find` results by request key (`contact:email:ops@example.com`). */
  readonly matches?: Readonly<Record<string, readonly CrmRecord[]>> | undefined;
  /** `open_deals` results by request key (`open_deals:101:default`). */
  readonly openDeals?: Readonly<Record<string, readonly CrmRecord[]>> | undefined;
  /** `history` results by request key (`history:101`). */
  readonly history?: Readonly<Record<string, HistoryEvidence>> | undefined;
  /** All owners, active and inactive. */
  readonly owners?: readonly CrmOwner[] | undefined;
  /** Pipelines by object type. */
  readonly pipelines?:
    | {
        readonly deal?: readonly CrmPipeline[] | undefined;
        readonly ticket?: readonly CrmPipeline[] | undefined;
      }
    | undefined;
  /** Field metadata by object type; enum values are checked against it before any write. */
  readonly fields?: Readonly<Partial<Record<CrmObjectType, readonly FieldMeta[]>>> | undefined;
  /**
   * The adapter's `capabilities.tickets`: `activity` turns ticket intents into tasks (Pipedrive), `none` skips them.
   * @default "native"
   */
  readonly tickets?: "native" | "activity" | "none" | undefined;
  /**
   * The adapter's `capabilities.recordOrder`: the order in which the plan writes the event's records.
   * @default DEFAULT_RECORD_ORDER (contact, company, deal, ticket)
   */
  readonly recordOrder?: readonly RecordObjectType[] | undefined;
  /** What the adapter reported about how it answered the searches (`AdapterCallContext.onLookup`), in order. */
  readonly lookups?: readonly LookupReport[] | undefined;
}

/** Snapshot key of a `find` by canonical field. */
export function findKey(type: CrmObjectType, field: string, value: string): string {
  return `${type}:${field}:${value}`;
}

/** Snapshot key of the open deals of a contact in a pipeline id (`*` for any pipeline). */
export function openDealsKey(contactId: string, pipelineId: string | undefined): string {
  return `open_deals:${contactId}:${pipelineId ?? "*"}`;
}

/** Snapshot key of a contact's purchase history. */
export function historyKey(contactId: string): string {
  return `history:${contactId}`;
}

/** Reads an own entry of a snapshot map; prototype keys never count as entries. */
export function entry<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}
