// SQL text shared by the Postgres idempotency store and journal. Table and schema names cannot be bound as
// parameters, so they are validated and quoted here before any statement text is built.

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * `value` as a quoted SQL identifier; throws at construction, naming `option`, unless it is a plain identifier
 * (letters, digits and `_`, at most 63 characters: PostgreSQL's limit, beyond which it would silently truncate).
 */
export function quoteIdentifier(option: string, value: string): string {
  if (typeof value !== "string" || !IDENTIFIER.test(value)) {
    throw new TypeError(
      `crmkit/postgres: option \`${option}\` must be a plain SQL identifier (letters, digits, _; ≤ 63 chars), got ${JSON.stringify(value)}`,
    );
  }
  return `"${value}"`;
}

/** A timestamptz column read back as epoch milliseconds (a float8, so the driver returns a number). */
export const epochMs = (column: string): string => `floor(extract(epoch from ${column}) * 1000)::float8`;
