/**
 * In-process mutual exclusion by record key (`contact:email:ops@example.com`). Two different events about the same
 * contact that run at once in one process would both search, both find nothing and both create; holding the keys
 * of an event's searches from its snapshot read to its last write makes the second one see the first one's record.
 * Across processes the CRM's unique keys (or a native upsert) are what prevents that race.
 */
export interface KeyLocks {
  /** Waits until no other holder has any of `keys`, then holds them all; the returned function releases them. */
  acquire(keys: readonly string[]): Promise<() => void>;
}

/** Creates an empty lock table. */
export function createKeyLocks(): KeyLocks {
  const tails = new Map<string, Promise<void>>();
  return {
    async acquire(keys) {
      // Sorted, so two holders of overlapping key sets always wait in the same order and never deadlock.
      const sorted = [...new Set(keys)].sort();
      const releases: (() => void)[] = [];
      for (const key of sorted) {
        const previous = tails.get(key) ?? Promise.resolve();
        let release!: () => void;
        const mine = new Promise<void>((resolve) => {
          release = resolve;
        });
        const tail = previous.then(() => mine);
        tails.set(key, tail);
        releases.push(() => {
          release();
          if (tails.get(key) === tail) tails.delete(key);
        });
        await previous;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        for (const release of releases) release();
      };
    },
  };
}
