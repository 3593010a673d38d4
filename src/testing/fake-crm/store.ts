import type {
  AssociationTarget,
  CrmObjectType,
  CrmOwner,
  CrmPipeline,
  CrmRecord,
  CrmValue,
  FieldMeta,
  OpenDealsQuery,
  RecordRef,
  UpdateInput,
  UpsertInput,
  UpsertResult,
  WriteInput,
} from "../../adapter/index.js";
import { CrmError } from "../../errors/index.js";
import type { Clock } from "../../internal/clock.js";
import { duplicateGroups, entry, normalize, valuesOf } from "./match.js";
import type { FakeRecordSeed } from "./types.js";
import { rejection, type ValidationContext, validateWrite } from "./validate.js";
import { createValueIndex, type ValueIndex } from "./value-index.js";

type Props = Record<string, CrmValue>;

interface Version {
  readonly at: number;
  readonly properties: Readonly<Props>;
}

interface Stored {
  readonly type: CrmObjectType;
  readonly id: string;
  /** Insertion order: lookups through an index return records in the order a scan of the table would. */
  readonly seq: number;
  properties: Props;
  readonly createdAt: number;
  updatedAt: number;
  /** What the search index holds, oldest first; `find` reads the newest version older than the lag. */
  versions: Version[];
}

/** Everything the store needs from `createFakeCrm`'s options, already defaulted. */
export interface FakeStoreConfig {
  readonly provider: string;
  readonly clock: Clock;
  readonly searchLagMs: number;
  readonly objects: readonly CrmObjectType[];
  readonly fields: ReadonlyMap<CrmObjectType, ReadonlyMap<string, FieldMeta>>;
  readonly owners: readonly CrmOwner[];
  readonly pipelines: readonly CrmPipeline[];
  readonly uniqueKeys: Readonly<Partial<Record<CrmObjectType, readonly string[]>>>;
  readonly records: readonly FakeRecordSeed[];
}

const ENGAGEMENTS = new Set<CrmObjectType>(["note", "task"]);
const refKey = (ref: RecordRef): string => `${ref.type}:${ref.id}`;

