/**
 * A bounded cache of computed values with approximately least-recently-used eviction: two generations, the
 * current one taking new and recently read entries and the previous one dropped whole when the current one
 * fills. Every operation is O(1); at most `capacity` entries are held.
 */
export interface BoundedMemo<V> {
  /** The cached value of `key`, or `undefined`; a hit keeps the entry for another generation. */
  get(key: string): V | undefined;
  /** Caches `value` under `key`. */
  set(key: string, value: V): void;
  /** Entries held, at most `capacity`. */
  readonly size: number;
}

/** Creates an empty {@link BoundedMemo} holding at most `capacity` (≥ 2) entries. */
export function createBoundedMemo<V>(capacity: number): BoundedMemo<V> {
  if (!Number.isSafeInteger(capacity) || capacity < 2) {
    throw new RangeError(`crmkit: a memo capacity must be an integer ≥ 2; got ${capacity}`);
  }
  const half = Math.floor(capacity / 2);
  let current = new Map<string, V>();
  let previous = new Map<string, V>();
  const set = (key: string, value: V): void => {
    if (current.size >= half) {
      previous = current;
      current = new Map();
    }
    current.set(key, value);
  };
  return {
    get(key) {
      const value = current.get(key);
      if (value !== undefined) return value;
      const old = previous.get(key);
      if (old !== undefined) {
        previous.delete(key);
        set(key, old);
      }
      return old;
    },
    set,
    get size() {
      return current.size + previous.size;
    },
  };
}
