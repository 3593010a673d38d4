import type { Clock } from "../internal/clock.js";

// Adapters read owners, pipelines and field definitions on every sync although they change rarely; this cache keeps
// each read for `ttlMs` and lets concurrent callers share one request, so a burst of events costs one call.

/** Options of {@link createTtlCache}. */
export interface TtlCacheOptions {
  /** How long a load is served from the cache, counted from when it started. */
  readonly ttlMs: number;
  /** Time source of the expiry. */
  readonly clock: Clock;
}

/** A keyed cache of loads; a failed load is never served. */
export interface TtlCache {
  /**
   * The cached value of `key`, loading it when there is none, when it is older than `ttlMs`, or when `fresh` asks
   * to bypass the cache (after a miss that a newer read may resolve). Concurrent callers share a pending load.
   */
  get<T>(key: string, load: () => Promise<T>, fresh?: boolean): Promise<T>;
  /** When the entry of `key` was loaded (epoch ms), if it is cached. */
  loadedAt(key: string): number | undefined;
  /** Drops the entry of `key`; the next {@link TtlCache.get} loads it. */
  forget(key: string): void;
}

/**
 * Creates a cache whose entries expire `ttlMs` after their load started.
 *
 * @example
 * const cache = createTtlCache({ ttlMs: 300_000, clock });
 * const owners = await cache.get("owners", () => readOwners(ctx));
 */
export function createTtlCache(options: TtlCacheOptions): TtlCache {
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  return {
    get<T>(key: string, load: () => Promise<T>, fresh = false): Promise<T> {
      const hit = entries.get(key);
      const now = options.clock.now();
      if (!fresh && hit !== undefined && now - hit.at < options.ttlMs) return hit.value as Promise<T>;
      const value = load();
      entries.set(key, { at: now, value });
      // A failed load is not cached: the next caller tries again.
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    loadedAt: (key) => entries.get(key)?.at,
    forget(key) {
      entries.delete(key);
    },
  };
}
