import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareJournalPosition,
  decodeJournalCursor,
  encodeJournalCursor,
  isJournalError,
  normalizeJournalFilter,
  normalizeJournalListOptions,
  normalizeJournalPurge,
} from "../../src/journal/index.js";

describe("journal cursors", () => {
  it("decode(encode(position)) returns the position for any time and event id", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        fc.string({ maxLength: 512 }),
        (updatedAt, eventId) => {
          expect(decodeJournalCursor(encodeJournalCursor({ updatedAt, eventId }))._unsafeUnwrap()).toEqual({
            updatedAt,
            eventId,
          });
        },
      ),
    );
  });

  it("rejects anything that is not an encoded position with journal_invalid_input", () => {
    for (const cursor of [
      "",
      "%%%",
      Buffer.from('{"a":1}').toString("base64url"),
      Buffer.from("[1]").toString("base64url"),
    ]) {
      expect(isJournalError(decodeJournalCursor(cursor)._unsafeUnwrapErr(), "journal_invalid_input")).toBe(
        true,
      );
    }
  });

  it("orders positions by updatedAt, then eventId, as a total order", () => {
    const position = fc.record({
      updatedAt: fc.integer({ min: 0, max: 5 }),
      eventId: fc.string({ maxLength: 3 }),
    });
    fc.assert(
      fc.property(position, position, (a, b) => {
        expect(Math.sign(compareJournalPosition(a, b)) + Math.sign(compareJournalPosition(b, a))).toBe(0);
        expect(compareJournalPosition(a, b) === 0).toBe(
          a.updatedAt === b.updatedAt && a.eventId === b.eventId,
        );
      }),
    );
  });
});

describe("journal filters", () => {
  it("intersects status with statuses and drops a filter that allows every status", () => {
    expect(
      normalizeJournalFilter({ status: "review", statuses: ["review", "dead_letter"] })._unsafeUnwrap(),
    ).toEqual({
      statuses: ["review"],
    });
    expect(normalizeJournalFilter({ status: "review", statuses: ["dead_letter"] })._unsafeUnwrap()).toEqual({
      statuses: [],
    });
    expect(normalizeJournalFilter({ statuses: [] })._unsafeUnwrap()).toEqual({ statuses: [] });
  });

  it("accepts Dates and epoch ms for since and until", () => {
    expect(normalizeJournalFilter({ since: new Date(10), until: 20 })._unsafeUnwrap()).toEqual({
      since: 10,
      until: 20,
    });
    expect(normalizeJournalFilter({ since: new Date(Number.NaN) }).isErr()).toBe(true);
  });

  it("defaults list options to 100 records in ascending order and bounds the limit", () => {
    expect(normalizeJournalListOptions()._unsafeUnwrap()).toEqual({ limit: 100, order: "asc" });
    expect(normalizeJournalListOptions({ limit: 1000 }).isOk()).toBe(true);
    expect(normalizeJournalListOptions({ limit: 2.5 }).isErr()).toBe(true);
    expect(normalizeJournalListOptions({ order: "up" as never }).isErr()).toBe(true);
  });

  it("requires olderThan for purge", () => {
    expect(normalizeJournalPurge({ olderThan: 5 })._unsafeUnwrap()).toEqual({ olderThan: 5 });
    expect(normalizeJournalPurge({} as never).isErr()).toBe(true);
  });
});
