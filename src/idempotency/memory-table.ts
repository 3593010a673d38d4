import { createFinishQueue } from "../internal/finish-queue.js";
import { createScopedKeyIndex } from "./memory-index.js";
import type { Checkpoint, IdempotencyState } from "./types.js";

/** One record of the memory store, mutable in place; all times are epoch ms on the store's clock. */
export interface MemoryEntry {
  readonly scope: string;
  readonly key: string;
  /** The entry's hash in the table's index; maintained by the index. */
  hash: number;
  fingerprint: string;
  state: IdempotencyState;
  attempt: number;
  owner: string | undefined;
  leaseExpiresAt: number;
  createdAt: number;
  expiresAt: number;
  checkpoint: Checkpoint | undefined;
  /** The stored result as made by `snapshotJson`; `undefined` when there is none (or it was `undefined`). */
  result: unknown;
  error: string | undefined;
  /** How often the entry sits in the finished / released queue; only its last occurrence there is current. */
  inFinished: number;
  inReleased: number;
  /** Set when the entry leaves the table, so the queues can drop it without a lookup. */
  removed: boolean;
}

/** Tells an entry from the error a lookup returned instead (errors carry a `type`, entries never do). */
export function isEntry(found: MemoryEntry | { readonly type: string }): found is MemoryEntry {
  return !("type" in found);
}

/**
 * The record table behind the memory idempotency store: lookup, insertion, bounded eviction and reclamation of
 * expired records. Not atomic by itself; the store runs each operation to completion synchronously.
 */
export interface MemoryTable {
  /** Records held, expired ones not yet reclaimed included. */
  readonly size: number;
  /** Items in the eviction queues, stale ones included; bounded by about twice `size`. */
  readonly queued: number;
  /** The live entry for `(scope, key)`; an expired one is removed and reads as `undefined`. */
  find(scope: string, key: string, now: number): MemoryEntry | undefined;
  /** Stores a new in-progress entry (attempt 1) and returns it; `find` must have reported the key absent. */
  insert(
    scope: string,
    key: string,
    fingerprint: string,
    owner: string,
    leaseExpiresAt: number,
    createdAt: number,
    expiresAt: number,
  ): MemoryEntry;
  /** Removes an entry; false when it was already gone. */
  remove(entry: MemoryEntry): boolean;
  /** Must be called whenever an entry's `expiresAt` is set, so expiry checks can be skipped while none is due. */
  noteExpiry(expiresAt: number): void;
  /** Queues a finished (completed/failed) or released entry for eviction, in the order entries finish. */
  queue(entry: MemoryEntry): void;
  /** Reclaims a few expired entries; cheap when none can have expired yet. */
  sweep(now: number): void;
  /** Frees one slot for a new key; false when every entry holds a live lease. */
  evictOne(now: number): boolean;
  /** Deletes expired entries, `batchSize` per batch, at most `maxBatches` batches; returns how many. */
  purgeExpired(now: number, batchSize: number, maxBatches: number): number;
  /** Drops everything. */
  clear(): void;
}

// Amortised sweep: each call inspects this many entries (or this many slots times 16, when the index is sparse)
// from a cursor that walks the index round and round, so expired records are reclaimed without timers and
// without an O(n) pause.
const SWEEP_STEP = 4;

