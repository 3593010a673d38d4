import { type Clock, systemClock } from "../internal/clock.js";
import {
  charge,
  chargeSlidingAt,
  createWindowState,
  fits,
  horizonMs,
  releasePermit,
  uncharge,
  usedNow,
  type WindowState,
  waitFor,
} from "./memory-window.js";
import type {
  RateLimitStore,
  ResolvedPolicy,
  StoreAcquireRequest,
  StoreAcquireResult,
  StorePolicyUsage,
  StoreScopeStats,
} from "./store.js";

/** Options for {@link createMemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** Time source for window math. @default systemClock */
  clock?: Clock | undefined;
  /**
   * How long an idle scope is kept after its last window, pause or lease runs out, before it is freed.
   * @default 60_000
   */
  graceMs?: number | undefined;
  /** Most scopes kept at once; beyond it the least recently admitted scope is dropped first. @default 100_000 */
  maxScopes?: number | undefined;
}

/** The in-process {@link RateLimitStore}: exact, allocation-light, shared by every limiter given the same instance. */
export interface MemoryRateLimitStore extends RateLimitStore {
  tryAcquire(scope: string, request: StoreAcquireRequest): StoreAcquireResult;
  stats(scope: string, policies: readonly ResolvedPolicy[]): StoreScopeStats;
  cooldown(scope: string, ms: number): number;
  /** How many scopes hold state (idle scopes are freed lazily, during later calls). */
  size(): number;
}

interface ScopeState {
  /** One state per policy id; a short array beats a Map for the two to four policies a scope has. */
  readonly windows: WindowState[];
  cooldownUntil: number;
  expiresAt: number;
  /** Admitted since the eviction hand last passed (CLOCK approximation of least-recently-used). */
  touched: boolean;
}

const ADMITTED_KIND = "admitted" as const;

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `createMemoryRateLimitStore: option \`${name}\` must be a positive number, got ${value}`,
    );
  }
  return value;
}

/**
 * Creates the default, in-process rate-limit store: ring buffers for sliding logs, bucket rings for rolling
 * counters, one counter per calendar period, leased permits for concurrency. Idle scopes are freed after their
 * window plus `graceMs`, and `maxScopes` caps memory whatever the traffic.
 *
 * @example
 * const store = createMemoryRateLimitStore({ maxScopes: 10_000 });
 * const limiter = createRateLimiter({ ...hubspotLimits({ tier: "professional" }), store });
 */
