import { describe, expect, it } from "vitest";
import type { PgQueryable } from "../../src/postgres/pg-like.js";
import { runMigration } from "../../src/postgres/run-migration.js";

function scripted(
  failures: Record<string, { code: string; times: number }>,
): PgQueryable & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    async query(text: string) {
      log.push(text);
      const failure = failures[text];
      if (failure !== undefined && failure.times > 0) {
        failure.times--;
        throw Object.assign(new Error("race"), { code: failure.code });
      }
      return { rows: [], rowCount: 0 };
    },
  } as PgQueryable & { log: string[] };
}

describe("runMigration", () => {
  it("runs a statement again when it lost a catalog race with another worker, then goes on", async () => {
    const client = scripted({
      "CREATE TABLE t": { code: "23505", times: 2 },
      "CREATE INDEX i": { code: "42P07", times: 1 },
    });
    await runMigration(client, ["CREATE TABLE t", "CREATE INDEX i"]);
    expect(client.log).toEqual([
      "CREATE TABLE t",
      "CREATE TABLE t",
      "CREATE TABLE t",
      "CREATE INDEX i",
      "CREATE INDEX i",
    ]);
  });

  it("fails at once on an error that is not a race, and after 6 attempts on a race that never resolves", async () => {
    await expect(
      runMigration(scripted({ "CREATE TABLE t": { code: "42501", times: 1 } }), ["CREATE TABLE t"]),
    ).rejects.toMatchObject({ code: "42501" });
    const stuck = scripted({ "CREATE TABLE t": { code: "40P01", times: 99 } });
    await expect(runMigration(stuck, ["CREATE TABLE t"])).rejects.toMatchObject({ code: "40P01" });
    expect(stuck.log).toHaveLength(6);
  });
});
