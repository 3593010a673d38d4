// Conversions between Pipedrive's value formats and crmkit's canonical values, both ways: websites and domains, the
// `emails`/`phones` channel lists, due dates, the synthetic won/lost stage ids, ids and timestamps.

/** `"https://www.Example.com/about"` → `"example.com"`; `undefined` for an empty value. */
export function normalizeWebsite(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/:\d+$/, "")
    .replace(/^www\./, "");
  return host === "" ? undefined : host;
}

/** A contact channel list (`emails`, `phones`) entry. */
export interface PipedriveChannel {
  readonly value: string;
  readonly primary?: boolean | undefined;
  readonly label?: string | undefined;
}

/** The primary entry of a channel list, else the first. */
export function primaryChannel(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const items = list.filter(
    (item): item is PipedriveChannel =>
      typeof item === "object" && item !== null && typeof (item as PipedriveChannel).value === "string",
  );
  return (items.find((item) => item.primary === true) ?? items[0])?.value;
}

/** `list` with `value` as the primary entry; the other entries stay (without duplicates of `value`). */
export function withPrimary(list: unknown, value: string, compare = (a: string, b: string) => a === b) {
  const rest = (Array.isArray(list) ? (list as PipedriveChannel[]) : [])
    .filter((item) => typeof item?.value === "string" && !compare(item.value, value))
    .map((item) => ({ value: item.value, primary: false, label: item.label ?? "work" }));
  return [{ value, primary: true, label: "work" }, ...rest];
}

/** A person's emails, trimmed and lower-cased (v2 returns objects with `value`; plain strings are read too). */
export function emailsOf(json: Record<string, unknown>): string[] {
  return (Array.isArray(json["emails"]) ? json["emails"] : [])
    .map((e) => (typeof e === "object" && e !== null ? (e as { value?: unknown }).value : e))
    .filter((v): v is string => typeof v === "string" && v.trim() !== "")
    .map((v) => v.trim().toLowerCase());
}

/** `"2026-01-05T09:00:00.000Z"` → `{ due_date: "2026-01-05", due_time: "09:00" }` (UTC, as Pipedrive stores it). */
export function toDue(iso: string): { due_date: string; due_time?: string } {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return { due_date: iso.slice(0, 10) };
  const text = new Date(ms).toISOString();
  const time = text.slice(11, 16);
  return { due_date: text.slice(0, 10), ...(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? {} : { due_time: time }) };
}

/** `due_date` (+ `due_time`) → ISO-8601 UTC. */
export function fromDue(date: unknown, time: unknown): string | undefined {
  if (typeof date !== "string" || date === "") return undefined;
  const clock = typeof time === "string" && /^\d{2}:\d{2}/.test(time) ? time.slice(0, 5) : "00:00";
  return `${date}T${clock}:00.000Z`;
}

/** The synthetic stage id of a won or lost deal in a pipeline (`"3:won"`). */
export const statusStageId = (pipelineId: string, status: "won" | "lost"): string =>
  `${pipelineId}:${status}`;

/** Parses a synthetic stage id; `undefined` for a real (numeric) stage id. */
export function parseStatusStage(id: string): { pipelineId: string; status: "won" | "lost" } | undefined {
  const match = /^(\d+):(won|lost)$/.exec(id);
  return match === null ? undefined : { pipelineId: match[1] as string, status: match[2] as "won" | "lost" };
}

/** A Pipedrive id (a number, or a non-empty string) as a string. */
export const idOf = (value: unknown): string | undefined =>
  typeof value === "number" || (typeof value === "string" && value !== "") ? String(value) : undefined;

/** A Pipedrive timestamp as ISO-8601 UTC; v1 times are `YYYY-MM-DD HH:MM:SS` in UTC, v2 times RFC 3339. */
export function toIso(value: string): string {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(value) ? `${value.replace(" ", "T")}Z` : value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}
