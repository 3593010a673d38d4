import type { CrmObjectType, CrmProperties, CrmValue, LookupReport } from "../adapter/index.js";
import type { CrmErrorReason } from "../errors/index.js";
import type { EventMeta } from "../intents/index.js";

/** What a step does. */
export type PlanAction = "create" | "update" | "noop" | "review" | "skip";

/** What a step is about: a record, an association, a note, a task, or one field of a record (owner, enum). */
export type StepKind = "record" | "association" | "note" | "task" | "field";

/**
 * A record a step points at: an existing one by `id`, or the record another step of the same plan creates, by
 * that step's `step` id. The executor checkpoints the id each create step returns and substitutes it here.
 */
export type PlanTarget =
  | { readonly type: CrmObjectType; readonly id: string }
  | { readonly type: CrmObjectType; readonly step: string };

/** Machine-readable reason a step was decided the way it was. */
export type StepReason =
  | "no_match"
  | "matched"
  | "unchanged"
  | "changed"
  | "new_note"
  | "new_task"
  | "requirement_met"
  | "already_associated"
  | "not_associated"
  | "no_open_deal"
  | "no_match_update_only"
  | "endpoint_skipped"
  | "duplicate_key_in_plan"
  | "tickets_as_activity"
  | "tickets_unsupported"
  | "ambiguous_duplicate_match"
  | "routing_untrusted"
  | "inactive_owner"
  | "invalid_enum"
  | "not_looked_up"
  | "unknown_pipeline"
  | "unknown_stage"
  | "no_won_deal_or_payment"
  | "depends_on_review";

/** What the planner searched for and found: the basis of a create/update/review decision. */
export interface Evidence {
  /** The snapshot key the decision read (`contact:email:ops@example.com`, `open_deals:101:default`). */
  readonly lookup: string;
  /** Human description of the search, e.g. `email = ops@example.com`. */
  readonly query: string;
  /** Ids of the records that matched, in the CRM's order. */
  readonly matchedIds: readonly string[];
}

/** One field an update changes. Labels are set where the value is an id (stages, owners). */
export interface FieldChange {
  readonly field: string;
  /** The CRM's current value; `null` when empty. */
  readonly from: CrmValue;
  readonly to: CrmValue;
  readonly fromLabel?: string | undefined;
  readonly toLabel?: string | undefined;
}

interface StepBase {
  /** Unique within the plan; the id of the intent the step came from (`contact`, `deal-contact`, …). */
  readonly id: string;
  readonly kind: StepKind;
  readonly reason: StepReason;
  /** One line a person can read, e.g. `contact ops@example.com`. */
  readonly summary: string;
  /** The search behind the decision, for record steps. */
  readonly evidence?: Evidence | undefined;
}

/** Creates a record; with `key`, the executor may use a native upsert on that unique key instead. */
export interface CreateRecordStep extends StepBase {
  readonly action: "create";
  readonly kind: "record";
  readonly objectType: CrmObjectType;
  readonly key?: { readonly field: string; readonly value: string } | undefined;
  readonly properties: CrmProperties;
}

/** Updates the changed fields of an existing record. */
export interface UpdateRecordStep extends StepBase {
  readonly action: "update";
  readonly kind: "record";
  readonly objectType: CrmObjectType;
  readonly recordId: string;
  /** Only the fields that change. */
  readonly properties: CrmProperties;
  readonly changes: readonly FieldChange[];
}

/** Associates two records. */
export interface CreateAssociationStep extends StepBase {
  readonly action: "create";
  readonly kind: "association";
  readonly from: PlanTarget;
  readonly to: PlanTarget;
  readonly label?: string | undefined;
}

/** Creates a note attached to records. */
export interface CreateNoteStep extends StepBase {
  readonly action: "create";
  readonly kind: "note";
  readonly body: string;
  readonly timestamp: string;
  readonly attach: readonly PlanTarget[];
}

/** Creates a task attached to records. */
export interface CreateTaskStep extends StepBase {
  readonly action: "create";
  readonly kind: "task";
  readonly subject: string;
  readonly body?: string | undefined;
  readonly dueAt: string;
  readonly ownerId?: string | undefined;
  readonly priority?: "low" | "medium" | "high" | undefined;
  readonly attach: readonly PlanTarget[];
}

/** Nothing to write: the record already is as desired, or the association exists. */
export interface NoopStep extends StepBase {
  readonly action: "noop";
  readonly target?: PlanTarget | undefined;
}

/**
 * A decision the planner will not take alone. `errorReason` is what the executor reports (a `CrmError` with
 * action `review`, or `alert` for `configuration_error`); `field` and `target` say which value of which record
 * for `field` steps.
 */
export interface ReviewStep extends StepBase {
  readonly action: "review";
  readonly errorReason: CrmErrorReason;
  readonly objectType?: CrmObjectType | undefined;
  readonly target?: PlanTarget | undefined;
  readonly field?: string | undefined;
  /** The value that was not written (an owner reference, an enum value). */
  readonly value?: CrmValue | undefined;
}

/** Not done, for a reason that needs nobody (no open deal to move) or because a step it depends on is in review. */
export interface SkipStep extends StepBase {
  readonly action: "skip";
  readonly objectType?: CrmObjectType | undefined;
}

/** One step of a plan, discriminated on `action` (and on `kind` among creates). */
export type PlanStep =
  | CreateRecordStep
  | CreateAssociationStep
  | CreateNoteStep
  | CreateTaskStep
  | UpdateRecordStep
  | NoopStep
  | ReviewStep
  | SkipStep;

/** Why the planner decided something; one entry per decision, in order. */
export interface TraceEntry {
  /** The step the decision is about. */
  readonly step: string;
  readonly message: string;
}

/** Number of steps per action. */
export type PlanCounts = Readonly<Record<PlanAction, number>>;

/**
 * The plan for one event: ordered steps (records contact → company → deal → ticket, then field reviews,
 * associations, notes, tasks), the decision trace and the counts. Plain JSON-serialisable data, so journals
 * store it as is and `formatPlan` renders it.
 */
export interface UpsertPlan {
  /** Shape version of this data, for journals. */
  readonly version: 1;
  readonly event: EventMeta;
  readonly steps: readonly PlanStep[];
  readonly trace: readonly TraceEntry[];
  readonly counts: PlanCounts;
  /**
   * How the adapter answered the plan's searches where it had a choice (Pipedrive: its list index or a search),
   * copied from `snapshot.lookups`; absent when no adapter call reported one.
   */
  readonly lookups?: readonly LookupReport[] | undefined;
}
