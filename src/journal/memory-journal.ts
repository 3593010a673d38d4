import { err, ok, okAsync, type Result, ResultAsync } from "neverthrow";
import type { CrmError } from "../errors/index.js";
import { type Clock, systemClock } from "../internal/clock.js";
import { createFinishQueue } from "../internal/finish-queue.js";
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
  applySharedAuditPatch,
  checkEventId,
  createSharedAuditRecord,
  prepareAttempt,
} from "./record.js";
import { handOut } from "./shared-record.js";
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
 * Every operation is atomic because it runs synchronously inside one tick. Every record it returns is the
 * caller's own copy: changing it never changes the stored one.
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
  // A stored record is never changed, so a new version shares every part the write did not replace.
  const records = new Map<string, AuditRecord>();
  // Eviction order: every written version is queued by whether it is a settled success, and is current while it
  // is still the stored version. Queues, not the Map's insertion order: finding the first settled record in a Map
  // full of dead letters walked all of them on every write, and re-inserting on every write left holes in front.
  const settled = createFinishQueue<AuditRecord>();
  const open = createFinishQueue<AuditRecord>();
  const isCurrent = (record: AuditRecord): boolean => records.get(record.eventId) === record;
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
    records.set(record.eventId, record);
    const queue = SETTLED.has(record.status) ? settled : open;
    queue.push(record);
    // Updates leave stale versions behind; past twice what can be current the queue is pruned (amortised).
    if (queue.length > 2 * records.size + 1024) queue.prune(isCurrent);
    return handOut(record);
  };
  const evict = (): void => {
    while (records.size > maxRecords) {
      const victim = settled.take(isCurrent) ?? open.take(isCurrent);
      if (victim === undefined) return;
      records.delete(victim.eventId);
    }
  };
  // The stored record of a valid event id; written out rather than chained, as every write starts with it.
  const found = (eventId: unknown): Result<AuditRecord, CrmError> => {
    const id = checkEventId(eventId);
    if (id.isErr()) return err(id.error);
    const record = records.get(id.value);
    return record === undefined
      ? err(journalError("journal_not_found", `No audit record for event ${id.value}`))
      : ok(record);
  };

  return {
    begin: (input) =>
      run(() => {
        const id = checkEventId(input?.eventId);
        if (id.isErr()) return err(id.error);
        const existing = records.get(id.value);
        if (existing !== undefined) return ok({ record: handOut(existing), created: false });
        return createSharedAuditRecord(input, clock.now(), redaction).map((record) => {
          const written = write(record);
          evict();
          return { record: written, created: true };
        });
      }),
    appendAttempt: (eventId, attempt) =>
      run(() => {
        const record = found(eventId);
        if (record.isErr()) return record;
        const prepared = prepareAttempt(attempt, redaction);
        if (prepared.isErr()) return err(prepared.error);
        return ok(write(appendAuditAttempt(record.value, prepared.value, clock.now())));
      }),
    update: (eventId, patch, updateOptions) =>
      run(() => {
        const record = found(eventId);
        if (record.isErr()) return record;
        const next = applySharedAuditPatch(
          record.value,
          patch ?? {},
          clock.now(),
          updateOptions ?? {},
          redaction,
        );
        return next.isErr() ? next : ok(write(next.value));
      }),
    get: (eventId) =>
      run(() =>
        checkEventId(eventId).map((id) => {
          const record = records.get(id);
          return record === undefined ? undefined : handOut(record);
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
          const page = matching.slice(0, query.limit).map(handOut);
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
