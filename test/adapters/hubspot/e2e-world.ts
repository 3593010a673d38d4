import { readFileSync } from "node:fs";
import type { CrmAdapter } from "../../../src/adapter/index.js";
import {
  createHubSpotAdapter,
  type HubSpotAdapter,
  type HubSpotAdapterOptions,
  type HubSpotApiVersion,
} from "../../../src/adapters/hubspot/index.js";
import { createSync, type SyncOptions } from "../../../src/executor/index.js";
import { createMemoryIdempotencyStore } from "../../../src/idempotency/index.js";
import { createMemoryJournal } from "../../../src/journal/index.js";
import { createPlanPolicy } from "../../../src/planner/index.js";
import {
  createHubSpotEmulator,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
} from "../../../src/testing/emulators/hubspot/index.js";
import { createFakeClock, type FakeClock } from "../../../src/testing/fake-clock.js";
import { createCountingFetch } from "../../helpers/counting-fetch.js";

// The world of the end-to-end tests: createSync + the HubSpot adapter + the HubSpot emulator over real HTTP on
// 127.0.0.1. Every component shares one fake clock; `drive` moves it to the next timer only while no HTTP request
// is in flight and the process is idle, so limiter waits, backoffs and day roll-overs take no real time and happen
// in a deterministic order.

/** The diagnostic lead fixture. */
export const DIAGNOSTIC_LEAD = JSON.parse(
  readFileSync(new URL("../../fixtures/events/diagnostic-lead.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
/** The fake clock's start. */
export const START = "2026-03-02T09:00:00.000Z";
const TOKEN = "pat-na1-e2e-token";
/** The routed account executive. */
export const AE = { id: "101", email: "ae@crmkit.test", firstName: "Ann", lastName: "Exec" };
const policy = createPlanPolicy({ routing: [{ role: "account_executive", owner: AE.email }] });

/** The diagnostic lead as new lead `n`: its own event ids, email and company domain. */
export function lead(n: number): Record<string, unknown> {
  const domain = `company${n}.test`;
  return {
    ...DIAGNOSTIC_LEAD,
    event_id: `evt_e2e_${n}`,
    source_record_id: `form_${n}`,
    correlation_id: `req_${n}`,
    contact: { email: `lead${n}@${domain}`, first_name: "Lead", last_name: String(n) },
    company: { name: `Company ${domain}`, domain },
  };
}

/** The shared fake clock; `fake` kept as an alias so the driver reads as "the fake clock". */
export interface DrivenClock extends FakeClock {
  readonly fake: FakeClock;
}

function createDrivenClock(): DrivenClock {
  const fake = createFakeClock({ start: START });
  return Object.assign(fake, { fake });
}

const realTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export interface World {
  readonly clock: DrivenClock;
  readonly emulator: HubSpotEmulator;
  /** An adapter on the emulator, sharing the clock; a private-app token and the Professional preset by default. */
  adapter(options?: Partial<HubSpotAdapterOptions>): HubSpotAdapter;
  sync(adapter: CrmAdapter, options?: Partial<SyncOptions>): ReturnType<typeof createSync>;
  /** Awaits `work`, moving the clock to the next timer whenever nothing is in flight. */
  drive<T>(work: PromiseLike<T>, maxSimulatedMs?: number): Promise<T>;
}

const cleanups: (() => Promise<void>)[] = [];

/** Closes every adapter and emulator the worlds created (call it in `afterEach`). */
export async function closeWorlds(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** A fresh emulator and clock; the world's adapters speak `apiVersion`. */
export async function createWorld(
  apiVersion: HubSpotApiVersion,
  options: HubSpotEmulatorOptions = {},
): Promise<World> {
  const clock = createDrivenClock();
  const emulator = createHubSpotEmulator({
    owners: [AE],
    tokens: [{ token: TOKEN }],
    ...options,
    clock,
  });
  const url = await emulator.listen();
  cleanups.push(() => emulator.close());
  const counting = createCountingFetch();
  const countingFetch = counting.fetch;
  return {
    clock,
    emulator,
    adapter(overrides = {}) {
      const credentials =
        overrides.oauth === undefined && overrides.tokenProvider === undefined ? { accessToken: TOKEN } : {};
      const limits = overrides.limiter === undefined ? { limits: { tier: "professional" as const } } : {};
      const adapter = createHubSpotAdapter({
        ...credentials,
        ...limits,
        baseUrl: url,
        fetch: countingFetch,
        clock,
        accountId: "62515",
        apiVersion,
        ...overrides,
      });
      cleanups.push(() => adapter.close());
      return adapter;
    },
    sync: (adapter, overrides = {}) =>
      createSync({
        adapter,
        idempotency: createMemoryIdempotencyStore({ clock }),
        journal: createMemoryJournal({ clock }),
        policy,
        clock,
        ...overrides,
      }),
    async drive(work, maxSimulatedMs = 48 * 3_600_000) {
      let settled = false;
      const watched = Promise.resolve(work).finally(() => {
        settled = true;
      });
      watched.catch(() => undefined);
      const deadline = clock.now() + maxSimulatedMs;
      let idleTurns = 0;
      while (!settled) {
        await realTurn();
        if (counting.inFlight > 0) {
          idleTurns = 0;
          continue;
        }
        // Three quiet turns: every continuation of the last response has run and parked on a timer or settled.
        if (++idleTurns < 3) continue;
        idleTurns = 0;
        const next = clock.nextTimerAt();
        if (next === undefined) continue;
        if (next > deadline) throw new Error(`drive: simulated time passed ${maxSimulatedMs} ms`);
        await clock.fake.setTime(Math.max(next, clock.now()));
      }
      return watched;
    },
  };
}

/** Ids of the `toType` records associated with a record in the emulator. */
export const linked = (
  world: World,
  from: Parameters<HubSpotEmulator["associations"]>[0],
  id: string,
  to: Parameters<HubSpotEmulator["associations"]>[2],
) => world.emulator.associations(from, id, to).map((link) => link.toId);

/** The largest number of requests matching `include` that arrived within any rolling `windowMs`. */
export function busiestWindow(world: World, windowMs: number, include: (path: string) => boolean): number {
  const times = world.emulator.requests.filter((r) => include(r.path)).map((r) => r.time);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** Resolves for everyone once `parties` callers are waiting: both racers have read before either writes. */
export function barrier(parties: number): () => Promise<void> {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    if (++waiting === parties) open();
    await opened;
  };
}
