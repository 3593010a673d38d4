import type { CrmObjectType, CrmOwner, CrmPipeline, FieldMeta } from "../adapter/index.js";

/**
 * Owners, pipelines and field metadata change rarely and cost a call each, so one run (or one `runMany` batch)
 * reads each at most once. Concurrent readers share the in-flight read; a failed read is forgotten so the next
 * reader tries again.
 */
export interface MetadataCache {
  owners(read: () => Promise<readonly CrmOwner[]>): Promise<readonly CrmOwner[]>;
  pipelines(
    type: "deal" | "ticket",
    read: () => Promise<readonly CrmPipeline[]>,
  ): Promise<readonly CrmPipeline[]>;
  fields(type: CrmObjectType, read: () => Promise<readonly FieldMeta[]>): Promise<readonly FieldMeta[]>;
}

/** A cache that lives as long as the run or batch that created it. */
export function createMetadataCache(): MetadataCache {
  const entries = new Map<string, Promise<unknown>>();
  const cached = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const hit = entries.get(key);
    if (hit !== undefined) return hit as Promise<T>;
    const pending = read();
    entries.set(key, pending);
    pending.catch(() => {
      if (entries.get(key) === pending) entries.delete(key);
    });
    return pending;
  };
  return {
    owners: (read) => cached("owners", read),
    pipelines: (type, read) => cached(`pipelines:${type}`, read),
    fields: (type, read) => cached(`fields:${type}`, read),
  };
}
