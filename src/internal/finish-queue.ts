/**
 * A first-in first-out queue of items that can go stale after they were queued (deleted, re-leased, queued
 * again). Stale items are not searched for and removed when they go stale; {@link FinishQueue.take} skips them
 * when they reach the front, so every operation is amortised O(1). A `Map` used as a queue is not: deleting from
 * its front leaves holes that each lookup of the first key walks again until the table is rehashed.
 */
export interface FinishQueue<T> {
  /** Adds `item` at the back. */
  push(item: T): void;
  /** Removes items from the front until one `isCurrent` accepts, and returns it; `undefined` when none does. */
  take(isCurrent: (item: T) => boolean): T | undefined;
  /**
   * Drops every item `keep` rejects, keeping the order of the rest. Stale items otherwise leave only when they
   * reach the front, which never happens while nothing is taken: owners prune once the queue has grown well past
   * the items that can be current, so it stays bounded and the walk is amortised over the pushes since.
   */
  prune(keep: (item: T) => boolean): void;
  /** Items queued, stale ones included. */
  readonly length: number;
  /** Empties the queue. */
  clear(): void;
}

// The consumed front is cut off once it is both large and most of the array, so the copy is amortised.
const COMPACT_AFTER = 1024;

/** Creates an empty {@link FinishQueue}. */
export function createFinishQueue<T>(): FinishQueue<T> {
  let items: (T | undefined)[] = [];
  let head = 0;
  return {
    push(item) {
      items.push(item);
    },
    take(isCurrent) {
      while (head < items.length) {
        const item = items[head] as T;
        items[head] = undefined;
        head += 1;
        if (isCurrent(item)) {
          if (head >= COMPACT_AFTER && head * 2 >= items.length) {
            items = items.slice(head);
            head = 0;
          }
          return item;
        }
      }
      items = [];
      head = 0;
      return undefined;
    },
    prune(keep) {
      const kept: T[] = [];
      for (let i = head; i < items.length; i++) {
        const item = items[i] as T;
        if (keep(item)) kept.push(item);
      }
      items = kept;
      head = 0;
    },
    get length() {
      return items.length - head;
    },
    clear() {
      items = [];
      head = 0;
    },
  };
}
