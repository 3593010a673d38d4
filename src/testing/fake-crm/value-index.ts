/**
 * An inverted index from a (normalized) value to the items holding it, kept in step with the items by
 * {@link ValueIndex.update}. It may answer with more items than hold a value right now (the fake's search index
 * keeps lagged versions), never with fewer; callers re-check each candidate, so the index only decides how many
 * records a lookup looks at, never which ones match.
 */
export interface ValueIndex<T> {
  /** Re-reads `item`'s values: adds it under new ones, removes it from those it no longer holds. */
  update(item: T): void;
  /** The items indexed under `value`, or `undefined` when none are. */
  lookup(value: string): ReadonlySet<T> | undefined;
}

const NONE: readonly string[] = [];

/**
 * Creates a {@link ValueIndex} whose items hold the values `valuesOf` returns (duplicates allowed), filled from
 * `items`.
 */
export function createValueIndex<T>(
  valuesOf: (item: T) => readonly string[],
  items: Iterable<T> = [],
): ValueIndex<T> {
  const byValue = new Map<string, Set<T>>();
  const byItem = new Map<T, readonly string[]>();

  const update = (item: T): void => {
    const previous = byItem.get(item) ?? NONE;
    const next = valuesOf(item);
    for (const value of previous) {
      if (next.includes(value)) continue;
      const holders = byValue.get(value);
      holders?.delete(item);
      if (holders?.size === 0) byValue.delete(value);
    }
    for (const value of next) {
      const holders = byValue.get(value);
      if (holders === undefined) byValue.set(value, new Set<T>().add(item));
      else holders.add(item);
    }
    byItem.set(item, next);
  };

  for (const item of items) update(item);
  return { update, lookup: (value) => byValue.get(value) };
}
