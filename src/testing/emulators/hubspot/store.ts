import type { Clock } from "../../../internal/clock.js";
import type { IdGenerator } from "../common/ids.js";
import {
  ASSOCIATION_TYPES,
  DEFAULT_PIPELINES,
  DEFAULT_PROPERTIES,
  defaultAssociationType,
  lastModifiedProperty,
  OBJECT_TYPES,
} from "./defaults.js";
import type {
  HubSpotEmulatorOptions,
  HubSpotObjectType,
  HubSpotOwnerSeed,
  HubSpotPipelineSeed,
  HubSpotPropertyDefinition,
} from "./types.js";

/** What search sees of a record from `visibleAt` on. */
export interface IndexedVersion {
  visibleAt: number;
  properties: Record<string, string>;
  archived: boolean;
}

/** A record as the emulator stores it. Properties hold only non-empty string values. */
export interface StoredRecord {
  id: string;
  type: HubSpotObjectType;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number | undefined;
  /** Versions for search, oldest first; search uses the newest one already visible. */
  indexed: IndexedVersion[];
}

/** An owner with every field filled in. */
export interface StoredOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  archived: boolean;
  type: "PERSON" | "QUEUE";
  teams: NonNullable<HubSpotOwnerSeed["teams"]>;
}

/** The whole emulated account. Tests may read it through `emulator.state`; writes should go through the API. */
export interface HubSpotState {
  portalId: number;
  records: Record<HubSpotObjectType, Map<string, StoredRecord>>;
  properties: Record<HubSpotObjectType, Map<string, HubSpotPropertyDefinition>>;
  /** Association type ids per directed pair, keyed `fromType/fromId/toType/toId`. */
  associations: Map<string, Set<number>>;
  owners: StoredOwner[];
  pipelines: Record<"deals" | "tickets", HubSpotPipelineSeed[]>;
}

/** Everything route handlers share. */
export interface HubSpotContext {
  state: HubSpotState;
  clock: Clock;
  ids: IdGenerator & { reserve(id: string): void };
  /** Next correlation id for an error body. */
  correlationId(): string;
  searchLagMs: number;
}

/** Key of a directed association pair. */
export const pairKey = (fromType: string, fromId: string, toType: string, toId: string): string =>
  `${fromType}/${fromId}/${toType}/${toId}`;

/** ISO timestamp of an epoch-ms time. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Adds association type `typeId` from → to and its inverse to → from. */
export function addAssociation(state: HubSpotState, fromId: string, toId: string, typeId: number): void {
  const entry = ASSOCIATION_TYPES.get(typeId);
  if (entry === undefined) throw new RangeError(`unknown association type ${typeId}`);
  const add = (key: string, id: number): void => {
    let set = state.associations.get(key);
    if (set === undefined) {
      set = new Set();
      state.associations.set(key, set);
    }
    set.add(id);
  };
  add(pairKey(entry.from, fromId, entry.to, toId), entry.typeId);
  add(pairKey(entry.to, toId, entry.from, fromId), entry.inverse);
}

/** Removes every association between the two records, in both directions. */
export function removeAssociation(
  state: HubSpotState,
  fromType: HubSpotObjectType,
  fromId: string,
  toType: HubSpotObjectType,
  toId: string,
): void {
  state.associations.delete(pairKey(fromType, fromId, toType, toId));
  state.associations.delete(pairKey(toType, toId, fromType, fromId));
}

/** Ids of `toType` records associated with a record, ascending, with their type ids. */
export function associationsOf(
  state: HubSpotState,
  fromType: HubSpotObjectType,
  fromId: string,
  toType: HubSpotObjectType,
): { toId: string; typeIds: number[] }[] {
  const prefix = `${fromType}/${fromId}/${toType}/`;
  const out: { toId: string; typeIds: number[] }[] = [];
  for (const [key, set] of state.associations) {
    if (!key.startsWith(prefix) || set.size === 0) continue;
    const toId = key.slice(prefix.length);
    const target = state.records[toType].get(toId);
    if (target === undefined || target.archived) continue;
    out.push({ toId, typeIds: [...set].sort((a, b) => a - b) });
  }
  return out.sort((a, b) => Number(a.toId) - Number(b.toId) || a.toId.localeCompare(b.toId));
}

