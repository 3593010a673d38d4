import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import {
  type AuditRecord,
  isJournalError,
  type Journal,
  type JournalErrorCode,
  type JournalListOptions,
} from "../journal/index.js";
import type { JournalConformanceOptions, JournalConformanceRunner } from "./journal-conformance.js";

type Outcome<T> = { isOk(): boolean; isErr(): boolean } & ({ value: T } | { error: unknown });

export function expectOk<T>(result: Outcome<T>): T {
  if (result.isErr())
    assert.fail(`expected Ok, got Err ${JSON.stringify((result as { error: unknown }).error)}`);
  return (result as { value: T }).value;
}

export function expectErr(result: Outcome<unknown>, code: JournalErrorCode): void {
  assert.ok(
    result.isErr(),
    `expected Err ${code}, got Ok ${JSON.stringify((result as { value: unknown }).value)}`,
  );
  const error = (result as { error: unknown }).error;
  assert.ok(isJournalError(error, code), `expected ${code}, got ${JSON.stringify(error)}`);
}

export const SECRET = "s3cr3t-t0ken-value-123";

// Twenty concurrent writes, the i-th carrying `calls: i`: each attempt landed once, numbered 1 to 20.
export function assertTwentyAttempts(record: AuditRecord | undefined): void {
  assert.deepEqual(
    record?.attempts.map((a) => a.attempt),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  assert.deepEqual(
    [...(record?.attempts ?? [])].map((a) => a.calls).sort((a, b) => (a ?? 0) - (b ?? 0)),
    Array.from({ length: 20 }, (_, i) => i),
  );
}

export interface JournalTestContext {
  journal: Journal;
  /** A unique event type for this test, so shared storage does not leak between tests. */
  type: string;
  id(label: string): string;
}

/** What every group of journal conformance cases is registered with. */
export interface JournalSuite {
  readonly options: JournalConformanceOptions;
  test(name: string, body: (context: JournalTestContext) => Promise<void>): void;
  tick(ms?: number): Promise<void>;
  seed(context: JournalTestContext, label: string, status?: AuditRecord["status"]): Promise<AuditRecord>;
  listAll(journal: Journal, query: JournalListOptions): Promise<AuditRecord[]>;
}

export function createJournalSuite(
  it: JournalConformanceRunner["it"],
  options: JournalConformanceOptions,
): JournalSuite {
  const timeout = options.timeoutMs ?? 30_000;
  const tick = async (ms = 5): Promise<void> => {
    if (options.clock) await options.clock.advance(ms);
    else await new Promise((resolve) => setTimeout(resolve, ms + 1));
  };
  const test = (name: string, body: (context: JournalTestContext) => Promise<void>): void => {
    it(
      name,
      async () => {
        const journal = await options.create();
        const run = randomUUID();
        try {
          await body({ journal, type: `conformance.${run}`, id: (label) => `${run}:${label}` });
        } finally {
          await journal.close();
        }
      },
      timeout,
    );
  };
  const seed = async (
    context: JournalTestContext,
    label: string,
    status: AuditRecord["status"] = "received",
  ) =>
    expectOk(
      await context.journal.begin({
        eventId: context.id(label),
        raw: { label },
        eventType: context.type,
        status,
      }),
    ).record;
  const listAll = async (journal: Journal, query: JournalListOptions): Promise<AuditRecord[]> => {
    const all: AuditRecord[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const result = expectOk(await journal.list({ ...query, ...(cursor === undefined ? {} : { cursor }) }));
      all.push(...result.records);
      if (result.nextCursor === undefined) return all;
      cursor = result.nextCursor;
    }
    return assert.fail("list() never returned a last page");
  };
  return { options, test, tick, seed, listAll };
}
