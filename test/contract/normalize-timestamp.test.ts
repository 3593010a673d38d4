import { describe, expect, it } from "vitest";
import { normalizeTimestamp } from "../../src/contract/index.js";

describe("normalizeTimestamp", () => {
  it.each([
    ["2024-05-01T12:03:11+02:00", "2024-05-01T10:03:11.000Z"],
    ["2024-05-01T10:03:11Z", "2024-05-01T10:03:11.000Z"],
    ["2024-05-01T10:03:11.481Z", "2024-05-01T10:03:11.481Z"],
    ["2024-05-01T10:03:11.123456789Z", "2024-05-01T10:03:11.123Z"],
    ["2024-05-01T10:03:11,5Z", "2024-05-01T10:03:11.500Z"],
    ["2024-05-01t10:03z", "2024-05-01T10:03:00.000Z"],
    ["2024-05-01 05:03:11-0500", "2024-05-01T10:03:11.000Z"],
    ["2024-05-01T15:33:11+05:30", "2024-05-01T10:03:11.000Z"],
    ["2024-05-01T11:03:11+01", "2024-05-01T10:03:11.000Z"],
    ["2024-01-01T00:30:00+01:00", "2023-12-31T23:30:00.000Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
  ])("normalizes %j to the instant %j in UTC", (input, expected) => {
    expect(normalizeTimestamp(input)._unsafeUnwrap()).toBe(expected);
  });

  it.each([["2024-05-01T10:03:11"], ["2024-05-01 10:03"], ["2024-05-01T10:03:11.000"]])(
    "rejects the zone-less %j as ambiguous",
    (input) => {
      const issue = normalizeTimestamp(input)._unsafeUnwrapErr().issues[0];
      expect(issue?.code).toBe("timestamp_without_zone");
      expect(issue?.message).toContain("add Z (UTC) or an offset");
    },
  );

  it.each([
    ["yesterday"],
    ["2024-05-01"],
    ["1714557791"],
    ["2024-13-01T00:00:00Z"],
    ["2023-02-29T00:00:00Z"],
    ["2024-05-01T24:00:00Z"],
    ["2024-05-01T10:60:00Z"],
    ["2024-05-01T10:00:60Z"],
    ["2024-05-01T10:00:00+19:00"],
    ["2024-05-01T10:00:00+02:75"],
    ["0999-05-01T10:00:00Z"],
    ["9999-12-31T23:00:00-02:00"],
  ])("rejects %j as an invalid timestamp", (input) => {
    expect(normalizeTimestamp(input)._unsafeUnwrapErr().issues[0]?.code).toBe("invalid_timestamp");
  });
});