/** The fake CRM's records, associations and search index. Pure state: faults and the call log live outside. */
export function createFakeStore(config: FakeStoreConfig) {
  const { provider, clock } = config;
  let owners: CrmOwner[] = config.owners.map((o) => ({ ...o }));
  const ctx: ValidationContext = {
    provider,
    fields: config.fields,
    get owners() {
      return owners;
    },
    pipelines: config.pipelines,
  };
  const tables = new Map<CrmObjectType, Map<string, Stored>>();
  const links = new Map<string, Map<string, AssociationTarget>>();
  const counters = new Map<CrmObjectType, number>();
  let inserted = 0;
  // Indexes per type and field, built on the first lookup of that pair and kept in step on every write, so `find`
  // and the unique-key check cost the number of matching records instead of a scan of the table. The search index
  // holds every value of every version `find` may still read (lag included); the unique index the current values.
  const searchIndexes = new Map<CrmObjectType, Map<string, ValueIndex<Stored>>>();
  const uniqueIndexes = new Map<CrmObjectType, Map<string, ValueIndex<Stored>>>();

  const table = (type: CrmObjectType): Map<string, Stored> => entry(tables, type, () => new Map());
  const nextId = (type: CrmObjectType): string => {
    let n = counters.get(type) ?? 0;
    do n += 1;
    while (table(type).has(`${type}-${n}`));
    counters.set(type, n);
    return `${type}-${n}`;
  };
  const iso = (ms: number): string | undefined =>
    Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  const linksOf = (ref: RecordRef): AssociationTarget[] => [...(links.get(refKey(ref))?.values() ?? [])];

  const toRecord = (stored: Stored, properties: Readonly<Props> = stored.properties): CrmRecord => {
    const associations: Partial<Record<CrmObjectType, string[]>> = {};
    for (const target of linksOf(stored))
      associations[target.type] = [...(associations[target.type] ?? []), target.id];
    return {
      type: stored.type,
      id: stored.id,
      properties: { ...properties },
      createdAt: iso(stored.createdAt),
      updatedAt: iso(stored.updatedAt),
      associations,
    };
  };

  const supports = (type: CrmObjectType): void => {
    if (!config.objects.includes(type)) {
      throw new CrmError({
        reason: "configuration_error",
        provider,
        message: `This CRM has no ${type} objects`,
      });
    }
  };

  const link = (a: RecordRef, b: AssociationTarget): void => {
    const add = (from: RecordRef, to: AssociationTarget): void => {
      const target: AssociationTarget = to.label === undefined ? { type: to.type, id: to.id } : to;
      entry(links, refKey(from), () => new Map()).set(refKey(to), target);
    };
    add(a, b);
    add(b, { type: a.type, id: a.id });
  };

  /** Checks an association before anything is written; `from` is `undefined` while it is being created. */
  const checkLink = (fromType: CrmObjectType, from: RecordRef | undefined, to: AssociationTarget): void => {
    if (fromType === to.type || (ENGAGEMENTS.has(fromType) && ENGAGEMENTS.has(to.type))) {
      const message = `Cannot associate a ${fromType} with a ${to.type}`;
      throw rejection(provider, "association_type_error", message);
    }
    for (const ref of from === undefined ? [to] : [from, to]) {
      if (!table(ref.type).has(ref.id))
        throw rejection(provider, "not_found", `${ref.type} ${ref.id} does not exist`);
    }
  };

  const checkUnique = (type: CrmObjectType, merged: Readonly<Props>, selfId: string | undefined): void => {
    for (const field of config.uniqueKeys[type] ?? []) {
      const values = valuesOf(type, field, { [field]: merged[field] ?? null });
      // The earliest other record holding any of the values: the one a scan in insertion order meets first.
      const taken = candidates(indexOf(uniqueIndexes, type, field, currentValues), values).find(
        (other) => other.id !== selfId,
      );
      if (taken === undefined) continue;
      throw new CrmError({
        reason: "duplicate_conflict",
        provider,
        status: 409,
        existingId: taken.id,
        fields: [field],
        message: `A ${type} with this ${field} already exists (id ${taken.id})`,
      });
    }
  };

  const searchValues = (field: string) => (stored: Stored) => {
    if (stored.versions.length === 1) return valuesOf(stored.type, field, stored.versions[0]!.properties);
    return stored.versions.flatMap((version) => valuesOf(stored.type, field, version.properties));
  };
  const currentValues = (field: string) => (stored: Stored) =>
    valuesOf(stored.type, field, { [field]: stored.properties[field] ?? null });
  const indexOf = (
    indexes: Map<CrmObjectType, Map<string, ValueIndex<Stored>>>,
    type: CrmObjectType,
    field: string,
    values: (field: string) => (stored: Stored) => readonly string[],
  ): ValueIndex<Stored> => {
    const byField = entry(indexes, type, () => new Map<string, ValueIndex<Stored>>());
    return entry(byField, field, () => createValueIndex(values(field), table(type).values()));
  };
  const reindex = (stored: Stored): void => {
    for (const index of searchIndexes.get(stored.type)?.values() ?? []) index.update(stored);
    for (const index of uniqueIndexes.get(stored.type)?.values() ?? []) index.update(stored);
  };
  const candidates = (index: ValueIndex<Stored>, values: Iterable<string>): Stored[] => {
    const found = new Set<Stored>();
    for (const value of values) for (const stored of index.lookup(value) ?? []) found.add(stored);
    return [...found].sort((a, b) => a.seq - b.seq);
  };

  const write = (stored: Stored, properties: Props): void => {
    const now = clock.now();
    stored.properties = properties;
    stored.updatedAt = now;
    const cutoff = now - config.searchLagMs;
    // Versions older than the newest already-visible one can never be read again.
    const visible = stored.versions.findLastIndex((v) => v.at <= cutoff);
    stored.versions = [
      ...stored.versions.slice(Math.max(0, visible)),
      { at: now, properties: { ...properties } },
    ];
    reindex(stored);
  };

  const insert = (type: CrmObjectType, id: string, properties: Props, at: number): Stored => {
    const stored: Stored = {
      type,
      id,
      seq: inserted++,
      properties,
      createdAt: at,
      updatedAt: at,
      versions: [{ at, properties: { ...properties } }],
    };
    table(type).set(id, stored);
    reindex(stored);
    return stored;
  };

  const matching = (type: CrmObjectType, field: string, value: string, lagged: boolean): CrmRecord[] => {
    const wanted = normalize(field, value);
    const cutoff = lagged ? clock.now() - config.searchLagMs : Number.POSITIVE_INFINITY;
    const out: CrmRecord[] = [];
    for (const stored of candidates(indexOf(searchIndexes, type, field, searchValues), [wanted])) {
      const version = stored.versions.findLast((v) => v.at <= cutoff);
      if (version !== undefined && valuesOf(type, field, version.properties).includes(wanted)) {
        out.push(toRecord(stored, lagged ? version.properties : stored.properties));
      }
    }
    return out;
  };

  const seed = (): void => {
    tables.clear();
    links.clear();
    counters.clear();
    searchIndexes.clear();
    uniqueIndexes.clear();
    owners = config.owners.map((o) => ({ ...o }));
    // Seeds are stored as given (already indexed, never validated) so tests can seed states a CRM would now refuse,
    // such as a record owned by a since-deactivated user.
    // Explicit ids go in first (and move the counter past `<type>-N` ids) so generated ids never collide with them.
    for (const r of config.records) {
      if (r.id === undefined) continue;
      const n = r.id.startsWith(`${r.type}-`) ? Number(r.id.slice(r.type.length + 1)) : Number.NaN;
      if (Number.isSafeInteger(n)) counters.set(r.type, Math.max(counters.get(r.type) ?? 0, n));
      insert(r.type, r.id, { ...r.properties }, Number.NEGATIVE_INFINITY);
    }
    const withIds = config.records.map((r) => ({ seed: r, id: r.id ?? nextId(r.type) }));
    for (const { seed: r, id } of withIds) {
      if (r.id === undefined) insert(r.type, id, { ...r.properties }, Number.NEGATIVE_INFINITY);
    }
    for (const { seed: r, id } of withIds) {
      for (const target of r.associations ?? []) {
        if (!table(target.type).has(target.id)) {
          throw new TypeError(
            `createFakeCrm: \`records\` associates ${r.type} ${id} with missing ${target.type} ${target.id}`,
          );
        }
        link({ type: r.type, id }, target);
      }
    }
  };
  seed();

  const create = (type: CrmObjectType, input: WriteInput): CrmRecord => {
    supports(type);
    const merged = validateWrite(ctx, type, input.properties, undefined);
    checkUnique(type, merged, undefined);
    for (const target of input.associations ?? []) checkLink(type, undefined, target);
    const stored = insert(type, nextId(type), merged, clock.now());
    for (const target of input.associations ?? []) link(stored, target);
    return toRecord(stored);
  };

  const update = (type: CrmObjectType, input: UpdateInput): CrmRecord => {
    supports(type);
    const stored = table(type).get(input.id);
    if (stored === undefined) throw rejection(provider, "not_found", `${type} ${input.id} does not exist`);
    const merged = validateWrite(ctx, type, input.properties, stored.properties);
    checkUnique(type, merged, stored.id);
    for (const target of input.associations ?? []) checkLink(type, stored, target);
    write(stored, merged);
    for (const target of input.associations ?? []) link(stored, target);
    return toRecord(stored);
  };

  return {
    create,
    update,
    supports,
    get owners(): readonly CrmOwner[] {
      return owners;
    },
    setOwnerActive(id: string, active: boolean): void {
      if (!owners.some((o) => o.id === id)) throw new RangeError(`setOwnerActive: no owner "${id}"`);
      owners = owners.map((o) => (o.id === id ? { ...o, active } : o));
    },
    describe: (type: CrmObjectType): FieldMeta[] => [...(config.fields.get(type)?.values() ?? [])],
    pipelines: (objectType: "deal" | "ticket"): CrmPipeline[] =>
      config.pipelines.filter((p) => p.objectType === objectType),
    get: (type: CrmObjectType, id: string): CrmRecord | undefined => {
      const stored = table(type).get(id);
      return stored === undefined ? undefined : toRecord(stored);
    },
    list: (type: CrmObjectType): CrmRecord[] => [...table(type).values()].map((s) => toRecord(s)),
    associations: linksOf,
    find: matching,

    upsert(type: CrmObjectType, input: UpsertInput): UpsertResult {
      const found = matching(type, input.key.field, input.key.value, false);
      if (found.length > 1) {
        const ids = found.map((r) => r.id).join(", ");
        throw rejection(
          provider,
          "ambiguous_duplicate_match",
          `${found.length} ${type}s match ${input.key.field} (${ids})`,
        );
      }
      const existing = found[0];
      if (existing !== undefined)
        return { record: update(type, { ...input, id: existing.id }), created: false };
      const properties = { [input.key.field]: input.key.value, ...input.properties };
      return { record: create(type, { ...input, properties }), created: true };
    },

    associate(from: RecordRef, to: AssociationTarget): void {
      supports(from.type);
      supports(to.type);
      checkLink(from.type, from, to);
      link(from, to);
    },

    openDeals(query: OpenDealsQuery): CrmRecord[] {
      const dealIds = linksOf({ type: "contact", id: query.contactId }).filter((t) => t.type === "deal");
      const out: CrmRecord[] = [];
      for (const { id } of dealIds) {
        const deal = table("deal").get(id);
        if (deal === undefined) continue;
        const pipelineId = String(deal.properties["pipeline_id"] ?? "");
        if (query.pipelineId !== undefined && pipelineId !== query.pipelineId) continue;
        const pipeline = config.pipelines.find((p) => p.id === pipelineId);
        const stage = pipeline?.stages.find((s) => s.id === String(deal.properties["stage_id"] ?? ""));
        if (stage?.closed === true || stage?.won === true) continue;
        out.push(toRecord(deal));
      }
      return out;
    },

    changedSince(type: CrmObjectType, since: number): CrmRecord[] {
      return [...table(type).values()]
        .filter((s) => s.updatedAt >= since)
        .sort((a, b) => a.updatedAt - b.updatedAt)
        .map((s) => toRecord(s));
    },

    duplicates: (type: CrmObjectType, field: string): CrmRecord[][] =>
      duplicateGroups(type, field, [...table(type).values()]).map((g) => g.map((s) => toRecord(s))),

    advanceIndex(): void {
      for (const t of tables.values()) {
        for (const stored of t.values()) {
          stored.versions = [{ at: Number.NEGATIVE_INFINITY, properties: { ...stored.properties } }];
          reindex(stored);
        }
      }
    },

    reset: seed,
  };
}

/** The store behind a fake CRM. */
export type FakeStore = ReturnType<typeof createFakeStore>;
