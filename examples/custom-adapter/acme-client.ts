// The in-house "Acme CRM" as its own team ships it: a small client for its JSON-over-HTTP API, and an in-memory
// implementation of that client for tests and local development. Nothing here knows about crmkit: the adapter in
// in-house-crm.ts is the only place the two meet.

/** An Acme table. */
export type AcmeTable = "people" | "organizations" | "opportunities" | "tickets" | "notes" | "todos";

/** A row: Acme's own column names, JSON values. */
export interface AcmeRow {
  readonly id: string;
  readonly values: Readonly<Record<string, string | number | boolean | null>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AcmeRef {
  readonly table: AcmeTable;
  readonly id: string;
}

export interface AcmeUser {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly disabled: boolean;
}

export interface AcmePipeline {
  readonly id: string;
  readonly name: string;
  readonly kind: "opportunities" | "tickets";
  /** In board order. */
  readonly stages: readonly {
    readonly id: string;
    readonly name: string;
    readonly outcome: "open" | "won" | "lost";
  }[];
}

export interface AcmeColumn {
  readonly name: string;
  readonly label: string;
  readonly kind: "text" | "number" | "date" | "choice" | "user" | "pipeline" | "stage";
  readonly choices?: readonly string[] | undefined;
}

/** What Acme's API answers with on failure: `{ "error": { "code": "UNKNOWN_COLUMN", "column": "x" } }`. */
export class AcmeApiError extends Error {
  override readonly name = "AcmeApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly column?: string,
  ) {
    super(`Acme API ${status} ${code}${column === undefined ? "" : ` (${column})`}`);
  }
}

/** The Acme API client (`GET /:table?column=value`, `POST /:table`, `PATCH /:table/:id`, `PUT /links`, …). */
export interface AcmeClient {
  search(table: AcmeTable, column: string, value: string): Promise<AcmeRow[]>;
  read(table: AcmeTable, ids: readonly string[]): Promise<AcmeRow[]>;
  insert(table: AcmeTable, values: AcmeRow["values"]): Promise<AcmeRow>;
  patch(table: AcmeTable, id: string, values: AcmeRow["values"]): Promise<AcmeRow>;
  link(a: AcmeRef, b: AcmeRef): Promise<void>;
  links(ref: AcmeRef): Promise<AcmeRef[]>;
  users(): Promise<AcmeUser[]>;
  pipelines(): Promise<AcmePipeline[]>;
  columns(table: AcmeTable): Promise<AcmeColumn[]>;
}

const col = (
  name: string,
  label: string,
  kind: AcmeColumn["kind"],
  choices?: readonly string[],
): AcmeColumn => ({
  name,
  label,
  kind,
  choices,
});

/** The columns every Acme account has; admins add custom ones. */
export const ACME_STANDARD_COLUMNS: Readonly<Record<AcmeTable, readonly AcmeColumn[]>> = {
  people: [
    col("email_address", "Email", "text"),
    col("given_name", "First name", "text"),
    col("family_name", "Last name", "text"),
    col("phone_number", "Phone", "text"),
    col("title", "Job title", "text"),
    col("owner", "Owner", "user"),
  ],
  organizations: [
    col("org_name", "Name", "text"),
    col("website_domain", "Domain", "text"),
    col("owner", "Owner", "user"),
  ],
  opportunities: [
    col("title", "Title", "text"),
    col("pipeline", "Pipeline", "pipeline"),
    col("stage", "Stage", "stage"),
    col("value_cents", "Value (cents)", "number"),
    col("currency_code", "Currency", "text"),
    col("owner", "Owner", "user"),
    col("expected_close", "Expected close", "date"),
  ],
  tickets: [
    col("summary", "Summary", "text"),
    col("details", "Details", "text"),
    col("severity", "Severity", "choice", ["low", "medium", "high", "urgent"]),
    col("reference", "Reference", "text"),
    col("owner", "Owner", "user"),
  ],
  notes: [col("text", "Text", "text"), col("noted_at", "Noted at", "date"), col("author", "Author", "user")],
  todos: [
    col("title", "Title", "text"),
    col("details", "Details", "text"),
    col("due", "Due", "date"),
    col("urgency", "Urgency", "choice", ["low", "medium", "high"]),
    col("assignee", "Assignee", "user"),
  ],
};

