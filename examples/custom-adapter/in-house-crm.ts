// A crmkit adapter for an in-house CRM ("Acme CRM"). It translates crmkit's canonical field keys to Acme's column
// names and back, maps Acme's error codes onto crmkit's error taxonomy, and declares what Acme can do (no batch
// endpoints, no native upsert, duplicates allowed, tickets native, immediately consistent search).
import {
  type AdapterCallContext,
  type CrmAdapter,
  CrmError,
  type CrmErrorReason,
  type CrmObjectType,
  type CrmPipeline,
  type CrmProperties,
  type CrmRecord,
  type CrmValue,
  classify,
  defineAdapter,
  type FieldMeta,
  type FieldType,
  reasonForStatus,
} from "crmkit";
import {
  AcmeApiError,
  type AcmeClient,
  type AcmeColumn,
  type AcmeRow,
  type AcmeTable,
} from "./acme-client.js";

const PROVIDER = "acme-crm";

/** Which Acme table holds each crmkit object type. */
export const ACME_TABLES: Readonly<Record<CrmObjectType, AcmeTable>> = {
  contact: "people",
  company: "organizations",
  deal: "opportunities",
  ticket: "tickets",
  note: "notes",
  task: "todos",
};

// Canonical key → Acme column. Keys missing here (custom fields such as `lead_source`) keep their name.
const COLUMNS: Readonly<Record<CrmObjectType, Readonly<Record<string, string>>>> = {
  contact: {
    email: "email_address",
    first_name: "given_name",
    last_name: "family_name",
    phone: "phone_number",
    job_title: "title",
    owner_id: "owner",
  },
  company: { name: "org_name", domain: "website_domain", owner_id: "owner" },
  deal: {
    name: "title",
    pipeline_id: "pipeline",
    stage_id: "stage",
    amount: "value_cents",
    currency: "currency_code",
    owner_id: "owner",
    close_date: "expected_close",
  },
  ticket: {
    subject: "summary",
    description: "details",
    priority: "severity",
    external_ref: "reference",
    owner_id: "owner",
  },
  note: { body: "text", timestamp: "noted_at", owner_id: "author" },
  task: { subject: "title", body: "details", due_at: "due", priority: "urgency", owner_id: "assignee" },
};

const FIELD_TYPES: Readonly<Record<AcmeColumn["kind"], FieldType>> = {
  text: "string",
  number: "number",
  date: "date",
  choice: "enum",
  user: "reference",
  pipeline: "reference",
  stage: "reference",
};

const ERROR_CODES: Readonly<Record<string, CrmErrorReason>> = {
  UNKNOWN_COLUMN: "invalid_property",
  BAD_CHOICE: "invalid_enum",
  USER_DISABLED: "inactive_owner",
  NO_SUCH_USER: "validation_failed",
  NO_SUCH_PIPELINE: "validation_failed",
  NO_SUCH_STAGE: "validation_failed",
  NOT_FOUND: "not_found",
};

const columnOf = (type: CrmObjectType, key: string): string => COLUMNS[type][key] ?? key;
const keyOf = (type: CrmObjectType, column: string): string =>
  Object.entries(COLUMNS[type]).find(([, c]) => c === column)?.[0] ?? column;

// Acme stores money in cents; crmkit's `amount` is in major units.
function toAcme(type: CrmObjectType, properties: CrmProperties): AcmeRow["values"] {
  const values: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(properties)) {
    const column = columnOf(type, key);
    if (type === "deal" && key === "amount" && value !== null)
      values[column] = Math.round(Number(value) * 100);
    else
      values[column] = Array.isArray(value) ? value.join(";") : (value as string | number | boolean | null);
  }
  return values;
}

