// The planner module: pure search-before-create decisions over a snapshot of CRM state (owner routing, field
// ownership, forward-only stages, enum checks, review instead of guesses), the two-phase lookups the executor
// performs to build that snapshot, and the terraform-style rendering of a plan.
export { formatPlan } from "./format-plan.js";
export {
  followUpLookupsFor,
  groupFinds,
  type LookupRequest,
  type LookupsOptions,
  lookupsFor,
} from "./lookups.js";
export { stableHash } from "./owners.js";
export { type PlanUpsertsInput, planHasWrites, planNeedsReview, planUpserts } from "./plan-upserts.js";
export {
  createPlanPolicy,
  type DealPipelinePolicy,
  defaultPolicy,
  type FieldOwnership,
  type PlanPolicy,
  type PlanPolicyOptions,
  type RoutingRule,
  type TaskTemplate,
  type TicketPipelinePolicy,
} from "./policy.js";
export { findKey, type HistoryEvidence, historyKey, openDealsKey, type Snapshot } from "./snapshot.js";
export type {
  CreateAssociationStep,
  CreateNoteStep,
  CreateRecordStep,
  CreateTaskStep,
  Evidence,
  FieldChange,
  NoopStep,
  PlanAction,
  PlanCounts,
  PlanStep,
  PlanTarget,
  ReviewStep,
  SkipStep,
  StepKind,
  StepReason,
  TraceEntry,
  UpdateRecordStep,
  UpsertPlan,
} from "./types.js";
