import type { Clock } from "../../internal/clock.js";

// Pipedrive has no upsert and its search index lags writes, so two things keep one process from creating the same
// person or organization twice: a lock per lookup key around each create, and a memory of what this adapter wrote
// recently that its own lookups consult before search has caught up. Across processes neither helps: that is the
// idempotency store's job (docs/adapters/pipedrive.md, "Find-or-create").

/** The lookup key of a record: `contact:email:ada@example.com`, `company:domain:example.com`. */
export const lookupKey = (type: string, field: string, value: string): string =>
  `${type}:${field}:${value.trim().toLowerCase()}`;

/** What the adapter wrote recently, by lookup key. */
export interface RecentWrites {
  /** Remembers that record `id` has `key` (after a create or an update that set the key). */
  remember(key: string, id: string): void;
  /** Ids remembered under `key` that have not expired, oldest first. */
  ids(key: string): string[];
  /** Forgets `id` under `key` (the record no longer has the key, or no longer exists). */
  forget(key: string, id: string): void;
}

/** Creates the memory; entries expire `ttlMs` after they were written. */
export function createRecentWrites(clock: Clock, ttlMs: number): RecentWrites {
  const entries = new Map<string, { ids: Map<string, number> }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    const now = clock.now();
    for (const [id, at] of entry.ids) if (now - at > ttlMs) entry.ids.delete(id);
    return entry;
  };
  return {
    remember(key, id) {
      const entry = live(key) ?? { ids: new Map<string, number>() };
      entry.ids.delete(id);
      entry.ids.set(id, clock.now());
      entries.set(key, entry);
    },
    ids: (key) => [...(live(key)?.ids.keys() ?? [])],
    forget(key, id) {
      live(key)?.ids.delete(id);
    },
  };
}

/** A held lock: whether the caller had to wait for another holder, and how to release it. */
export interface HeldLock {
  readonly waited: boolean;
  release(): void;
}

/** In-process mutual exclusion per lookup key. */
export interface KeyedLocks {
  /** Resolves once no other caller holds `key`. */
  acquire(key: string): Promise<HeldLock>;
}

/** Creates an empty lock table; a key's entry disappears when its last holder releases it. */
export function createKeyedLocks(): KeyedLocks {
  const tails = new Map<string, Promise<void>>();
  return {
    async acquire(key) {
      const previous = tails.get(key);
      let release!: () => void;
      const mine = new Promise<void>((resolve) => {
        release = resolve;
      });
      const tail = (previous ?? Promise.resolve()).then(() => mine);
      tails.set(key, tail);
      if (previous !== undefined) await previous;
      let released = false;
      return {
        waited: previous !== undefined,
        release() {
          if (released) return;
          released = true;
          release();
          if (tails.get(key) === tail) tails.delete(key);
        },
      };
    },
  };
}
