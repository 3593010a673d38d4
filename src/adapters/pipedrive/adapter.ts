import {
  type AdapterCapabilities,
  type CrmAdapter,
  type CrmObjectType,
  createTransport,
  DEFAULT_METADATA_TTL_MS,
  defineAdapter,
  type TransportAuth,
  transportOptionsOf,
} from "../../adapter/index.js";
import { systemClock } from "../../internal/clock.js";
import { createPipedriveClient } from "./client.js";
import { toPipedriveCrmError } from "./errors.js";
import { createPipedriveFields } from "./fields.js";
import { resolvePipedriveLimiter } from "./limits.js";
import { listChangedRecords } from "./list-changed.js";
import { createPipedriveListIndex } from "./list-index.js";
import { createPipedriveMetadata } from "./metadata.js";
import { type PipedriveAdapterOptions, validateOptions } from "./options.js";
import { createPipedriveReads } from "./reads.js";
import { createKeyedLocks, createRecentWrites } from "./recent.js";
import { createPipedriveWrites } from "./writes.js";

/** Default API host (any company's data is reachable there with its token). */
export const PIPEDRIVE_API_URL = "https://api.pipedrive.com";

const OBJECTS: readonly CrmObjectType[] = ["contact", "company", "deal", "note", "task"];
// runMany runs this many events side by side when the adapter has batch reads: enough to share list pages, few
// enough that their creates stay within a Growth plan's 2-second burst.
const LOOKUPS_PER_BATCH = 50;

/** The Pipedrive adapter: the SPI (no upsert, no batch writes), `findMany`, `listChanged`, and `close`. */
export type PipedriveAdapter = CrmAdapter &
  Required<Pick<CrmAdapter, "listChanged" | "findMany">> & {
    readonly provider: "pipedrive";
    /** Stops the limiter the adapter created (a `limiter` you passed in stays yours to close). */
    close(): Promise<void>;
  };

/**
 * Creates the Pipedrive CRM adapter: persons (contacts), organizations (companies), deals, notes (v1) and
 * activities (tasks, and the fallback for tickets) over API v2, users as owners, pipelines and stages by name with
 * won/lost as closed stages. Pipedrive has no upsert, no batch writes and allows duplicates, so the adapter finds
 * before it creates (persons by email and organizations by domain from an index built from list pages, which cost
 * half a search and are consistent with writes; other keys by search), serialises creates of one key inside the
 * process and remembers what it wrote until search catches up; a create writes the links it holds the key of in
 * its own body; custom fields are written by label (resolved to their 40-hex keys), enum options by label; every
 * call is charged its token cost against the limiter before it is sent; every error body maps to a `CrmError`.
 *
 * @example
 * const pipedrive = createPipedriveAdapter({
 *   apiToken: process.env.PIPEDRIVE_TOKEN!,
 *   companyDomain: "acme",
 *   limits: { plan: "growth", seats: 5 },
 *   fieldMap: { contact: { lead_source: "Lead source" } },
 * });
 * const [person] = await pipedrive.find({ type: "contact", field: "email", value: "ada@example.com" });
 */
export function createPipedriveAdapter(options: PipedriveAdapterOptions): PipedriveAdapter {
  validateOptions(options);
  const clock = options.clock ?? systemClock;
  const configuredBase =
    options.apiDomain ??
    (options.companyDomain === undefined
      ? PIPEDRIVE_API_URL
      : `https://${options.companyDomain}.pipedrive.com`);
  const oauth = options.tokenProvider !== undefined;
  const auth: TransportAuth =
    options.tokenProvider !== undefined
      ? { type: "bearer", token: options.tokenProvider }
      : { type: "header", name: "x-api-token", token: options.apiToken as string };
  const { limiter, owned } = resolvePipedriveLimiter({
    limiter: options.limiter,
    limits: options.limits,
    defaultAuth: oauth ? "oauth" : "api_token",
    clock: options.clock,
  });
  const transport = createTransport({
    provider: "pipedrive",
    // OAuth tokens name the company's API host (`api_domain`); use it, never a hard-coded host.
    baseUrl: oauth ? (token) => token?.apiDomain ?? configuredBase : configuredBase,
    auth,
    limiter,
    scope: `pipedrive:${options.companyId ?? options.companyDomain ?? "default"}`,
    toCrmError: toPipedriveCrmError(),
    headers: { accept: "application/json" },
    ...transportOptionsOf(options),
    clock,
  });
  const client = createPipedriveClient(transport, clock);
  const searchLagMs = options.searchLagMs ?? 10_000;
  const metadata = createPipedriveMetadata(
    client,
    options.metadataTtlMs ?? DEFAULT_METADATA_TTL_MS,
    options.statusStages ?? {},
  );
  const fields = createPipedriveFields(metadata, () => clock.now(), {
    fieldMap: options.fieldMap ?? {},
    domainStrategy: options.domainStrategy ?? "auto",
    domainField: options.domainField ?? "Domain",
    refreshAfterMissMs: 60_000,
  });
  // Remember writes for several lag estimates: a lookup that misses a record it just created would duplicate it.
  const recent = createRecentWrites(clock, Math.max(60_000, searchLagMs * 6));
  const index =
    options.listIndex === false
      ? undefined
      : createPipedriveListIndex(client, fields, {
          freshMs: searchLagMs,
          maxRecords: options.listIndex?.maxRecords ?? 50_000,
        });
  const reads = createPipedriveReads(client, fields, { recent, index });
  const writes = createPipedriveWrites(client, fields, metadata, reads, {
    recent,
    locks: createKeyedLocks(),
    taskType: options.taskType ?? "task",
  });
  const capabilities: AdapterCapabilities = {
    objects: OBJECTS,
    upsertKeys: {},
    // `findMany` answers many email or domain lookups from one list index (or searches each); no batch writes.
    batchSizes: { read: LOOKUPS_PER_BATCH },
    tickets: "activity",
    // A person links to its organization through its own org_id: with the organization created first, the
    // person's create carries the link and no follow-up update is needed.
    recordOrder: ["company", "contact", "deal", "ticket"],
    searchLagMs,
    retriesTransientErrors: options.retry !== false,
  };

  return defineAdapter<PipedriveAdapter>({
    provider: "pipedrive",
    capabilities,
    find: reads.find,
    findMany: reads.findMany,
    get: reads.get,
    findOpenDeals: reads.findOpenDeals,
    listOwners: (ctx) => metadata.owners(ctx),
    listPipelines: async (objectType, ctx) => (objectType === "deal" ? metadata.pipelines(ctx) : []),
    describeFields: async (type, ctx) => (type === "ticket" ? [] : fields.describe(type, ctx)),
    listChanged: (type, { since }, ctx) => listChangedRecords(client, fields, type, since, ctx),
    create: writes.create,
    update: writes.update,
    associate: writes.associate,
    createNote: writes.createNote,
    createTask: writes.createTask,
    async close() {
      if (owned) await limiter?.close();
    },
  });
}
