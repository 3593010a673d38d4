// The executor: the imperative shell around the pure planner. It parses, takes the idempotency lease, reads the
// snapshot, plans, applies step by step with checkpoints, and journals every outcome.
export { createSync, type Sync } from "./create-sync.js";
export type {
  RunManyOptions,
  StepRetryOptions,
  SyncEventParser,
  SyncFailure,
  SyncLogger,
  SyncObject,
  SyncOptions,
  SyncOutcome,
  SyncPlan,
  SyncProgress,
  SyncReview,
  SyncStatus,
} from "./types.js";
