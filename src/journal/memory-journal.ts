import { err, ok, okAsync, type Result, ResultAsync } from "neverthrow";
import type { CrmError } from "../errors/index.js";
import { type Clock, systemClock } from "../internal/clock.js";
import { journalError } from "./errors.js";
import {
  compareJournalPosition,
  encodeJournalCursor,
  matchesJournalFilter,
  normalizeJournalFilter,
  normalizeJournalListOptions,
  normalizeJournalPurge,
} from "./query.js";
import {
  appendAuditAttempt,
  applyAuditPatch,
  checkEventId,
  createAuditRecord,
  prepareAttempt,
} from "./record.js";
import { SETTLED_STATUSES } from "./statuses.js";
import type { AuditRecord, Journal, JournalPage } from "./types.js";

/** Options of {@link createMemoryJournal}. */
export interface MemoryJournalOptions {
  /**
   * Where `createdAt`/`updatedAt` come from; pass `createFakeClock()` in tests.
   * @default systemClock
   */
  clock?: Clock | undefined;
  /**
   * The most records kept. When a new record would exceed it, the least recently written settled success
   * (`applied`, `replayed`, `noop`) is dropped first, so dead letters survive longest; only when every record
   * needs attention does the least recently written one go.
   * @default 10_000
   */
  maxRecords?: number | undefined;
  /**
   * Exact secret values (tokens, client secrets) to scrub from everything stored, on top of the key- and
   * pattern-based redaction that always applies.
   * @default []
   */
  secrets?: readonly string[] | undefined;
}

const SETTLED: ReadonlySet<string> = new Set(SETTLED_STATUSES);

/**
 * An in-process {@link Journal} for tests, demos and single-process services: fast, exact and lost on restart.
 * Every operation is atomic because it runs synchronously inside one tick.
 *
 * @example
 * import { createMemoryJournal } from "crmkit";
 * const journal = createMemoryJournal();
 * const sync = createSync({ adapter, idempotency, journal, policy });
 * const deadLetters = await journal.list({ status: "dead_letter" });
 */
export function createMemoryJournal(options: MemoryJournalOptions = {}): Journal {
  const clock = options.clock ?? systemClock;
  const maxRecords = options.maxRecords ?? 10_000;
  if (!Number.isInteger(maxRecords) || maxRecords < 1) {
    throw new TypeError("createMemoryJournal: `maxRecords` must be a positive integer");
  }
  const redaction = { secrets: options.secrets ?? [] };
  // Map iteration order is insertion order; re-inserting on every write keeps it "least recently written first".
  const records = new Map<string, AuditRecord>();
  let closed = false;

  const run = <T>(body: () => Result<T, CrmError>): ResultAsync<T, CrmError> => {
    if (closed)
      return new ResultAsync(
        Promise.resolve(err(journalError("journal_unavailable", "The journal is closed"))),
      );
    let result: Result<T, CrmError>;
    try {
      result = body();
    } catch (cause) {
      result = err(journalError("journal_unavailable", "The memory journal failed", cause));
    }
    return new ResultAsync(Promise.resolve(result));
  };
  const write = (record: AuditRecord): AuditRecord => {
    records.delete(record.eventId);
    records.set(record.eventId, structuredClone(record));
    return record;
  };
  const evict = (): void => {
    while (records.size > maxRecords) {
      let victim: string | undefined;
      for (const [id, record] of records) {
        if (SETTLED.has(record.status)) {
          victim = id;
          break;
        }
      }
      records.delete(victim ?? (records.keys().next().value as string));
    }
  };
  const found = (eventId: string): Result<AuditRecord, CrmError> => {
    const record = records.get(eventId);
    return record === undefined
      ? err(journalError("journal_not_found", `No audit record for event ${eventId}`))
      : ok(record);
  };

  return {
    begin: (input) =>
      run(() => {
        const id = checkEventId(input?.eventId);
        if (id.isErr()) return err(id.error);
        const existing = records.get(id.value);
        if (existing !== undefined) return ok({ record: structuredClone(existing), created: false });
        return createAuditRecord(input, clock.now(), redaction).map((record) => {
          write(record);
          evict();
          return { record: structuredClone(record), created: true };
        });
      }),
    appendAttempt: (eventId, attempt) =>
      run(() =>
        checkEventId(eventId)
          .andThen(found)
          .andThen((record) =>
            prepareAttempt(attempt, redaction).map((prepared) =>
              structuredClone(write(appendAuditAttempt(record, prepared, clock.now()))),
            ),
          ),
      ),
    update: (eventId, patch, updateOptions) =>
      run(() =>
        checkEventId(eventId)
          .andThen(found)
          .andThen((record) => applyAuditPatch(record, patch ?? {}, clock.now(), updateOptions, redaction))
          .map((record) => structuredClone(write(record))),
      ),
    get: (eventId) =>
      run(() =>
        checkEventId(eventId).map((id) => {
          const record = records.get(id);
          return record === undefined ? undefined : structuredClone(record);
        }),
      ),
    list: (listOptions) =>
      run(() =>
        normalizeJournalListOptions(listOptions).map((query) => {
          const sign = query.order === "asc" ? 1 : -1;
          const { after } = query;
          const matching = [...records.values()]
            .filter((record) => matchesJournalFilter(record, query))
            .filter((record) => after === undefined || sign * compareJournalPosition(record, after) > 0)
            .sort((a, b) => sign * compareJournalPosition(a, b));
          const page = matching.slice(0, query.limit).map((record) => structuredClone(record));
          const last = page[page.length - 1];
          const result: JournalPage =
            matching.length > query.limit && last !== undefined
              ? { records: page, nextCursor: encodeJournalCursor(last) }
              : { records: page };
          return result;
        }),
      ),
    count: (filter) =>
      run(() =>
        normalizeJournalFilter(filter).map((query) => {
          let count = 0;
          for (const record of records.values()) if (matchesJournalFilter(record, query)) count++;
          return count;
        }),
      ),
    delete: (eventId) => run(() => checkEventId(eventId).map((id) => records.delete(id))),
    purge: (purgeOptions) =>
      run(() =>
        normalizeJournalPurge(purgeOptions).map(({ olderThan, statuses }) => {
          let deleted = 0;
          for (const [id, record] of records) {
            if (
              record.updatedAt < olderThan &&
              (statuses === undefined || statuses.includes(record.status))
            ) {
              records.delete(id);
              deleted++;
            }
          }
          return deleted;
        }),
      ),
    close: () => {
      closed = true;
      return okAsync(undefined);
    },
  };
}
