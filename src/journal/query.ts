import { err, ok, type Result } from "neverthrow";
import type { CrmError } from "../errors/index.js";
import { journalError } from "./errors.js";
import { isJournalStatus, JOURNAL_STATUSES, type JournalStatus } from "./statuses.js";
import type {
  AuditRecord,
  JournalFilter,
  JournalListOptions,
  JournalPurgeOptions,
  JournalTime,
} from "./types.js";

/** Page size of `list` when no `limit` is given. */
export const DEFAULT_LIST_LIMIT = 100;
/** The largest page `list` returns. */
export const MAX_LIST_LIMIT = 1000;

/** A {@link JournalFilter} checked and reduced to plain values; for journal implementers. */
export interface NormalizedJournalFilter {
  /** The allowed statuses (possibly empty, which matches nothing); absent when every status matches. */
  readonly statuses?: readonly JournalStatus[];
  readonly eventType?: string;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
}

/** The position after which the next page starts. */
export interface JournalCursor {
  readonly updatedAt: number;
  readonly eventId: string;
}

/** {@link JournalListOptions} checked and reduced to plain values; for journal implementers. */
export interface NormalizedJournalListOptions extends NormalizedJournalFilter {
  readonly limit: number;
  readonly order: "asc" | "desc";
  readonly after?: JournalCursor;
}

const invalid = (message: string): CrmError => journalError("journal_invalid_input", message);

function time(value: JournalTime | undefined, name: string): Result<number | undefined, CrmError> {
  if (value === undefined) return ok(undefined);
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isFinite(ms))
    return err(invalid(`${name} must be epoch ms or a valid Date`));
  return ok(ms);
}

function statuses(list: readonly unknown[], name: string): Result<JournalStatus[], CrmError> {
  for (const status of list) {
    if (!isJournalStatus(status))
      return err(invalid(`${name} contains "${String(status)}", not a JournalStatus`));
  }
  return ok([...new Set(list as JournalStatus[])]);
}

/** Checks a filter; `journal_invalid_input` for unknown statuses or invalid times. */
export function normalizeJournalFilter(
  filter: JournalFilter = {},
): Result<NormalizedJournalFilter, CrmError> {
  const out: { -readonly [K in keyof NormalizedJournalFilter]: NormalizedJournalFilter[K] } = {};
  let allowed: JournalStatus[] | undefined;
  if (filter.statuses !== undefined) {
    if (!Array.isArray(filter.statuses)) return err(invalid("statuses must be an array"));
    const checked = statuses(filter.statuses, "statuses");
    if (checked.isErr()) return err(checked.error);
    allowed = checked.value;
  }
  if (filter.status !== undefined) {
    const checked = statuses([filter.status], "status");
    if (checked.isErr()) return err(checked.error);
    allowed = allowed === undefined ? checked.value : allowed.filter((status) => status === filter.status);
  }
  if (allowed !== undefined && allowed.length < JOURNAL_STATUSES.length) out.statuses = allowed;
  if (filter.eventType !== undefined) {
    if (typeof filter.eventType !== "string") return err(invalid("eventType must be a string"));
    out.eventType = filter.eventType;
  }
  const since = time(filter.since, "since");
  if (since.isErr()) return err(since.error);
  if (since.value !== undefined) out.since = since.value;
  const until = time(filter.until, "until");
  if (until.isErr()) return err(until.error);
  if (until.value !== undefined) out.until = until.value;
  return ok(out);
}

/** Checks list options; `journal_invalid_input` for a bad limit, order or cursor. */
export function normalizeJournalListOptions(
  options: JournalListOptions = {},
): Result<NormalizedJournalListOptions, CrmError> {
  const filter = normalizeJournalFilter(options);
  if (filter.isErr()) return err(filter.error);
  const limit = options.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    return err(invalid(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`));
  }
  const order = options.order ?? "asc";
  if (order !== "asc" && order !== "desc") return err(invalid('order must be "asc" or "desc"'));
  if (options.cursor === undefined) return ok({ ...filter.value, limit, order });
  const after = decodeJournalCursor(options.cursor);
  if (after.isErr()) return err(after.error);
  return ok({ ...filter.value, limit, order, after: after.value });
}

/** Checks purge options and returns the cut-off (epoch ms) and the statuses to purge (absent: all). */
export function normalizeJournalPurge(
  options: JournalPurgeOptions,
): Result<{ olderThan: number; statuses?: readonly JournalStatus[] }, CrmError> {
  if (typeof options !== "object" || options === null) return err(invalid("purge needs { olderThan }"));
  const olderThan = time(options.olderThan, "olderThan");
  if (olderThan.isErr()) return err(olderThan.error);
  if (olderThan.value === undefined) return err(invalid("purge needs olderThan"));
  const filter = normalizeJournalFilter({ statuses: options.statuses });
  if (filter.isErr()) return err(filter.error);
  return ok(
    filter.value.statuses === undefined
      ? { olderThan: olderThan.value }
      : { olderThan: olderThan.value, statuses: filter.value.statuses },
  );
}

/** True when `record` passes the filter. */
export function matchesJournalFilter(record: AuditRecord, filter: NormalizedJournalFilter): boolean {
  if (filter.statuses !== undefined && !filter.statuses.includes(record.status)) return false;
  if (filter.eventType !== undefined && record.eventType !== filter.eventType) return false;
  if (filter.since !== undefined && record.updatedAt < filter.since) return false;
  if (filter.until !== undefined && record.updatedAt >= filter.until) return false;
  return true;
}

/**
 * The list order: `updatedAt`, then `eventId` compared by code units (PostgreSQL's `COLLATE "C"` gives the same
 * order for ids below U+D800, which covers every id producers use in practice).
 */
export function compareJournalPosition(a: JournalCursor, b: JournalCursor): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? -1 : 1;
  if (a.eventId === b.eventId) return 0;
  return a.eventId < b.eventId ? -1 : 1;
}

/** The opaque cursor that resumes a listing after `position`. */
export function encodeJournalCursor(position: JournalCursor): string {
  return Buffer.from(JSON.stringify([position.updatedAt, position.eventId]), "utf8").toString("base64url");
}

/** Reads a cursor made by {@link encodeJournalCursor}; `journal_invalid_input` when it is malformed. */
export function decodeJournalCursor(cursor: string): Result<JournalCursor, CrmError> {
  const malformed = invalid("cursor is not a cursor returned by list()");
  if (typeof cursor !== "string" || cursor.length === 0 || cursor.length > 4096) return err(malformed);
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 2) return err(malformed);
    const [updatedAt, eventId] = parsed as [unknown, unknown];
    if (typeof updatedAt !== "number" || !Number.isFinite(updatedAt) || typeof eventId !== "string") {
      return err(malformed);
    }
    return ok({ updatedAt, eventId });
  } catch {
    return err(malformed);
  }
}
