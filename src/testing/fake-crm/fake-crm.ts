import {
  type AdapterCapabilities,
  CRM_OBJECT_TYPES,
  type CrmObjectType,
  type FieldMeta,
} from "../../adapter/index.js";
import { systemClock } from "../../internal/clock.js";
import { BUILT_IN_FAKE_FIELDS, DEFAULT_FAKE_OWNERS, DEFAULT_FAKE_PIPELINES } from "./defaults.js";
import { createFakeAdapter } from "./fake-adapter.js";
import { createFaultController } from "./faults.js";
import { createFakeStore } from "./store.js";
import type {
  FakeBatchSizes,
  FakeCall,
  FakeCallFilter,
  FakeCrm,
  FakeCrmOptions,
  FakeCrmProbe,
} from "./types.js";

const FULL_BATCH = 100;

function fail(option: string, message: string): never {
  throw new TypeError(`createFakeCrm: option \`${option}\` ${message}`);
}

function batchSizes(batch: FakeCrmOptions["batch"], hasUpsert: boolean): AdapterCapabilities["batchSizes"] {
  if (batch === undefined || batch === false) return {};
  const sizes: FakeBatchSizes =
    batch === true
      ? {
          read: FULL_BATCH,
          create: FULL_BATCH,
          update: FULL_BATCH,
          associate: FULL_BATCH,
          ...(hasUpsert ? { upsert: FULL_BATCH } : {}),
        }
      : batch;
  for (const [name, size] of Object.entries(sizes)) {
    if (size !== undefined && (!Number.isInteger(size) || size < 1))
      fail(`batch.${name}`, "must be a positive integer");
  }
  if (sizes.upsert !== undefined && !hasUpsert)
    fail("batch.upsert", "needs `upsertKeys` (a batch upsert needs a key)");
  return { ...sizes };
}

function fieldMaps(extra: FakeCrmOptions["fields"]): Map<CrmObjectType, Map<string, FieldMeta>> {
  const maps = new Map<CrmObjectType, Map<string, FieldMeta>>();
  for (const type of CRM_OBJECT_TYPES) {
    const map = new Map(BUILT_IN_FAKE_FIELDS[type].map((f) => [f.key, f] as const));
    for (const field of extra?.[type] ?? []) map.set(field.key, field);
    maps.set(type, map);
  }
  return maps;
}

function checkKeys(
  option: string,
  keys: FakeCrmOptions["upsertKeys"],
  fields: Map<CrmObjectType, Map<string, FieldMeta>>,
) {
  for (const [type, list] of Object.entries(keys ?? {}) as [CrmObjectType, readonly string[]][]) {
    for (const key of list) {
      if (fields.get(type)?.has(key) !== true)
        fail(`${option}.${type}`, `names "${key}", which is not a ${type} field`);
    }
  }
}

function matches(call: FakeCall, filter: FakeCallFilter): boolean {
  const methods =
    filter.method === undefined
      ? undefined
      : typeof filter.method === "string"
        ? [filter.method]
        : filter.method;
  return (
    (methods === undefined || methods.includes(call.method)) &&
    (filter.type === undefined || call.type === filter.type) &&
    (filter.kind === undefined || call.kind === filter.kind) &&
    (filter.failed === undefined || (call.error !== undefined) === filter.failed)
  );
}

/**
 * Creates an in-memory CRM that behaves like a real one where integrations go wrong: duplicates are possible
 * (unless `uniqueKeys` forbids them), owners can be inactive, search can lag writes, any call can be made to fail
 * with any reason of the error taxonomy (even after its write took effect), and every call is logged so tests can
 * count CRM requests per event.
 *
 * @example
 * const clock = createFakeClock();
 * const { adapter, probe } = createFakeCrm({ clock, searchLagMs: 2_000, batch: true, upsertKeys: { contact: ["email"] } });
 * probe.faults.inject({ method: "create", type: "contact", reason: "network_timeout", afterWrite: true });
 * // …run a sync with `adapter`, then:
 * expect(probe.duplicates("contact", "email")).toEqual([]);
 * expect(probe.callCount({ kind: "write" })).toBe(3);
 */
export function createFakeCrm(options: FakeCrmOptions = {}): FakeCrm {
  const provider = options.provider ?? "fake";
  if (!/^[a-z][a-z0-9-]*$/.test(provider))
    fail("provider", `must be a lower-case id such as "fake", got "${provider}"`);
  const searchLagMs = options.searchLagMs ?? 0;
  if (!Number.isFinite(searchLagMs) || searchLagMs < 0) fail("searchLagMs", "must be a number ≥ 0");
  const tickets = options.tickets ?? "native";
  if (tickets !== "native" && tickets !== "activity" && tickets !== "none")
    fail("tickets", 'must be "native", "activity" or "none"');
  const owners = options.owners ?? DEFAULT_FAKE_OWNERS;
  if (new Set(owners.map((o) => o.id)).size !== owners.length)
    fail("owners", "has two owners with the same id");

  const fields = fieldMaps(options.fields);
  checkKeys("upsertKeys", options.upsertKeys, fields);
  checkKeys("uniqueKeys", options.uniqueKeys, fields);
  const upsertKeys = Object.fromEntries(
    Object.entries(options.upsertKeys ?? {}).filter(([, keys]) => keys !== undefined && keys.length > 0),
  ) as AdapterCapabilities["upsertKeys"];
  const objects = CRM_OBJECT_TYPES.filter((type) => type !== "ticket" || tickets === "native");
  const capabilities: AdapterCapabilities = {
    objects,
    upsertKeys,
    batchSizes: batchSizes(options.batch, Object.keys(upsertKeys).length > 0),
    tickets,
    searchLagMs,
  };

  const clock = options.clock ?? systemClock;
  const store = createFakeStore({
    provider,
    clock,
    searchLagMs,
    objects,
    fields,
    owners,
    pipelines: options.pipelines ?? DEFAULT_FAKE_PIPELINES,
    uniqueKeys: options.uniqueKeys ?? {},
    records: options.records ?? [],
  });
  const faults = createFaultController(provider, options.faults ?? []);
  const calls: FakeCall[] = [];
  const adapter = createFakeAdapter({ provider, capabilities, store, faults, calls, clock });

  const probe: FakeCrmProbe = {
    get: (type, id) => store.get(type, id),
    list: (type) => store.list(type),
    associations: (ref) => store.associations(ref),
    findBy: (type, field, value) => store.find(type, field, value, false),
    duplicates: (type, field) => store.duplicates(type, field),
    get owners() {
      return store.owners;
    },
    setOwnerActive: (id, active) => store.setOwnerActive(id, active),
    advanceSearchIndex: () => store.advanceIndex(),
    get calls() {
      return calls;
    },
    callCount: (filter = {}) => calls.filter((call) => matches(call, filter)).length,
    clearCalls() {
      calls.length = 0;
    },
    faults: { inject: faults.inject, random: faults.random, clear: faults.clear, pending: faults.pending },
    reset() {
      store.reset();
      faults.clear();
      for (const rule of options.faults ?? []) faults.inject(rule);
      calls.length = 0;
    },
  };
  return { adapter, probe };
}
