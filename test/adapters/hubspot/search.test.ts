import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  changeWindowBody,
  checkSearchBody,
  HUBSPOT_SEARCH_LIMITS,
  nextChangeWindow,
  type SearchBody,
  splitInValues,
} from "../../../src/adapters/hubspot/search.js";

const emailBody = (values: readonly string[]): SearchBody => ({
  filterGroups: [{ filters: [{ propertyName: "email", operator: "IN", values }] }],
  properties: ["email", "firstname", "lastname"],
  sorts: [],
  limit: 200,
  after: "0",
});

describe("checkSearchBody", () => {
  it("accepts a body at every cap: 5 groups, 18 filters, 200 per page, results 9,800–10,000", () => {
    const filter = { propertyName: "email", operator: "EQ" as const, value: "a@b.c" };
    const body: SearchBody = {
      filterGroups: [4, 4, 4, 3, 3].map((n) => ({ filters: Array.from({ length: n }, () => filter) })),
      properties: [],
      sorts: [],
      limit: 200,
      after: "9800",
    };
    expect(checkSearchBody(body)).toBeUndefined();
  });

  it.each([
    [
      "6 filter groups",
      {
        filterGroups: Array.from({ length: 6 }, () => ({ filters: [] })),
        properties: [],
        sorts: [],
        limit: 10,
        after: "0",
      },
    ],
    [
      "7 filters in a group",
      {
        filterGroups: [
          {
            filters: Array.from({ length: 7 }, () => ({
              propertyName: "a",
              operator: "EQ" as const,
              value: "b",
            })),
          },
        ],
        properties: [],
        sorts: [],
        limit: 10,
        after: "0",
      },
    ],
    [
      "19 filters",
      {
        filterGroups: [0, 1, 2, 3].map(() => ({
          filters: Array.from({ length: 5 }, () => ({
            propertyName: "a",
            operator: "EQ" as const,
            value: "b",
          })),
        })),
        properties: [],
        sorts: [],
        limit: 10,
        after: "0",
      },
    ],
    ["a page of 201", { filterGroups: [], properties: [], sorts: [], limit: 201, after: "0" }],
    ["reading past 10,000", { filterGroups: [], properties: [], sorts: [], limit: 200, after: "9900" }],
    [
      "a body over 3,000 characters",
      { filterGroups: [], properties: ["x".repeat(3_000)], sorts: [], limit: 10, after: "0" },
    ],
  ] satisfies [string, SearchBody][])("rejects %s as payload_too_large", (_, body) => {
    const problem = checkSearchBody(body);
    expect([problem?.reason, problem?.action]).toEqual(["payload_too_large", "review"]);
  });
});

describe("splitInValues", () => {
  it("keeps every value exactly once, in order, in bodies that all pass the caps", () => {
    fc.assert(
      fc.property(fc.array(fc.emailAddress(), { maxLength: 400 }), (emails) => {
        const bodies = splitInValues(emails, emailBody);
        for (const body of bodies) expect(checkSearchBody(body)).toBeUndefined();
        const values = bodies.flatMap((b) => b.filterGroups[0]?.filters[0]?.values ?? []);
        expect(values).toEqual(emails);
      }),
      { numRuns: 60 },
    );
  });

  it("splits 250 long emails by the 3,000-character body cap, not only by the 100-value cap", () => {
    const emails = Array.from({ length: 250 }, (_, i) => `someone.with.a.long.name.${i}@example-company.com`);
    const bodies = splitInValues(emails, emailBody);
    expect(bodies.length).toBeGreaterThan(3);
    for (const body of bodies)
      expect(JSON.stringify(body).length).toBeLessThanOrEqual(HUBSPOT_SEARCH_LIMITS.maxBodyChars);
  });

  it("throws when one value alone cannot fit a search", () => {
    expect(() => splitInValues(["x".repeat(3_000)], emailBody)).toThrow(/does not fit/);
  });
});

describe("listChanged windows", () => {
  it("builds a page sorted by modification time ascending, filtered GTE since in epoch ms", () => {
    const body = changeWindowBody(
      { since: "2026-01-01T00:00:00.000Z", seenAtSince: [] },
      "lastmodifieddate",
      ["email"],
      undefined,
      0,
    );
    expect(body).toEqual({
      filterGroups: [
        {
          filters: [
            {
              propertyName: "lastmodifieddate",
              operator: "GTE",
              value: String(Date.parse("2026-01-01T00:00:00.000Z")),
            },
          ],
        },
      ],
      properties: ["email", "lastmodifieddate"],
      sorts: ["lastmodifieddate"],
      limit: 200,
      after: "0",
    });
  });

  it("never asks for a page that ends past the 10,000th result", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999 }), (read) => {
        const body = changeWindowBody({ since: "1", seenAtSince: [] }, "m", [], String(read), read);
        expect(read + body.limit).toBeLessThanOrEqual(HUBSPOT_SEARCH_LIMITS.maxResults);
      }),
    );
  });

  it("opens the next window at the newest time read, remembering the ids already yielded at it", () => {
    const next = nextChangeWindow({ since: "100", seenAtSince: [] }, [
      { id: "1", modifiedAt: "100" },
      { id: "2", modifiedAt: "200" },
      { id: "3", modifiedAt: "300" },
      { id: "4", modifiedAt: "300" },
    ]);
    expect(next).toEqual({ since: "300", seenAtSince: ["3", "4"] });
  });

  it("reports a window that cannot advance (every result shares one instant already seen)", () => {
    const yielded = [
      { id: "1", modifiedAt: "100" },
      { id: "2", modifiedAt: "100" },
    ];
    expect(nextChangeWindow({ since: "100", seenAtSince: ["1", "2"] }, yielded)).toBeUndefined();
    expect(nextChangeWindow({ since: "100", seenAtSince: ["1"] }, yielded)).toEqual({
      since: "100",
      seenAtSince: ["1", "2"],
    });
  });
});
