import type {
  AssociationTarget,
  CrmObjectType,
  CrmOwner,
  CrmPipeline,
  CrmRecord,
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
import { duplicateGroups, valuesOf } from "./match.js";
import { candidates } from "./record-indexes.js";
import { createRecordTables, type Props } from "./record-tables.js";
import type { FakeRecordSeed } from "./types.js";
import { rejection, type ValidationContext, validateWrite } from "./validate.js";

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
  const { tables, counters, indexes, table, nextId, toRecord, write, insert, matching } =
    createRecordTables(config);
  const linksOf = (ref: RecordRef): AssociationTarget[] => [
    ...(table(ref.type).get(ref.id)?.links?.values() ?? []),
  ];

  // The fields never change, so every describe answers with one frozen list per type: consumers that index the
  // list once per answer (the planner does) then index it once.
  const descriptions = new Map<CrmObjectType, readonly FieldMeta[]>();
  const described = (type: CrmObjectType): readonly FieldMeta[] => {
    let list = descriptions.get(type);
    if (list === undefined) {
      list = Object.freeze([...(config.fields.get(type)?.values() ?? [])]);
      descriptions.set(type, list);
    }
    return list;
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

  // Every caller has checked that both records exist.
  const addLink = (from: RecordRef, to: AssociationTarget): void => {
    const record = table(from.type).get(from.id);
    if (record === undefined) return;
    const target: AssociationTarget = to.label === undefined ? { type: to.type, id: to.id } : to;
    if (record.links === undefined) record.links = new Map();
    record.links.set(refKey(to), target);
  };
  const link = (a: RecordRef, b: AssociationTarget): void => {
    addLink(a, b);
    addLink(b, { type: a.type, id: a.id });
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
      const taken = candidates(indexes.unique(type, field), values).find((other) => other.id !== selfId);
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

  const seed = (): void => {
    tables.clear();
    counters.clear();
    indexes.clear();
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
    describe: (type: CrmObjectType): readonly FieldMeta[] => described(type),
    hasField: (type: CrmObjectType, key: string): boolean => config.fields.get(type)?.has(key) === true,
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
          indexes.reindex(stored);
        }
      }
    },

    reset: seed,
  };
}

/** The store behind a fake CRM. */
export type FakeStore = ReturnType<typeof createFakeStore>;
