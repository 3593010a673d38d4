import type { CrmProperties, RecordObjectType } from "../adapter/index.js";

// Record types an intent can search for and upsert (notes and tasks are always created); defined by the SPI.
export type { RecordObjectType };

/**
 * A symbolic reference to the record of another intent in the same {@link Intents}, by its `id`. The record may
 * not exist yet (it is created by that step), so the planner turns it into a plan target and the executor
 * substitutes the real id at apply time.
 *
 * @example
 * const dealContact: StepRef = { step: "contact" };
 */
export interface StepRef {
  /** The `id` of the intent whose record is meant. */
  readonly step: string;
}

/** How the planner finds the existing record of a {@link RecordIntent} before deciding create or update. */
export type RecordMatch =
  /** Search by a canonical key field: contact `email`, company `domain`, ticket `external_ref`. */
  | { readonly by: "key"; readonly field: string; readonly value: string }
  /**
   * The open deal of a contact, in a pipeline (label or id) or, when `pipeline` is absent on an
   * `update_only` intent, in any pipeline.
   */
  | { readonly by: "open_deal"; readonly contact: StepRef; readonly pipeline?: string | undefined };

/** Who should own a record or task; the planner resolves it against the CRM's active owners. */
export type OwnerIntent =
  /** The owner the policy's routing rules pick from the event's routing signal. */
  | { readonly from: "routing" }
  /** A fixed owner, by email or CRM id. */
  | { readonly from: "owner"; readonly owner: string }
  /** The owner of the first of these records that has one (e.g. the deal's owner, else the contact's). */
  | { readonly from: "record"; readonly steps: readonly StepRef[] };

/** Which pipeline stage a deal (or ticket) should be in. */
export type StageIntent =
  /** The policy's initial stage for new records (`policy.pipelines.deal.initialStage`), else the first open one. */
  | { readonly kind: "initial" }
  /** The policy's won stage, else the pipeline's first won stage. */
  | { readonly kind: "won" }
  /** A stage by label or id. */
  | { readonly kind: "label"; readonly label: string };

/**
 * A CRM record the event should leave in the desired state: searched, then created, updated or left alone.
 *
 * @example
 * const contact: RecordIntent = {
 *   kind: "record", id: "contact", objectType: "contact", mode: "upsert",
 *   match: { by: "key", field: "email", value: "ops@example.com" },
 *   properties: { email: "ops@example.com", first_name: "Ada" }, why: "the lead's contact",
 * };
 */
export interface RecordIntent {
  readonly kind: "record";
  /** Unique within the intents; other intents refer to the record with `{ step: id }`. */
  readonly id: string;
  readonly objectType: RecordObjectType;
  readonly match: RecordMatch;
  /** `upsert` creates when nothing matches; `update_only` never creates (the step is skipped instead). */
  readonly mode: "upsert" | "update_only";
  /** Desired values by canonical field key; `owner_id`, `pipeline_id` and `stage_id` come from the fields below. */
  readonly properties: CrmProperties;
  readonly owner?: OwnerIntent | undefined;
  /** Deals and tickets: the pipeline by label or id. @default the policy's pipeline for the object type */
  readonly pipeline?: string | undefined;
  /** Deals and tickets: the desired stage; stages only ever move forward. */
  readonly stage?: StageIntent | undefined;
  /**
   * `routing`: the record exists only because of the routing decision (a deal for a qualified lead), so it goes to
   * review when the routing signal is not trusted.
   */
  readonly gate?: "routing" | undefined;
  /** Why the recipe wants this record, for the decision trace. */
  readonly why: string;
}

/** Two records that should be associated. */
export interface AssociationIntent {
  readonly kind: "association";
  readonly id: string;
  readonly from: StepRef;
  readonly to: StepRef;
  /** e.g. `"primary"`; adapters ignore labels they do not support. */
  readonly label?: string | undefined;
  readonly why: string;
}

/** A record a note or task is attached to; an `optional` attachment is dropped when its record is not there. */
export interface Attachment extends StepRef {
  /** @default false */
  readonly optional?: boolean | undefined;
}

/** A note to create. */
export interface NoteIntent {
  readonly kind: "note";
  readonly id: string;
  /** Plain text. */
  readonly body: string;
  /** ISO-8601 time the note is about. */
  readonly timestamp: string;
  readonly attach: readonly Attachment[];
  readonly why: string;
}

/** A precondition of a task, checked against the snapshot's history. */
export type TaskRequirement = {
  /** The contact must have a won deal or a succeeded payment on record. */
  readonly kind: "won_deal_or_payment";
  readonly contact: StepRef;
};

/** A task to create. */
export interface TaskIntent {
  readonly kind: "task";
  readonly id: string;
  readonly subject: string;
  readonly body?: string | undefined;
  /** ISO-8601 due time. */
  readonly dueAt: string;
  readonly priority?: "low" | "medium" | "high" | undefined;
  readonly attach: readonly Attachment[];
  readonly owner?: OwnerIntent | undefined;
  /** When set and not met, the task goes to review instead of being created. */
  readonly requires?: TaskRequirement | undefined;
  readonly why: string;
}

/** One desired CRM change, discriminated on `kind`. */
export type Intent = RecordIntent | AssociationIntent | NoteIntent | TaskIntent;

/** The routing signal of an event (a lead's AI or rules output), in the planner's terms. */
export interface RoutingSignal {
  readonly qualification?: "qualified" | "unqualified" | "needs_review" | undefined;
  readonly tier?: string | undefined;
  readonly role?: string | undefined;
  readonly score?: number | undefined;
  /** 0–1; absent for rules engines, which are trusted. */
  readonly confidence?: number | undefined;
  readonly manualReviewRequired?: boolean | undefined;
}

/** The event an intent set came from, as plans and journals record it. */
export interface EventMeta {
  readonly id: string;
  readonly type: string;
  readonly idempotencyKey: string;
  readonly occurredAt: string;
  readonly sourceSystem: string;
}

/**
 * The desired CRM state for one event: what {@link toIntents} returns and `planUpserts` consumes. Plain
 * JSON-serialisable data.
 */
export interface Intents {
  readonly event: EventMeta;
  readonly routing?: RoutingSignal | undefined;
  readonly items: readonly Intent[];
}
