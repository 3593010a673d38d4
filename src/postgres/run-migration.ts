import type { PgQueryable } from "./pg-like.js";

// Catalog races of concurrent DDL: two workers both pass `IF NOT EXISTS` and one collides on the system catalog
// (unique violation, duplicate object), or deadlocks/serialization failures while both lock it. Each is resolved
// by running the statement again once the other worker has committed.
const RACE_CODES = new Set(["23505", "42P07", "42P06", "42710", "40P01", "40001", "XX000"]);
const ATTEMPTS = 6;

/**
 * Runs migration statements in order; a statement that loses a race with another worker running the same
 * migration is retried (up to 5 times, with a short growing pause) instead of failing the migration. Rejects with
 * the driver's error otherwise.
 */
export async function runMigration(client: PgQueryable, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(statement);
        break;
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (attempt >= ATTEMPTS || typeof code !== "string" || !RACE_CODES.has(code)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
      }
    }
  }
}
