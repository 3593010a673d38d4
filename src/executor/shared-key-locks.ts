import { err, ok, type Result } from "neverthrow";
import type { IdempotencyError, IdempotencyStore, Lease } from "../idempotency/index.js";
import { type Clock, sleep } from "../internal/clock.js";

// The in-process key locks stop two events about one new record from both creating it, but only within one
// process. With several workers the shared idempotency store carries the same locks: a record key is a lease under
// its own scope, taken in sorted order (so two events never wait on each other) and let go when the event ends. A key
// whose record the event created is held a little longer, for the adapter's search lag: until then another
// worker's search would not find the record and would create it a second time.

/** What {@link SharedKeyLocks.acquire} hands its holder. */
export interface SharedKeyHold {
  /**
   * Lets the keys go; those in `created` stay held for the search lag and then lapse. Never fails: a key lost
   * meanwhile (its lease ran out) has already been let go.
   */
  release(created: ReadonlySet<string>): Promise<void>;
}

/** Why {@link SharedKeyLocks.acquire} gave up: the store failed, or another worker held a key past `waitMs`. */
export type SharedKeyLockError = IdempotencyError | { readonly type: "KeyLockTimeout"; readonly key: string };

/** Record-key locks shared by every process using one idempotency store. */
export interface SharedKeyLocks {
  /** Waits until this caller holds every key (at most `waitMs`), or gives up holding none of them. */
  acquire(keys: readonly string[]): Promise<Result<SharedKeyHold, SharedKeyLockError>>;
}

/** Options of {@link createSharedKeyLocks}. */
export interface SharedKeyLocksOptions {
  readonly store: IdempotencyStore;
  /** The store scope of the locks, apart from the sync's own records. */
  readonly scope: string;
  /** How long a key stays held by a holder that stops renewing it (a crashed worker); renewed every third of it. */
  readonly leaseMs: number;
  /** How long a key whose record was just created stays held: the adapter's `capabilities.searchLagMs`. */
  readonly holdAfterCreateMs: number;
  /** The longest wait for the keys before giving up. */
  readonly waitMs: number;
  readonly clock: Clock;
}

// Polling is how a waiter learns a key is free: the store SPI has no notifications. A short interval bounds the
// idle time after a release; the lease's own retry-after bounds it after a lapse.
const POLL_MS = 50;
const FINGERPRINT = "crmkit:key-lock";

/** Creates {@link SharedKeyLocks} on `options.store`. */
export function createSharedKeyLocks(options: SharedKeyLocksOptions): SharedKeyLocks {
  const { store, scope, leaseMs, clock } = options;

  const letGo = async (leases: readonly Lease[], created: ReadonlySet<string>): Promise<void> => {
    await Promise.all(
      leases.map((lease) =>
        created.has(lease.key) && options.holdAfterCreateMs > 0
          ? store.renew(lease, options.holdAfterCreateMs)
          : store.release(lease),
      ),
    );
  };

  const take = async (key: string, deadline: number): Promise<Result<Lease, SharedKeyLockError>> => {
    for (;;) {
      const outcome = await store.acquire({ scope, key, fingerprint: FINGERPRINT, leaseMs, ttlMs: leaseMs });
      if (outcome.isErr()) return err(outcome.error);
      const answer = outcome.value;
      if (answer.kind === "acquired") return ok(answer.lease);
      if (answer.kind !== "in_progress") {
        // Only this module writes the scope and it never completes a lock; a record that says otherwise is
        // foreign to the lock, so it is cleared rather than waited on.
        const removed = await store.delete(scope, key);
        if (removed.isErr()) return err(removed.error);
        continue;
      }
      const wait = Math.min(answer.retryAfterMs, POLL_MS);
      if (clock.now() + wait > deadline) return err({ type: "KeyLockTimeout", key });
      await sleep(clock, wait);
    }
  };

  return {
    async acquire(keys) {
      const deadline = clock.now() + options.waitMs;
      const leases: Lease[] = [];
      for (const key of [...new Set(keys)].sort()) {
        const lease = await take(key, deadline);
        if (lease.isErr()) {
          await letGo(leases, new Set());
          return err(lease.error);
        }
        leases.push(lease.value);
      }
      // A run may outlast one lease: the keys are renewed every third of it until they are let go.
      let stopped = false;
      let timer: unknown;
      const schedule = (): void => {
        timer = clock.setTimeout(renewAll, Math.max(1, Math.floor(leaseMs / 3)));
      };
      const renewAll = async (): Promise<void> => {
        const renewed = await Promise.all(leases.map((lease) => store.renew(lease, leaseMs)));
        renewed.forEach((result, i) => {
          if (result.isOk()) leases[i] = result.value;
        });
        if (!stopped) schedule();
      };
      if (leases.length > 0) schedule();
      return ok({
        release: (created) => {
          stopped = true;
          clock.clearTimeout(timer);
          return letGo(leases, created);
        },
      });
    },
  };
}
