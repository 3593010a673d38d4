import {
  type CrmObjectType,
  type CrmOwner,
  type CrmPipeline,
  createTtlCache,
  type FieldMeta,
} from "../adapter/index.js";
import { systemClock } from "../internal/clock.js";

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
  // Nothing expires: the cache is dropped with its run.
  const cache = createTtlCache({ ttlMs: Number.POSITIVE_INFINITY, clock: systemClock });
  return {
    owners: (read) => cache.get("owners", read),
    pipelines: (type, read) => cache.get(`pipelines:${type}`, read),
    fields: (type, read) => cache.get(`fields:${type}`, read),
  };
}
