import type { Clock } from "../../../internal/clock.js";
import type { IdGenerator } from "../common/ids.js";
import { createCustomFields, type StoredField } from "./fields.js";
import type {
  PipedriveEmulatorOptions,
  PipedriveEntityType,
  PipedriveFieldEntity,
  PipedrivePipelineSeed,
} from "./types.js";

/** Every record type, in the order seeds are applied (organizations before the persons that point at them). */
export const ENTITY_TYPES: readonly PipedriveEntityType[] = [
  "organizations",
  "persons",
  "deals",
  "activities",
  "notes",
];

/** What search sees of a record from `visibleAt` on. */
export interface IndexedVersion {
  visibleAt: number;
  fields: Record<string, unknown>;
  deleted: boolean;
}

/** A record as the emulator stores it: typed JSON fields plus bookkeeping. */
export interface StoredEntity {
  id: number;
  type: PipedriveEntityType;
  /** Every field except `id`, `add_time`, `update_time` and `is_deleted`. */
  fields: Record<string, unknown>;
  addTime: number;
  updateTime: number;
  deleted: boolean;
  /** Versions for search, oldest first; search uses the newest one already visible. */
  indexed: IndexedVersion[];
}

/** A user with every field filled in. */
export interface StoredUser {
  id: number;
  name: string;
  email: string;
  activeFlag: boolean;
  isDeleted: boolean;
  isAdmin: boolean;
  timezoneName: string;
  created: number;
}

/** A stage of a pipeline. */
export interface StoredStage {
  id: number;
  name: string;
  pipelineId: number;
  orderNr: number;
  dealProbability: number;
  isDeleted: boolean;
}

/** A pipeline and its stages. */
export interface StoredPipeline {
  id: number;
  name: string;
  orderNr: number;
  isDeleted: boolean;
  stages: StoredStage[];
}

/** A webhook subscription (`/v1/webhooks`). The password is kept for inspection and never serialized. */
export interface StoredWebhook {
  id: number;
  subscriptionUrl: string;
  eventAction: string;
  eventObject: string;
  name: string;
  userId: number;
  httpAuthUser: string | null;
  httpAuthPassword: string | null;
  version: string;
  addTime: number;
}

/** The whole emulated company. Tests may read it through `emulator.state`; writes should go through the API. */
export interface PipedriveState {
  companyId: number;
  /** When the company was created (the clock's time at construction or reset). */
  createdAt: number;
  currency: string;
  records: Record<PipedriveEntityType, Map<number, StoredEntity>>;
  users: StoredUser[];
  pipelines: StoredPipeline[];
  fields: Record<PipedriveFieldEntity, StoredField[]>;
  webhooks: StoredWebhook[];
  /** Id of the last webhook created (webhook ids have their own sequence). */
  webhookSeq: number;
}

/** Everything route handlers share, plus the user the current request acts as. */
export interface PipedriveContext {
  state: PipedriveState;
  clock: Clock;
  ids: IdGenerator & { reserve(id: string): void };
  searchLagMs: number;
  /** The user behind the request's credential. */
  userId: number;
}

/** RFC3339 UTC timestamp without milliseconds, as v2 returns them (`2026-01-01T00:00:00Z`). */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** v1 timestamp (`2026-01-01 00:00:00`, UTC). */
export const v1Time = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

/** Pushes the current state of a record to the search index, visible after the configured lag. */
export function indexEntity(
  context: Pick<PipedriveContext, "clock" | "searchLagMs">,
  entity: StoredEntity,
): void {
  const now = context.clock.now();
  let newestVisible = -1;
  entity.indexed.forEach((version, i) => {
    if (version.visibleAt <= now) newestVisible = i;
  });
  if (newestVisible > 0) entity.indexed.splice(0, newestVisible);
  entity.indexed.push({
    visibleAt: now + context.searchLagMs,
    fields: structuredClone(entity.fields),
    deleted: entity.deleted,
  });
}

/** Pipedrive's default pipeline for a new company. */
export const DEFAULT_PIPELINES: readonly PipedrivePipelineSeed[] = [
  {
    id: 1,
    name: "Sales pipeline",
    stages: [
      { id: 1, name: "Qualified", dealProbability: 100 },
      { id: 2, name: "Contact Made", dealProbability: 100 },
      { id: 3, name: "Demo Scheduled", dealProbability: 100 },
      { id: 4, name: "Proposal Made", dealProbability: 100 },
      { id: 5, name: "Negotiations Started", dealProbability: 100 },
    ],
  },
];

const toPipelines = (seeds: readonly PipedrivePipelineSeed[]): StoredPipeline[] =>
  seeds.map((pipeline, p) => ({
    id: pipeline.id,
    name: pipeline.name,
    orderNr: p + 1,
    isDeleted: pipeline.isDeleted ?? false,
    stages: pipeline.stages.map((stage, s) => ({
      id: stage.id,
      name: stage.name,
      pipelineId: pipeline.id,
      orderNr: s + 1,
      dealProbability: stage.dealProbability ?? 100,
      isDeleted: stage.isDeleted ?? false,
    })),
  }));

/** Builds the initial state from the emulator options (record seeds are written without validation). */
export function createState(
  options: PipedriveEmulatorOptions,
  context: Pick<PipedriveContext, "clock" | "ids">,
): PipedriveState {
  const now = context.clock.now();
  const users = (
    options.users ?? [{ id: 1, name: "Emulator Admin", email: "admin@example.com", isAdmin: true }]
  ).map((user) => ({
    id: user.id,
    name: user.name,
    email: user.email,
    activeFlag: user.activeFlag ?? true,
    isDeleted: user.isDeleted ?? false,
    isAdmin: user.isAdmin ?? false,
    timezoneName: user.timezoneName ?? "UTC",
    created: now,
  }));
  if (users.length === 0)
    throw new TypeError("createPipedriveEmulator: option `users` must list at least one user");
  const records = {} as PipedriveState["records"];
  for (const type of ENTITY_TYPES) records[type] = new Map();
  const state: PipedriveState = {
    companyId: options.companyId ?? 7_654_321,
    createdAt: now,
    currency: options.currency ?? "USD",
    records,
    users,
    pipelines: toPipelines(options.pipelines ?? DEFAULT_PIPELINES),
    fields: createCustomFields(options),
    webhooks: [],
    webhookSeq: 0,
  };
  for (const type of ENTITY_TYPES) {
    for (const seed of options.records?.[type] ?? []) {
      if (seed.id !== undefined) context.ids.reserve(String(seed.id));
      const id = seed.id ?? Number(context.ids.next());
      const { id: _id, add_time, update_time, is_deleted, ...fields } = seed.fields;
      const parse = (value: unknown): number =>
        typeof value === "string" && Number.isFinite(Date.parse(value)) ? Date.parse(value) : now;
      const entity: StoredEntity = {
        id,
        type,
        fields: structuredClone(fields),
        addTime: parse(add_time),
        updateTime: parse(update_time),
        deleted: seed.deleted ?? is_deleted === true,
        indexed: [],
      };
      // Seeds were imported before the test started, so they are searchable at once.
      entity.indexed.push({
        visibleAt: now,
        fields: structuredClone(entity.fields),
        deleted: entity.deleted,
      });
      records[type].set(id, entity);
    }
  }
  return state;
}