export function createMemoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): MemoryRateLimitStore {
  const clock = options.clock ?? systemClock;
  const graceMs = options.graceMs === undefined ? 60_000 : positive("graceMs", options.graceMs);
  const maxScopes = options.maxScopes === undefined ? 100_000 : positive("maxScopes", options.maxScopes);
  const scopes = new Map<string, ScopeState>();
  let nextSweep = clock.now() + graceMs;

  const sweep = (now: number): void => {
    nextSweep = now + graceMs;
    for (const [scope, state] of scopes) if (state.expiresAt + graceMs <= now) scopes.delete(scope);
  };

  // Second-chance eviction: a scope admitted since the hand last passed goes to the back once; the first one
  // not admitted since is dropped. Cheaper on the hot path than reordering the Map on every admission.
  const evictOne = (): void => {
    for (const [scope, state] of scopes) {
      if (!state.touched) {
        scopes.delete(scope);
        return;
      }
      state.touched = false;
      scopes.delete(scope);
      scopes.set(scope, state);
    }
  };

  const scopeState = (scope: string, now: number): ScopeState => {
    if (now >= nextSweep) sweep(now);
    let state = scopes.get(scope);
    if (state === undefined) {
      if (scopes.size >= maxScopes) evictOne();
      state = { windows: [], cooldownUntil: 0, expiresAt: now, touched: true };
      scopes.set(scope, state);
    }
    return state;
  };

  const findWindow = (state: ScopeState, id: string): WindowState | undefined => {
    const { windows } = state;
    for (let i = 0; i < windows.length; i++) if (windows[i]!.id === id) return windows[i];
    return undefined;
  };

  const windowFor = (state: ScopeState, policy: ResolvedPolicy): WindowState => {
    const { windows } = state;
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!;
      if (window.id !== policy.id) continue;
      if (fits(window, policy)) return window;
      const replaced = createWindowState(policy);
      windows[i] = replaced;
      return replaced;
    }
    const created = createWindowState(policy);
    windows.push(created);
    return created;
  };

  const extend = (state: ScopeState, until: number): void => {
    if (until > state.expiresAt) state.expiresAt = until;
  };

  return {
    distributed: false,

    tryAcquire(scope: string, request: StoreAcquireRequest): StoreAcquireResult {
      const { entries } = request;
      for (const entry of entries) {
        if (entry.units > entry.policy.effectiveLimit) {
          return {
            kind: "cost_exceeds_limit",
            policyId: entry.policy.id,
            limit: entry.policy.effectiveLimit,
          };
        }
      }
      const now = clock.now();
      const state = scopeState(scope, now);
      let wait = state.cooldownUntil > now ? state.cooldownUntil - now : 0;
      let blocking = "cooldown";
      for (const entry of entries) {
        const { policy, units } = entry;
        const window = windowFor(state, policy);
        const used = usedNow(window, policy, now);
        const policyWait = waitFor(window, policy, used, units, policy.effectiveLimit, now);
        if (policyWait > wait) {
          wait = policyWait;
          blocking = policy.id;
        }
      }
      if (wait > 0) return { kind: "wait", retryAfterMs: Math.ceil(wait), policyId: blocking };
      for (const entry of entries) {
        const { policy, units } = entry;
        const window = findWindow(state, policy.id)!;
        charge(window, units, now, request.permitId, request.leaseMs);
        extend(state, now + horizonMs(window, policy, now, request.leaseMs));
      }
      state.touched = true;
      return { kind: ADMITTED_KIND, now };
    },

    release(scope, permitId, policies) {
      const state = scopes.get(scope);
      if (state === undefined) return;
      for (const policy of policies) {
        const window = findWindow(state, policy.id);
        if (window?.kind === "concurrency") releasePermit(window, permitId);
      }
    },

    refund(scope, request, acquiredAt) {
      const state = scopes.get(scope);
      if (state === undefined) return;
      for (const { policy, units } of request.entries) {
        const window = findWindow(state, policy.id);
        if (window !== undefined) uncharge(window, units, acquiredAt, request.permitId, policy);
      }
    },

    cooldown(scope, ms) {
      const now = clock.now();
      const state = scopeState(scope, now);
      state.cooldownUntil = Math.max(state.cooldownUntil, now + Math.max(0, ms));
      extend(state, state.cooldownUntil);
      return state.cooldownUntil;
    },

    reconcile(scope, policy, vendorUsed, forMs) {
      if (policy.kind === "concurrency") return;
      const now = clock.now();
      const state = scopeState(scope, now);
      const window = windowFor(state, policy);
      const missing = Math.min(Math.floor(vendorUsed), policy.limit) - usedNow(window, policy, now);
      if (missing <= 0) return;
      // Phantom units leave a sliding log when the vendor's window resets (within one window from now).
      if (window.kind === "sliding") {
        const at = Math.min(now, Math.max(now - policy.windowMs + 1, now + forMs - policy.windowMs));
        chargeSlidingAt(window, missing, at);
      } else {
        charge(window, missing, now, "", 0);
      }
      extend(state, now + horizonMs(window, policy, now, 0));
    },

    stats(scope, policies): StoreScopeStats {
      const now = clock.now();
      const state = scopes.get(scope);
      const usage: StorePolicyUsage[] = policies.map((policy) => {
        const window = state === undefined ? undefined : findWindow(state, policy.id);
        if (state === undefined || window === undefined || !fits(window, policy))
          return { id: policy.id, used: 0 };
        const used = usedNow(window, policy, now);
        const resetInMs = waitFor(window, policy, used, 1, policy.effectiveLimit, now);
        return {
          id: policy.id,
          used,
          ...(resetInMs > 0 ? { resetInMs: Math.ceil(resetInMs) } : {}),
        };
      });
      return {
        now,
        ...(state !== undefined && state.cooldownUntil > now ? { cooldownUntil: state.cooldownUntil } : {}),
        policies: usage,
      };
    },

    size: () => scopes.size,
  };
}
