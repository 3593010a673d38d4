/**
 * In-process mutual exclusion by record key (`contact:email:ops@example.com`). Two different events about the same
 * contact that run at once in one process would both search, both find nothing and both create; holding the keys
 * of an event's searches from its snapshot read to its last write makes the second one see the first one's record.
 * Across processes the CRM's unique keys (or a native upsert) are what prevents that race.
 *
 * A holder may {@link KeyHold.share share} a key once the key's record exists: from then on every waiter and newcomer
 * for that key runs at once (they all find the record; none can create a second one). Leads at one company would
 * otherwise run one after another behind the company's key, each adding a round of small batch calls to `runMany`.
 */
export interface KeyLocks {
  /** Waits until no other holder has any of `keys` exclusively, then holds them all. */
  acquire(keys: readonly string[]): Promise<KeyHold>;
}

/** What {@link KeyLocks.acquire} hands its holder: calling it releases every key it holds. */
export interface KeyHold {
  (): void;
  /**
   * Turns the holder's exclusive hold of `key` into a shared one: every waiter for it proceeds now, and so does every
   * later acquirer while anyone still holds it. Call it only once the key's record exists in the CRM. A key the
   * holder does not hold exclusively is left as it is.
   */
  share(key: string): void;
}

interface KeyState {
  /** Holders while the key is shared; 0 while one holder has it exclusively. */
  sharers: number;
  shared: boolean;
  readonly waiters: (() => void)[];
}

/** Creates an empty lock table. */
export function createKeyLocks(): KeyLocks {
  const states = new Map<string, KeyState>();

  // Takes `key` at once when it is free or shared (saying whether the caller holds it shared), or resolves once the
  // caller holds it: most keys are free, and a promise per key would cost more than the whole lock.
  const take = (key: string): boolean | Promise<boolean> => {
    const state = states.get(key);
    if (state === undefined) {
      states.set(key, { sharers: 0, shared: false, waiters: [] });
      return false;
    }
    if (state.shared) {
      state.sharers++;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      // Woken either alone (exclusive hand-over) or with every other waiter when the holder shares the key.
      state.waiters.push(() => resolve(state.shared));
    });
  };

  const give = (key: string, shared: boolean): void => {
    const state = states.get(key);
    if (state === undefined) return;
    if (shared) {
      state.sharers--;
      if (state.sharers > 0) return;
      state.shared = false;
    }
    const next = state.waiters.shift();
    if (next === undefined) states.delete(key);
    else next();
  };

  return {
    async acquire(keys) {
      // Sorted, so two holders of overlapping key sets always wait in the same order and never deadlock.
      const sorted = [...new Set(keys)].sort();
      const held = new Map<string, boolean>();
      for (const key of sorted) {
        const taken = take(key);
        held.set(key, typeof taken === "boolean" ? taken : await taken);
      }
      let released = false;
      const hold = (() => {
        if (released) return;
        released = true;
        for (const [key, shared] of held) give(key, shared);
      }) as KeyHold;
      hold.share = (key) => {
        const state = states.get(key);
        if (released || held.get(key) !== false || state === undefined) return;
        held.set(key, true);
        state.shared = true;
        state.sharers = 1 + state.waiters.length;
        for (const waiter of state.waiters.splice(0)) waiter();
      };
      return hold;
    },
  };
}