/** An Acme row as a crmkit record with canonical keys. */
export function fromAcme(type: CrmObjectType, row: AcmeRow): CrmRecord {
  const properties: Record<string, CrmValue> = {};
  for (const [column, value] of Object.entries(row.values)) {
    const key = keyOf(type, column);
    properties[key] = type === "deal" && key === "amount" && typeof value === "number" ? value / 100 : value;
  }
  return { type, id: row.id, properties, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/** Maps anything the Acme client throws onto crmkit's taxonomy, naming fields by their canonical keys. */
function toCrmError(error: unknown, type: CrmObjectType | undefined): CrmError {
  if (!(error instanceof AcmeApiError)) return classify(error, { provider: PROVIDER });
  const column = error.column;
  return new CrmError({
    reason: ERROR_CODES[error.code] ?? reasonForStatus(error.status),
    provider: PROVIDER,
    code: error.code,
    status: error.status,
    fields: column === undefined ? undefined : [type === undefined ? column : keyOf(type, column)],
    cause: error,
  });
}

/** Options for {@link createAcmeCrmAdapter}. */
export interface AcmeCrmAdapterOptions {
  /** The Acme API client (the real HTTP one in production, `createAcmeMemoryClient` in tests). */
  client: AcmeClient;
}

/**
 * Creates the crmkit adapter for Acme CRM.
 *
 * @example
 * const adapter = createAcmeCrmAdapter({ client: createAcmeHttpClient({ baseUrl, token }) });
 * const sync = createSync({ adapter, idempotency, policy });
 */
export function createAcmeCrmAdapter(options: AcmeCrmAdapterOptions): CrmAdapter {
  const { client } = options;
  if (typeof client?.search !== "function")
    throw new TypeError("createAcmeCrmAdapter: option `client` is required");

  // Every Acme failure leaves the adapter as a CrmError: the SPI's only error type.
  const guard = async <T>(
    type: CrmObjectType | undefined,
    ctx: AdapterCallContext | undefined,
    run: () => Promise<T>,
  ) => {
    if (ctx?.signal?.aborted === true) throw new CrmError({ reason: "aborted", provider: PROVIDER });
    try {
      return await run();
    } catch (error) {
      throw toCrmError(error, type);
    }
  };
  const ref = (type: CrmObjectType, id: string) => ({ table: ACME_TABLES[type], id });
  const linkAll = async (
    type: CrmObjectType,
    id: string,
    targets: readonly { type: CrmObjectType; id: string }[],
  ) => {
    // Acme has no create-with-links endpoint: links are separate, idempotent calls.
    for (const target of targets) await client.link(ref(type, id), ref(target.type, target.id));
  };
  const pipelines = async (): Promise<CrmPipeline[]> =>
    (await client.pipelines()).map((p) => ({
      id: p.id,
      label: p.name,
      objectType: p.kind === "opportunities" ? "deal" : "ticket",
      stages: p.stages.map((s, order) => ({
        id: s.id,
        label: s.name,
        order,
        closed: s.outcome !== "open",
        won: s.outcome === "won",
      })),
    }));

  return defineAdapter({
    provider: PROVIDER,
    capabilities: {
      objects: ["contact", "company", "deal", "ticket", "note", "task"],
      upsertKeys: {},
      batchSizes: {},
      tickets: "native",
      searchLagMs: 0,
    },
    find: (query, ctx) =>
      guard(query.type, ctx, async () => {
        const rows = await client.search(
          ACME_TABLES[query.type],
          columnOf(query.type, query.field),
          query.value,
        );
        return rows.slice(0, query.limit ?? 10).map((row) => fromAcme(query.type, row));
      }),
    get: (type, ids, ctx) =>
      guard(type, ctx, async () =>
        (await client.read(ACME_TABLES[type], ids)).map((row) => fromAcme(type, row)),
      ),
    findOpenDeals: (query, ctx) =>
      guard("deal", ctx, async () => {
        const linked = await client.links(ref("contact", query.contactId));
        const ids = linked.filter((r) => r.table === "opportunities").map((r) => r.id);
        const open = new Set(
          (await pipelines()).flatMap((p) => p.stages.filter((s) => !s.closed).map((s) => s.id)),
        );
        return (await client.read("opportunities", ids))
          .filter((row) => query.pipelineId === undefined || row.values["pipeline"] === query.pipelineId)
          .filter((row) => open.has(String(row.values["stage"])))
          .map((row) => fromAcme("deal", row));
      }),
    listOwners: (ctx) =>
      guard(undefined, ctx, async () =>
        (await client.users()).map((u) => ({
          id: u.id,
          email: u.email,
          name: u.displayName,
          active: !u.disabled,
        })),
      ),
    listPipelines: (objectType, ctx) =>
      guard(undefined, ctx, async () => (await pipelines()).filter((p) => p.objectType === objectType)),
    describeFields: (type, ctx) =>
      guard(type, ctx, async () =>
        (await client.columns(ACME_TABLES[type])).map(
          (column): FieldMeta => ({
            key: keyOf(type, column.name),
            apiName: column.name,
            label: column.label,
            type: FIELD_TYPES[column.kind],
            options: column.choices?.map((value) => ({ value, label: value })),
          }),
        ),
      ),
    create: (type, input, ctx) =>
      guard(type, ctx, async () => {
        const row = await client.insert(ACME_TABLES[type], toAcme(type, input.properties));
        await linkAll(type, row.id, input.associations ?? []);
        return fromAcme(type, row);
      }),
    update: (type, input, ctx) =>
      guard(type, ctx, async () => {
        const row = await client.patch(ACME_TABLES[type], input.id, toAcme(type, input.properties));
        await linkAll(type, row.id, input.associations ?? []);
        return fromAcme(type, row);
      }),
    associate: (from, to, ctx) =>
      guard(from.type, ctx, () => client.link(ref(from.type, from.id), ref(to.type, to.id))),
    createNote: (input, ctx) =>
      guard("note", ctx, async () => {
        const values = toAcme("note", {
          body: input.body,
          timestamp: input.timestamp,
          owner_id: input.ownerId ?? null,
        });
        const row = await client.insert("notes", values);
        await linkAll("note", row.id, input.associations);
        return fromAcme("note", row);
      }),
    createTask: (input, ctx) =>
      guard("task", ctx, async () => {
        const properties = {
          subject: input.subject,
          body: input.body ?? null,
          due_at: input.dueAt,
          priority: input.priority ?? null,
          owner_id: input.ownerId ?? null,
        };
        const row = await client.insert("todos", toAcme("task", properties));
        await linkAll("task", row.id, input.associations);
        return fromAcme("task", row);
      }),
  });
}
