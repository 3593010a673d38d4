import type { AssociationTarget, CrmObjectType, CrmValue } from "../../adapter/index.js";
import { valuesOf } from "./match.js";
import { createValueIndex, type ValueIndex } from "./value-index.js";

/** One state of a record, as the search index may still serve it. */
export interface Version {
  readonly at: number;
  readonly properties: Readonly<Record<string, CrmValue>>;
}

// A record's properties object is replaced on every write and never changed in place, so its versions share it.
/** A record as the fake CRM stores it. */
export interface Stored {
  readonly type: CrmObjectType;
  readonly id: string;
  /** Insertion order: lookups through an index return records in the order a scan of the table would. */
  readonly seq: number;
  properties: Record<string, CrmValue>;
  readonly createdAt: number;
  updatedAt: number;
  /** What the search index holds, oldest first; `find` reads the newest version older than the lag. */
  versions: Version[];
  /** Its associations by `type:id` of the other record; on the record, so a link costs no lookup by text. */
  links: Map<string, AssociationTarget> | undefined;
}

type Indexes = Map<CrmObjectType, Map<string, ValueIndex<Stored>>>;

const searchValues = (field: string) => (stored: Stored) => {
  if (stored.versions.length === 1) return valuesOf(stored.type, field, stored.versions[0]!.properties);
  return stored.versions.flatMap((version) => valuesOf(stored.type, field, version.properties));
};
const currentValues = (field: string) => (stored: Stored) =>
  valuesOf(stored.type, field, { [field]: stored.properties[field] ?? null });

/**
 * Indexes per type and field, built on the first lookup of that pair and kept in step on every write, so `find` and
 * the unique-key check cost the number of matching records instead of a scan of the table. The search index holds
 * every value of every version `find` may still read (lag included); the unique index the current values.
 */
export function createRecordIndexes(records: (type: CrmObjectType) => Iterable<Stored>) {
  const search: Indexes = new Map();
  const unique: Indexes = new Map();
  const indexOf = (
    indexes: Indexes,
    type: CrmObjectType,
    field: string,
    values: (field: string) => (stored: Stored) => readonly string[],
  ): ValueIndex<Stored> => {
    let byField = indexes.get(type);
    if (byField === undefined) {
      byField = new Map();
      indexes.set(type, byField);
    }
    let index = byField.get(field);
    if (index === undefined) {
      index = createValueIndex(values(field), records(type));
      byField.set(field, index);
    }
    return index;
  };
  return {
    /** The search index of `type` by `field`. */
    search: (type: CrmObjectType, field: string) => indexOf(search, type, field, searchValues),
    /** The unique-key index of `type` by `field`. */
    unique: (type: CrmObjectType, field: string) => indexOf(unique, type, field, currentValues),
    /** Brings every index of the record's type up to date with it. */
    reindex(stored: Stored): void {
      const bySearch = search.get(stored.type);
      if (bySearch !== undefined) for (const index of bySearch.values()) index.update(stored);
      const byUnique = unique.get(stored.type);
      if (byUnique !== undefined) for (const index of byUnique.values()) index.update(stored);
    },
    /** Forgets every index (they are rebuilt on the next lookup). */
    clear(): void {
      search.clear();
      unique.clear();
    },
  };
}

/** The records an index holds under any of `values`, in insertion order. */
export function candidates(index: ValueIndex<Stored>, values: readonly string[]): Stored[] {
  if (values.length === 1) {
    // A search for one value, most often one nothing holds yet: no set to merge into.
    const holders = index.lookup(values[0]!);
    if (holders === undefined) return [];
    const list = [...holders];
    return list.length > 1 ? list.sort((a, b) => a.seq - b.seq) : list;
  }
  const found = new Set<Stored>();
  for (const value of values) for (const stored of index.lookup(value) ?? []) found.add(stored);
  return [...found].sort((a, b) => a.seq - b.seq);
}