/** Creates an empty {@link MemoryTable}. */
export function createMemoryTable(): MemoryTable {
  // A lower bound of every stored expiresAt. While the clock is below it nothing can have expired, so the sweep
  // and the eviction scan skip their walks (with day-long TTLs: always). `passMin` collects the minimum over the
  // sweep's current pass plus every expiry noted meanwhile, so a finished pass can raise the bound safely.
  let earliest = Number.POSITIVE_INFINITY;
  let passMin = Number.POSITIVE_INFINITY;
  const noteExpiry = (expiresAt: number): void => {
    if (expiresAt < earliest) earliest = expiresAt;
    if (expiresAt < passMin) passMin = expiresAt;
  };
  let cursor = 0;
  // Deletions move entries to lower slots; one that jumps from the cursor's slot or beyond to behind it will not
  // be seen by this pass, so it is noted to keep `passMin` a bound over every entry the pass did not see.
  const index = createScopedKeyIndex<MemoryEntry>((moved, to, from) => {
    if (to < cursor && from >= cursor && moved.expiresAt < passMin) passMin = moved.expiresAt;
  });
  let cursorCapacity = index.capacity;

  const remove = (entry: MemoryEntry): boolean => {
    if (entry.removed) return false;
    entry.removed = true;
    index.delete(entry);
    return true;
  };

  // Eviction order lives in two queues instead of the index: completed/failed records in the order they
  // finished, released ones likewise, so finding the oldest one is O(1).
  const finished = createFinishQueue<MemoryEntry>();
  const released = createFinishQueue<MemoryEntry>();
  const isFinished = (entry: MemoryEntry): boolean => {
    entry.inFinished -= 1;
    return (
      entry.inFinished === 0 && !entry.removed && (entry.state === "completed" || entry.state === "failed")
    );
  };
  const isReleased = (entry: MemoryEntry): boolean => {
    entry.inReleased -= 1;
    return entry.inReleased === 0 && !entry.removed && entry.state === "released";
  };

  // A key finished again and again while the store is below `maxEntries` is queued each time but never taken:
  // past this length a queue is mostly stale, so it is pruned to what can be current (at most one item per entry).
  const pruneAt = (): number => 2 * index.size + 1024;
  // Pruning walks front to back like `take`, so the occurrence it keeps is an entry's last one: its count goes
  // back to 1.
  const keepFinished = (entry: MemoryEntry): boolean => {
    if (!isFinished(entry)) return false;
    entry.inFinished = 1;
    return true;
  };
  const keepReleased = (entry: MemoryEntry): boolean => {
    if (!isReleased(entry)) return false;
    entry.inReleased = 1;
    return true;
  };

  // A full scan for an expired entry; when it finds none it has seen every expiry, so the bound becomes exact.
  const removeFirstExpired = (now: number): boolean => {
    let min = Number.POSITIVE_INFINITY;
    for (let slot = 0; slot < index.capacity; slot++) {
      const entry = index.at(slot);
      if (entry === undefined) continue;
      if (entry.expiresAt <= now) return remove(entry);
      if (entry.expiresAt < min) min = entry.expiresAt;
    }
    earliest = min;
    return false;
  };

  return {
    get size() {
      return index.size;
    },
    get queued() {
      return finished.length + released.length;
    },
    find(scope, key, now) {
      const entry = index.get(scope, key);
      if (entry !== undefined && entry.expiresAt <= now) {
        remove(entry);
        return undefined;
      }
      return entry;
    },
    insert(scope, key, fingerprint, owner, leaseExpiresAt, createdAt, expiresAt) {
      const entry: MemoryEntry = {
        scope,
        key,
        hash: 0,
        fingerprint,
        state: "in_progress",
        attempt: 1,
        owner,
        leaseExpiresAt,
        createdAt,
        expiresAt,
        checkpoint: undefined,
        result: undefined,
        error: undefined,
        inFinished: 0,
        inReleased: 0,
        removed: false,
      };
      index.add(entry);
      noteExpiry(expiresAt);
      return entry;
    },
    remove,
    noteExpiry,
    queue(entry) {
      if (entry.state === "released") {
        entry.inReleased += 1;
        released.push(entry);
        if (released.length > pruneAt()) released.prune(keepReleased);
      } else {
        entry.inFinished += 1;
        finished.push(entry);
        if (finished.length > pruneAt()) finished.prune(keepFinished);
      }
    },
    sweep(now) {
      if (now < earliest) return;
      // Growing the index reshuffles every slot: the pass starts over (passMin stays a valid, looser bound).
      if (cursorCapacity !== index.capacity) {
        cursorCapacity = index.capacity;
        cursor = 0;
      }
      for (let seen = 0, slots = 0; seen < SWEEP_STEP && slots < SWEEP_STEP * 16; slots++) {
        if (cursor >= index.capacity) {
          cursor = 0;
          earliest = passMin;
          passMin = Number.POSITIVE_INFINITY;
          if (now < earliest) return;
        }
        const entry = index.at(cursor);
        if (entry === undefined) {
          cursor += 1;
          continue;
        }
        seen += 1;
        // A removal may pull the next entry into this slot, so the cursor only moves past live entries.
        if (entry.expiresAt <= now) remove(entry);
        else {
          if (entry.expiresAt < passMin) passMin = entry.expiresAt;
          cursor += 1;
        }
      }
    },
    // The oldest finished entry goes first, then any expired entry, then the oldest released one; live leases
    // are never evicted.
    evictOne(now) {
      const victim = finished.take(isFinished);
      if (victim !== undefined) return remove(victim);
      if (now >= earliest && removeFirstExpired(now)) return true;
      const last = released.take(isReleased);
      return last !== undefined && remove(last);
    },
    purgeExpired(now, batchSize, maxBatches) {
      let deleted = 0;
      let inBatch = 0;
      let batches = 0;
      for (let slot = 0; slot < index.capacity; ) {
        const entry = index.at(slot);
        if (entry === undefined || entry.expiresAt > now) {
          slot += 1;
          continue;
        }
        // The slot is checked again: the removal may have pulled a later entry into it.
        remove(entry);
        deleted++;
        if (++inBatch === batchSize) {
          inBatch = 0;
          if (++batches >= maxBatches) break;
        }
      }
      return deleted;
    },
    clear() {
      index.clear();
      finished.clear();
      released.clear();
      cursor = 0;
      cursorCapacity = index.capacity;
      earliest = Number.POSITIVE_INFINITY;
      passMin = Number.POSITIVE_INFINITY;
    },
  };
}
