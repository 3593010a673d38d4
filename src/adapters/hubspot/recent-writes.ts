import type { CrmObjectType, CrmRecord } from "../../adapter/index.js";
import type { Clock } from "../../internal/clock.js";

/**
 * Records this adapter wrote, kept until HubSpot's search index has caught up with them (`searchLagMs`), so a
 * lookup by a searched key (company domain, ticket reference) right after a write still finds the record.
 */
export interface RecentWrites {
  /** Remembers records just created or updated (their properties as HubSpot returned them). */
  remember(records: readonly CrmRecord[]): void;
  /** Records written in the last `searchLagMs` whose `field` equals `value` (compared like the lookup does). */
  recall(type: CrmObjectType, field: string, value: string): CrmRecord[];
}

// Notes and tasks are never looked up by a key; contacts by email use batch reads, which never lag.
const SEARCHED: ReadonlySet<CrmObjectType> = new Set(["contact", "company", "deal", "ticket"]);
const MAX_ENTRIES = 50_000;

const caseInsensitive = (type: CrmObjectType, field: string): boolean =>
  (type === "contact" && field === "email") || (type === "company" && field === "domain");

/** Creates the memory of recent writes; `lagMs` 0 disables it. */
export function createRecentWrites(clock: Clock, lagMs: number): RecentWrites {
  // Insertion order is expiry order: every entry lives exactly `lagMs`.
  const entries = new Map<string, { record: CrmRecord; until: number }>();
  const prune = (now: number): void => {
    for (const [key, entry] of entries) {
      if (entry.until > now && entries.size <= MAX_ENTRIES) break;
      entries.delete(key);
    }
  };
  return {
    remember(records) {
      if (lagMs <= 0) return;
      const now = clock.now();
      for (const record of records) {
        if (!SEARCHED.has(record.type)) continue;
        const key = `${record.type}:${record.id}`;
        entries.delete(key);
        entries.set(key, { record, until: now + lagMs });
      }
      prune(now);
    },
    recall(type, field, value) {
      if (entries.size === 0) return [];
      prune(clock.now());
      const normalize = (v: string): string =>
        caseInsensitive(type, field) ? v.trim().toLowerCase() : v.trim();
      const wanted = normalize(value);
      const out: CrmRecord[] = [];
      for (const { record } of entries.values()) {
        const stored = record.properties[field];
        if (
          record.type === type &&
          stored !== undefined &&
          stored !== null &&
          normalize(String(stored)) === wanted
        )
          out.push(record);
      }
      return out;
    },
  };
}
