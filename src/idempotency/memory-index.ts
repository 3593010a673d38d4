import { getRandomValues } from "node:crypto";

/** What {@link ScopedKeyIndex} stores: anything with a scope, a key and a hash the index maintains. */
export interface Indexed {
  readonly scope: string;
  readonly key: string;
  /** The item's hash in the index; written by the index only. */
  hash: number;
}

/**
 * A hash index of items by `(scope, key)`: open addressing with linear probing and backward-shift deletion,
 * the hashes in an `Int32Array` beside the items.
 *
 * A `Map` keyed by the key string paid, at 50k records with one eviction per new key, several cache misses per
 * lookup and per delete: every candidate in a bucket chain is a string compared by dereferencing it. Here a
 * probe reads consecutive hashes and dereferences an item only when its hash matches; a delete finds the item by
 * identity from its stored hash, and the items it shifts back are moved without being touched.
 */
export interface ScopedKeyIndex<T extends Indexed> {
  /** Items stored. */
  readonly size: number;
  /**
   * Slots; items sit at `0 … capacity - 1`. Doubles whenever the index would be more than half full and only
   * shrinks on `clear`: fewer than four slots (8 bytes each) per item at the peak size.
   */
  readonly capacity: number;
  /** The item stored under `(scope, key)`. */
  get(scope: string, key: string): T | undefined;
  /** Stores an item whose `(scope, key)` is not stored yet. */
  add(item: T): void;
  /** Removes an item (nothing happens when it is not stored); items after it may move to lower slots. */
  delete(item: T): void;
  /** The item at `slot`, for walks over the index. */
  at(slot: number): T | undefined;
  /** Removes everything and returns to the initial size. */
  clear(): void;
}

const MIN_CAPACITY = 16;

// Seeded per index and mixed on every character, so which keys collide depends on a random seed that whoever
// chooses the keys (webhook senders) does not know: not a cryptographic hash, but the same kind of defence as
// V8's seeded string hash behind a Map. The murmur3 finaliser spreads the result over the low bits we index by.
const mixString = (hash: number, text: string): number => {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h;
};

const finalise = (hash: number): number => {
  let h = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  // 0 marks an empty slot.
  return h === 0 ? 1 : h;
};

/**
 * Creates an empty {@link ScopedKeyIndex}. `onMove` is told about every item a deletion moves from slot `from`
 * to slot `to` (cyclically lower), so a walk over the slots can account for items that jumped behind it.
 */
export function createScopedKeyIndex<T extends Indexed>(
  onMove?: (item: T, to: number, from: number) => void,
): ScopedKeyIndex<T> {
  const seed = getRandomValues(new Int32Array(1))[0] ?? 0;
  let capacity = MIN_CAPACITY;
  let mask = capacity - 1;
  let hashes = new Int32Array(capacity);
  let items: (T | undefined)[] = new Array<T | undefined>(capacity).fill(undefined);
  let size = 0;
  // Scopes repeat from call to call (one tenant's events), so the mixed scope is kept for the next lookup.
  let scopeSeen: string | undefined;
  let scopeHash = 0;
  // The hash of the last lookup, reused by the insertion that usually follows a miss.
  let hashedScope: string | undefined;
  let hashedKey: string | undefined;
  let hashed = 0;

  const hashOf = (scope: string, key: string): number => {
    if (key === hashedKey && scope === hashedScope) return hashed;
    if (scope !== scopeSeen) {
      // A separator keeps ("ab", "c") and ("a", "bc") apart before the key is mixed in.
      scopeHash = Math.imul(mixString(seed, scope) ^ 0xffff, 0x5bd1e995);
      scopeSeen = scope;
    }
    hashedScope = scope;
    hashedKey = key;
    hashed = finalise(mixString(scopeHash, key));
    return hashed;
  };

  const place = (item: T, hash: number): void => {
    let i = hash & mask;
    while (hashes[i] !== 0) i = (i + 1) & mask;
    hashes[i] = hash;
    items[i] = item;
  };

  const resize = (next: number): void => {
    const oldHashes = hashes;
    const oldItems = items;
    capacity = next;
    mask = next - 1;
    hashes = new Int32Array(next);
    items = new Array<T | undefined>(next).fill(undefined);
    for (let i = 0; i < oldHashes.length; i++) {
      const item = oldItems[i];
      if (item !== undefined) place(item, oldHashes[i]!);
    }
  };

  return {
    get size() {
      return size;
    },
    get capacity() {
      return capacity;
    },
    get(scope, key) {
      const hash = hashOf(scope, key);
      for (let i = hash & mask; ; i = (i + 1) & mask) {
        const stored = hashes[i];
        if (stored === 0) return undefined;
        if (stored === hash) {
          const item = items[i]!;
          if (item.key === key && item.scope === scope) return item;
        }
      }
    },
    add(item) {
      // At most half full, so probes stay short and there is always an empty slot to stop at.
      if ((size + 1) * 2 > capacity) resize(capacity * 2);
      item.hash = hashOf(item.scope, item.key);
      place(item, item.hash);
      size += 1;
    },
    delete(item) {
      let hole = item.hash & mask;
      while (items[hole] !== item) {
        if (hashes[hole] === 0) return;
        hole = (hole + 1) & mask;
      }
      hashes[hole] = 0;
      items[hole] = undefined;
      size -= 1;
      // Backward shift: pull later items of the probe run into the hole unless their home slot lies cyclically
      // after the hole (then they would become unreachable from it).
      for (let j = (hole + 1) & mask; hashes[j] !== 0; j = (j + 1) & mask) {
        const home = hashes[j]! & mask;
        const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
        if (stays) continue;
        const moved = items[j]!;
        hashes[hole] = hashes[j]!;
        items[hole] = moved;
        hashes[j] = 0;
        items[j] = undefined;
        onMove?.(moved, hole, j);
        hole = j;
      }
    },
    at(slot) {
      return items[slot];
    },
    clear() {
      capacity = MIN_CAPACITY;
      mask = capacity - 1;
      hashes = new Int32Array(capacity);
      items = new Array<T | undefined>(capacity).fill(undefined);
      size = 0;
      hashedScope = undefined;
      hashedKey = undefined;
    },
  };
}