/** What an in-memory Acme database starts with. */
export interface AcmeMemoryOptions {
  users: readonly AcmeUser[];
  pipelines: readonly AcmePipeline[];
  /** Custom columns per table, beyond {@link ACME_STANDARD_COLUMNS}. */
  customColumns?: Readonly<Partial<Record<AcmeTable, readonly AcmeColumn[]>>> | undefined;
  /** @default () => new Date().toISOString() */
  now?: (() => string) | undefined;
}

/** An in-memory Acme database behind the {@link AcmeClient} interface, validating writes like the real API. */
export function createAcmeMemoryClient(options: AcmeMemoryOptions): AcmeClient & {
  /** Every row of a table, straight from storage (for test assertions). */
  rows(table: AcmeTable): AcmeRow[];
} {
  const columnsOf = (name: AcmeTable): AcmeColumn[] => [
    ...ACME_STANDARD_COLUMNS[name],
    ...(options.customColumns?.[name] ?? []),
  ];
  const now = options.now ?? (() => new Date().toISOString());
  const rows = new Map<AcmeTable, Map<string, AcmeRow>>();
  const links = new Map<string, AcmeRef[]>();
  let sequence = 0;
  const table = (name: AcmeTable): Map<string, AcmeRow> => {
    const found = rows.get(name) ?? new Map<string, AcmeRow>();
    rows.set(name, found);
    return found;
  };
  const key = (ref: AcmeRef): string => `${ref.table}/${ref.id}`;

  const validate = (name: AcmeTable, values: AcmeRow["values"]): void => {
    const columns = new Map(columnsOf(name).map((c) => [c.name, c]));
    for (const [column, value] of Object.entries(values)) {
      const meta = columns.get(column);
      if (meta === undefined) throw new AcmeApiError(400, "UNKNOWN_COLUMN", column);
      if (value === null) continue;
      if (meta.kind === "choice" && !meta.choices?.includes(String(value)))
        throw new AcmeApiError(400, "BAD_CHOICE", column);
      if (meta.kind === "user") {
        const user = options.users.find((u) => u.id === value);
        if (user === undefined) throw new AcmeApiError(400, "NO_SUCH_USER", column);
        if (user.disabled) throw new AcmeApiError(400, "USER_DISABLED", column);
      }
      if (meta.kind === "pipeline" && !options.pipelines.some((p) => p.id === value)) {
        throw new AcmeApiError(400, "NO_SUCH_PIPELINE", column);
      }
      if (meta.kind === "stage" && !options.pipelines.some((p) => p.stages.some((s) => s.id === value))) {
        throw new AcmeApiError(400, "NO_SUCH_STAGE", column);
      }
    }
  };

  return {
    async search(name, column, value) {
      const wanted = value.toLowerCase();
      return [...table(name).values()].filter(
        (row) => String(row.values[column] ?? "").toLowerCase() === wanted,
      );
    },
    async read(name, ids) {
      return ids.flatMap((id) => table(name).get(id) ?? []);
    },
    async insert(name, values) {
      validate(name, values);
      const at = now();
      const row: AcmeRow = { id: `ac_${++sequence}`, values: { ...values }, createdAt: at, updatedAt: at };
      table(name).set(row.id, row);
      return row;
    },
    async patch(name, id, values) {
      const row = table(name).get(id);
      if (row === undefined) throw new AcmeApiError(404, "NOT_FOUND");
      validate(name, values);
      const next: AcmeRow = { ...row, values: { ...row.values, ...values }, updatedAt: now() };
      table(name).set(id, next);
      return next;
    },
    async link(a, b) {
      for (const ref of [a, b]) if (!table(ref.table).has(ref.id)) throw new AcmeApiError(404, "NOT_FOUND");
      for (const [from, to] of [
        [a, b],
        [b, a],
      ] as const) {
        const list = links.get(key(from)) ?? [];
        if (!list.some((r) => key(r) === key(to))) links.set(key(from), [...list, to]);
      }
    },
    async links(ref) {
      return [...(links.get(key(ref)) ?? [])];
    },
    async users() {
      return options.users.map((u) => ({ ...u }));
    },
    async pipelines() {
      return [...options.pipelines];
    },
    async columns(name) {
      return columnsOf(name);
    },
    rows: (name) => [...table(name).values()],
  };
}