/** Pushes the current state of a record to the search index, visible after the configured lag. */
export function indexRecord(context: HubSpotContext, record: StoredRecord): void {
  const now = context.clock.now();
  // Drop versions superseded by one that is already visible; keep the newest visible and all pending ones.
  let newestVisible = -1;
  record.indexed.forEach((version, i) => {
    if (version.visibleAt <= now) newestVisible = i;
  });
  if (newestVisible > 0) record.indexed.splice(0, newestVisible);
  record.indexed.push({
    visibleAt: now + context.searchLagMs,
    properties: { ...record.properties },
    archived: record.archived,
  });
}

/** Builds the initial state from the emulator options (seeds are written without validation). */
export function createState(
  options: HubSpotEmulatorOptions,
  clock: Clock,
  ids: HubSpotContext["ids"],
): HubSpotState {
  const now = clock.now();
  const records = {} as HubSpotState["records"];
  const properties = {} as HubSpotState["properties"];
  for (const type of OBJECT_TYPES) {
    records[type] = new Map();
    const defs = new Map<string, HubSpotPropertyDefinition>();
    for (const def of [...DEFAULT_PROPERTIES[type], ...(options.properties?.[type] ?? [])])
      defs.set(def.name, def);
    properties[type] = defs;
  }
  const state: HubSpotState = {
    portalId: options.portalId ?? 62515,
    records,
    properties,
    associations: new Map(),
    owners: (options.owners ?? []).map((owner) => ({
      id: owner.id,
      email: owner.email,
      firstName: owner.firstName ?? "",
      lastName: owner.lastName ?? "",
      userId: owner.userId ?? Number(owner.id) + 1000,
      archived: owner.archived ?? false,
      type: owner.type ?? "PERSON",
      teams: owner.teams ?? [],
    })),
    pipelines: {
      deals: [...(options.pipelines?.deals ?? DEFAULT_PIPELINES.deals)],
      tickets: [...(options.pipelines?.tickets ?? DEFAULT_PIPELINES.tickets)],
    },
  };
  for (const type of OBJECT_TYPES) {
    for (const seed of options.records?.[type] ?? []) {
      if (seed.id !== undefined) ids.reserve(seed.id);
      const id = seed.id ?? ids.next();
      const props: Record<string, string> = {};
      for (const [key, value] of Object.entries(seed.properties)) if (value !== "") props[key] = value;
      if (type === "contacts" && props["email"] !== undefined)
        props["email"] = props["email"].trim().toLowerCase();
      props["hs_object_id"] = id;
      props["createdate"] ??= iso(now);
      props[lastModifiedProperty(type)] ??= iso(now);
      const record: StoredRecord = {
        id,
        type,
        properties: props,
        createdAt: now,
        updatedAt: now,
        archived: seed.archived ?? false,
        indexed: [],
      };
      // Seeds were "imported" before the test started, so they are searchable at once.
      record.indexed.push({ visibleAt: now, properties: { ...props }, archived: record.archived });
      records[type].set(id, record);
    }
  }
  for (const seed of options.associations ?? []) {
    const typeId = seed.typeId ?? defaultAssociationType(seed.from.type, seed.to.type)?.typeId;
    const entry = typeId === undefined ? undefined : ASSOCIATION_TYPES.get(typeId);
    if (entry === undefined || entry.from !== seed.from.type || entry.to !== seed.to.type)
      throw new TypeError(
        `createHubSpotEmulator: option \`associations\` has no association type ${typeId ?? "(default)"} from ${seed.from.type} to ${seed.to.type}`,
      );
    addAssociation(state, seed.from.id, seed.to.id, entry.typeId);
  }
  return state;
}
