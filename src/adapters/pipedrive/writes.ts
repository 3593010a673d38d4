import type {
  AdapterCallContext,
  AssociationTarget,
  CrmObjectType,
  CrmProperties,
  CrmRecord,
  NoteInput,
  RecordRef,
  TaskInput,
  UpdateInput,
  WriteInput,
} from "../../adapter/index.js";
import { CrmError, isCrmError } from "../../errors/index.js";
import type { PipedriveClient } from "./client.js";
import type { PipedriveFields } from "./fields.js";
import { PIPEDRIVE_ENTITIES, type PipedriveObjectType, supported, toCrmRecord } from "./mapping.js";
import type { PipedriveMetadata } from "./metadata.js";
import type { PipedriveReads } from "./reads.js";
import { type KeyedLocks, lookupKey, type RecentWrites } from "./recent.js";
import { normalizeWebsite } from "./values.js";
import { type BodyContext, numericId, toPipedriveBody } from "./write-body.js";

/** The write operations of the SPI. */
export interface PipedriveWrites {
  create(type: CrmObjectType, input: WriteInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
  update(type: CrmObjectType, input: UpdateInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
  associate(from: RecordRef, to: AssociationTarget, ctx?: AdapterCallContext): Promise<void>;
  createNote(input: NoteInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
  createTask(input: TaskInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
}

/** Options of {@link createPipedriveWrites}. */
export interface PipedriveWritesOptions {
  readonly recent: RecentWrites;
  readonly locks: KeyedLocks;
  readonly taskType: string;
}

// Associations are foreign keys on one side: [record type, target type] → the record holding the key and its field.
const LINKS: Readonly<Record<string, { owner: "from" | "to"; field: string }>> = {
  "contact→company": { owner: "from", field: "org_id" },
  "company→contact": { owner: "to", field: "org_id" },
  "deal→contact": { owner: "from", field: "person_id" },
  "contact→deal": { owner: "to", field: "person_id" },
  "deal→company": { owner: "from", field: "org_id" },
  "company→deal": { owner: "to", field: "org_id" },
  "task→contact": { owner: "from", field: "person_id" },
  "contact→task": { owner: "to", field: "person_id" },
  "task→deal": { owner: "from", field: "deal_id" },
  "deal→task": { owner: "to", field: "deal_id" },
  "task→company": { owner: "from", field: "org_id" },
  "company→task": { owner: "to", field: "org_id" },
  "note→contact": { owner: "from", field: "person_id" },
  "note→deal": { owner: "from", field: "deal_id" },
  "note→company": { owner: "from", field: "org_id" },
};

const associationError = (message: string): CrmError =>
  new CrmError({ reason: "association_type_error", provider: "pipedrive", message });
/** The lookup key a new record of `type` is found by (email, domain), if its properties carry one. */
function keyOf(type: PipedriveObjectType, properties: CrmProperties): string | undefined {
  const field = type === "contact" ? "email" : type === "company" ? "domain" : undefined;
  const value = field === undefined ? undefined : properties[field];
  if (field === undefined || typeof value !== "string" || value.trim() === "") return undefined;
  return lookupKey(type, field, field === "domain" ? (normalizeWebsite(value) ?? value) : value);
}

/** Creates the write operations. */
export function createPipedriveWrites(
  client: PipedriveClient,
  fields: PipedriveFields,
  metadata: PipedriveMetadata,
  reads: PipedriveReads,
  options: PipedriveWritesOptions,
): PipedriveWrites {
  const bodyContext = (ctx: AdapterCallContext | undefined): BodyContext => ({
    pipelines: () => metadata.pipelines(ctx),
    taskType: options.taskType,
  });

  // Foreign keys for the associations a create or update can carry inline; the rest go through `associate`.
  const inlineLinks = (type: PipedriveObjectType, targets: readonly AssociationTarget[] | undefined) => {
    const inline: Record<string, number> = {};
    const later: AssociationTarget[] = [];
    for (const target of targets ?? []) {
      const link = LINKS[`${type}→${target.type}`];
      if (link?.owner === "from" && inline[link.field] === undefined)
        inline[link.field] = numericId(link.field, target.id);
      else later.push(target);
    }
    return { inline, later };
  };

  const rememberKeys = (type: PipedriveObjectType, record: CrmRecord): void => {
    const key = keyOf(type, record.properties);
    if (key !== undefined) options.recent.remember(key, record.id);
  };

  const write = async (
    type: PipedriveObjectType,
    method: "POST" | "PATCH",
    id: string | undefined,
    body: Record<string, unknown>,
    ctx: AdapterCallContext | undefined,
  ): Promise<CrmRecord> => {
    const path = PIPEDRIVE_ENTITIES[type].path;
    try {
      const response = await client.send<Record<string, unknown>>(
        {
          method,
          path: id === undefined ? path : `${path}/${id}`,
          json: body,
          // Setting the same values twice leaves the same record, so a PATCH may be retried; a POST may not.
          ...(method === "PATCH" ? { idempotent: true } : {}),
        },
        ctx,
      );
      const record = toCrmRecord(type, response.body.data, await fields.shape(type, ctx));
      rememberKeys(type, record);
      return record;
    } catch (error) {
      // Pipedrive named a field crmkit sent: the cached field list may be stale, so the next write re-reads it.
      if (isCrmError(error) && (error.reason === "invalid_property" || error.reason === "invalid_enum"))
        fields.invalidate(type);
      throw error;
    }
  };

  const associate: PipedriveWrites["associate"] = async (from, to, ctx) => {
    const link = LINKS[`${from.type}→${to.type}`];
    if (link === undefined)
      throw associationError(`Pipedrive cannot associate a ${from.type} with a ${to.type} after the fact`);
    const owner = link.owner === "from" ? from : to;
    const target = link.owner === "from" ? to : from;
    const ownerType = supported(owner.type);
    if (ownerType === "note")
      throw associationError(
        "Pipedrive notes are linked when they are created; give the associations to createNote",
      );
    // Setting the same foreign key again is a no-op: associating twice is not an error.
    await write(
      ownerType,
      "PATCH",
      String(numericId("id", owner.id)),
      { [link.field]: numericId(link.field, target.id) },
      ctx,
    );
  };

  const update: PipedriveWrites["update"] = async (rawType, input, ctx) => {
    const type = supported(rawType);
    if (type === "note") throw associationError("Pipedrive notes cannot be updated through crmkit");
    const id = String(numericId("id", input.id));
    const prepared = await fields.prepareWrite(type, input.properties, ctx);
    const needsCurrent =
      type === "contact" &&
      ["first_name", "last_name", "email", "phone"].some((k) => prepared.standard[k] !== undefined);
    let current: Record<string, unknown> | undefined;
    if (needsCurrent) {
      [current] = await reads.getJson(type, [id], ctx);
      if (current === undefined)
        throw new CrmError({
          reason: "not_found",
          provider: "pipedrive",
          status: 404,
          message: `Pipedrive ${type} ${id} was not found`,
        });
    }
    const { inline, later } = inlineLinks(type, input.associations);
    const body = { ...(await toPipedriveBody(type, prepared, current ?? {}, bodyContext(ctx))), ...inline };
    const record = await write(type, "PATCH", id, body, ctx);
    for (const target of later) await associate({ type, id }, target, ctx);
    return withLinks(record, later);
  };

  // Links made after the write (the key is on the other record) are part of what the caller asked for: the record
  // returned says so, so a caller that passed associations knows they exist without associating again.
  const withLinks = (record: CrmRecord, targets: readonly AssociationTarget[]): CrmRecord => {
    if (targets.length === 0) return record;
    const associations: Partial<Record<CrmObjectType, string[]>> = {};
    for (const [type, ids] of Object.entries(record.associations ?? {}))
      associations[type as CrmObjectType] = [...(ids ?? [])];
    for (const target of targets) {
      const ids = associations[target.type] ?? [];
      if (!ids.includes(target.id)) ids.push(target.id);
      associations[target.type] = ids;
    }
    return { ...record, associations };
  };

  const createRaw = async (
    type: PipedriveObjectType,
    input: WriteInput,
    ctx?: AdapterCallContext,
  ): Promise<CrmRecord> => {
    const prepared = await fields.prepareWrite(type, input.properties, ctx);
    const { inline, later } = inlineLinks(type, input.associations);
    const body = { ...(await toPipedriveBody(type, prepared, undefined, bodyContext(ctx))), ...inline };
    const record = await write(type, "POST", undefined, body, ctx);
    for (const target of later) await associate({ type, id: record.id }, target, ctx);
    return withLinks(record, later);
  };

  const create: PipedriveWrites["create"] = async (rawType, input, ctx) => {
    const type = supported(rawType);
    const key = keyOf(type, input.properties);
    if (key === undefined) return createRaw(type, input, ctx);
    const before = new Set(options.recent.ids(key));
    const lock = await options.locks.acquire(key);
    try {
      if (lock.waited) {
        // Another create of the same key ran while this one waited: that record is this one (Pipedrive would
        // silently keep both), so this create becomes an update of it.
        const fresh = options.recent.ids(key).find((id) => !before.has(id));
        if (fresh !== undefined) return await update(type, { ...input, id: fresh }, ctx);
      }
      return await createRaw(type, input, ctx);
    } finally {
      lock.release();
    }
  };

  const targetsOf = (associations: readonly AssociationTarget[]) => {
    const ids: Record<string, number> = {};
    for (const target of associations) {
      const field =
        target.type === "contact"
          ? "person_id"
          : target.type === "deal"
            ? "deal_id"
            : target.type === "company"
              ? "org_id"
              : undefined;
      if (field === undefined)
        throw associationError(`Pipedrive notes and activities cannot be linked to a ${target.type}`);
      ids[field] ??= numericId(field, target.id);
    }
    return ids;
  };

  return {
    create,
    update,
    associate,
    // A note's author (`user_id`) can only be changed by an admin token, so `ownerId` is not sent: the note is
    // authored by the token's user.
    async createNote(input, ctx) {
      const links = targetsOf(input.associations);
      if (Object.keys(links).length === 0)
        throw new CrmError({
          reason: "missing_required_field",
          provider: "pipedrive",
          message: "A Pipedrive note must be linked to a person, organization or deal",
          fields: ["associations"],
        });
      const ms = Date.parse(input.timestamp);
      const body = {
        content: input.body,
        ...links,
        ...(Number.isFinite(ms)
          ? { add_time: new Date(ms).toISOString().slice(0, 19).replace("T", " ") }
          : {}),
      };
      return write("note", "POST", undefined, body, ctx);
    },
    async createTask(input, ctx) {
      // Pipedrive's activity priority is an account-specific option id, so crmkit's low/medium/high is not sent.
      const prepared = await fields.prepareWrite(
        "task",
        {
          subject: input.subject,
          due_at: input.dueAt,
          done: false,
          ...(input.body === undefined ? {} : { body: input.body }),
          ...(input.ownerId === undefined ? {} : { owner_id: input.ownerId }),
        },
        ctx,
      );
      const body = {
        ...(await toPipedriveBody("task", prepared, undefined, bodyContext(ctx))),
        ...targetsOf(input.associations),
      };
      return write("task", "POST", undefined, body, ctx);
    },
  };
}
