import type { Journal } from "../journal/index.js";
import { registerJournalAttemptTests } from "./journal-conformance-attempts.js";
import { createJournalSuite } from "./journal-conformance-harness.js";
import { registerJournalQueryTests } from "./journal-conformance-queries.js";
import { registerJournalRecordTests } from "./journal-conformance-records.js";
import { registerJournalRemovalTests } from "./journal-conformance-removal.js";
import { registerJournalUpdateTests } from "./journal-conformance-updates.js";

/** The two test-registration functions of any runner (vitest, jest, `node:test`, mocha). */
export interface JournalConformanceRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void;
}

/** Options of {@link runJournalConformance}. */
export interface JournalConformanceOptions {
  /** Shown in the suite name. @default "journal" */
  name?: string | undefined;
  /**
   * Creates a journal; called once per test, and the suite calls `close()` on it. Journals of different tests may
   * share storage: the suite scopes its queries by a unique `eventType` per test.
   */
  create(): Journal | Promise<Journal>;
  /**
   * A journal over a second connection to the same storage, for the concurrency tests; the suite closes it.
   * @default the test's own journal
   */
  createSecondConnection?: (() => Journal | Promise<Journal>) | undefined;
  /**
   * Moves the journal's clock (a fake clock injected into it). Without it the suite waits real milliseconds
   * wherever it needs two writes to get different timestamps.
   */
  clock?: { advance(ms: number): unknown } | undefined;
  /** Per-test timeout passed to `it`. @default 30_000 */
  timeoutMs?: number | undefined;
}

/**
 * The executable specification of {@link Journal}: record round trips, redaction of secrets everywhere, the status
 * life cycle, compare-and-set updates, attempts that are never lost under concurrent appends, keyset pagination
 * that stays stable under inserts, filters, counts, ordering, deletion and purging. Runner-agnostic: pass your
 * runner's `describe` and `it`.
 *
 * @example
 * import { describe, it } from "vitest";
 * import { createFakeClock, runJournalConformance } from "crmkit/testing";
 * const clock = createFakeClock();
 * runJournalConformance({ describe, it }, { create: () => createMemoryJournal({ clock }), clock });
 */
export function runJournalConformance(
  runner: JournalConformanceRunner,
  options: JournalConformanceOptions,
): void {
  const { describe, it } = runner;
  const suite = createJournalSuite(it, options);
  describe(`${options.name ?? "journal"} conformance`, () => {
    registerJournalRecordTests(suite);
    registerJournalUpdateTests(suite);
    registerJournalAttemptTests(suite);
    registerJournalQueryTests(suite);
    registerJournalRemovalTests(suite);
  });
}
