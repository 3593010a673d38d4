import { describe, expect, it } from "vitest";
import {
  canTransition,
  isJournalStatus,
  isReplayableStatus,
  JOURNAL_STATUSES,
  REPLAYABLE_STATUSES,
  SETTLED_STATUSES,
  statusesAllowedBefore,
} from "../../src/journal/index.js";

describe("journal statuses", () => {
  it("recognises exactly the nine documented statuses", () => {
    expect(JOURNAL_STATUSES).toHaveLength(9);
    for (const status of JOURNAL_STATUSES) expect(isJournalStatus(status)).toBe(true);
    expect(isJournalStatus("failed")).toBe(false);
    expect(isJournalStatus(undefined)).toBe(false);
  });

  it("treats partial_review, review, dead_letter and rejected as replayable, and nothing else", () => {
    expect(JOURNAL_STATUSES.filter(isReplayableStatus)).toEqual([...REPLAYABLE_STATUSES]);
    expect(REPLAYABLE_STATUSES).toEqual(["partial_review", "review", "dead_letter", "rejected"]);
  });

  it("never lets a settled success change status", () => {
    for (const from of SETTLED_STATUSES) {
      expect(statusesAllowedBefore("dead_letter")).not.toContain(from);
      for (const to of JOURNAL_STATUSES) expect(canTransition(from, to)).toBe(from === to);
    }
  });

  it("never moves a record back to received, except by rewriting received itself", () => {
    expect(statusesAllowedBefore("received")).toEqual(["received"]);
  });

  it("lets a dead letter be claimed for replay and a replay finish as replayed", () => {
    expect(canTransition("dead_letter", "in_progress")).toBe(true);
    expect(canTransition("in_progress", "replayed")).toBe(true);
    expect(canTransition("rejected", "in_progress")).toBe(true);
    expect(canTransition("review", "applied")).toBe(true);
  });
});
