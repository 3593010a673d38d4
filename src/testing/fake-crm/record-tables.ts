import type { CrmObjectType, CrmRecord, CrmValue } from "../../adapter/index.js";
import type { Clock } from "../../internal/clock.js";
import { normalize, valuesOf } from "./match.js";
import { candidates, createRecordIndexes, type Stored } from "./record-indexes.js";

export type Props = Record<string, CrmValue>;

/**
 * The fake CRM's records by type, with their ids and their versions: `find` sees a record as it was `searchLagMs`
 * ago, so each record keeps the versions a lagged search can still read.
 */
export function createRecordTables(config: { readonly clock: Clock; readonly searchLagMs: number }) {
  const { clock } = config;
  const tables = new Map<CrmObjectType, Map<string, Stored>>();
  const counters = new Map<CrmObjectType, number>();
  let inserted = 0;
  const indexes = createRecordIndexes((type) => table(type).values());

  // Looked up on nearly every call, so the common case allocates nothing (not even an initialiser closure).
  const table = (type: CrmObjectType): Map<string, Stored> => {
    let records = tables.get(type);
    if (records === undefined) {
      records = new Map();
      tables.set(type, records);
    }
    return records;
  };
  const nextId = (type: CrmObjectType): string => {
    const ids = table(type);
    let n = counters.get(type) ?? 0;
    let id: string;
    do {
      n += 1;
      id = `${type}-${n}`;
    } while (ids.has(id));
    counters.set(type, n);
    return id;
  };
  // Records written in one burst share their millisecond: the last conversion answers most of them.
  let lastMs = Number.NaN;
  let lastIso: string | undefined;
  const iso = (ms: number): string | undefined => {
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
    }
    return lastIso;
  };

  const toRecord = (stored: Stored, properties: Readonly<Props> = stored.properties): CrmRecord => {
    const associations: Partial<Record<CrmObjectType, string[]>> = {};
    const targets = stored.links;
    if (targets !== undefined) {
      for (const target of targets.values()) {
        const ids = associations[target.type];
        if (ids === undefined) associations[target.type] = [target.id];
        else ids.push(target.id);
      }
    }
    return {
      type: stored.type,
      id: stored.id,
      properties: { ...properties },
      createdAt: iso(stored.createdAt),
      updatedAt: iso(stored.updatedAt),
      associations,
    };
  };

  const write = (stored: Stored, properties: Props): void => {
    const now = clock.now();
    stored.properties = properties;
    stored.updatedAt = now;
    const cutoff = now - config.searchLagMs;
    // Versions older than the newest already-visible one can never be read again.
    const visible = stored.versions.findLastIndex((v) => v.at <= cutoff);
    stored.versions = [...stored.versions.slice(Math.max(0, visible)), { at: now, properties }];
    indexes.reindex(stored);
  };

  const insert = (type: CrmObjectType, id: string, properties: Props, at: number): Stored => {
    const stored: Stored = {
      type,
      id,
      seq: inserted++,
      properties,
      createdAt: at,
      updatedAt: at,
      versions: [{ at, properties }],
      links: undefined,
    };
    table(type).set(id, stored);
    indexes.reindex(stored);
    return stored;
  };

  const matching = (type: CrmObjectType, field: string, value: string, lagged: boolean): CrmRecord[] => {
    const wanted = normalize(field, value);
    const cutoff = lagged ? clock.now() - config.searchLagMs : Number.POSITIVE_INFINITY;
    const out: CrmRecord[] = [];
    for (const stored of candidates(indexes.search(type, field), [wanted])) {
      const version = stored.versions.findLast((v) => v.at <= cutoff);
      if (version !== undefined && valuesOf(type, field, version.properties).includes(wanted)) {
        out.push(toRecord(stored, lagged ? version.properties : stored.properties));
      }
    }
    return out;
  };

  return { tables, counters, indexes, table, nextId, toRecord, write, insert, matching };
}
