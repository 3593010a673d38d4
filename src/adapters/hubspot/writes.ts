import type {
  AdapterCallContext,
  AssociationTarget,
  BatchItemResult,
  CrmObjectType,
  CrmRecord,
  NoteInput,
  TaskInput,
  UpdateInput,
  UpsertInput,
  UpsertResult,
  WriteInput,
} from "../../adapter/index.js";
import { noteWrite, taskWrite } from "../../adapter/index.js";
import { CrmError, isCrmError } from "../../errors/index.js";
import {
  associationSpec,
  type HubSpotAssociationSpec,
  type HubSpotAssociationTypeTable,
} from "./associations.js";
import { batchAssociate, failAll, type HubSpotBatchResponse } from "./batch.js";
import type { HubSpotClient } from "./client.js";
import type { HubSpotFields } from "./fields.js";
import { type HubSpotObject, hubSpotName, toCrmRecord } from "./mapping.js";

/** The write operations of the SPI. */
export interface HubSpotWrites {
  create(type: CrmObjectType, input: WriteInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
  update(type: CrmObjectType, input: UpdateInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
  upsert(type: CrmObjectType, input: UpsertInput, ctx?: AdapterCallContext): Promise<UpsertResult>;
  associate(
    from: { type: CrmObjectType; id: string },
    to: AssociationTarget,
    ctx?: AdapterCallContext,
  ): Promise<void>;
  createNote(input: NoteInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
  createTask(input: TaskInput, ctx?: AdapterCallContext): Promise<CrmRecord>;
  /** Upserts one chunk (≤ 100) with batch/upsert, one result per input in order. */
  upsertChunk(
    type: CrmObjectType,
    inputs: readonly UpsertInput[],
    ctx?: AdapterCallContext,
  ): Promise<BatchItemResult<UpsertResult>[]>;
  /** The inline `associations` of a v3 create. */
  inline(
    type: CrmObjectType,
    targets: readonly AssociationTarget[] | undefined,
  ): { to: { id: string }; types: HubSpotAssociationSpec[] }[];
}

/** Options of {@link createHubSpotWrites}. */
export interface HubSpotWritesOptions {
  readonly associationTypes: HubSpotAssociationTypeTable;
  /** Canonical keys each type can be upserted on (`email` for contacts, plus declared unique keys). */
  readonly upsertKeys: Readonly<Partial<Record<CrmObjectType, readonly string[]>>>;
}

/** Creates the write operations. */
export function createHubSpotWrites(
  client: HubSpotClient,
  fields: HubSpotFields,
  options: HubSpotWritesOptions,
): HubSpotWrites {
  const inline = (type: CrmObjectType, targets: readonly AssociationTarget[] | undefined) =>
    (targets ?? []).map((to) => ({
      to: { id: to.id },
      types: [associationSpec(options.associationTypes, type, to.type, to.label)],
    }));

  const associateAll = async (
    type: CrmObjectType,
    id: string,
    targets: readonly AssociationTarget[] | undefined,
    ctx?: AdapterCallContext,
  ): Promise<void> => {
    if (targets === undefined || targets.length === 0) return;
    const results = await batchAssociate(
      client,
      options.associationTypes,
      targets.map((to) => ({ from: { type, id }, to })),
      ctx,
    );
    const failed = results.find((r) => !r.ok);
    if (failed !== undefined && !failed.ok) throw failed.error;
  };

  const create: HubSpotWrites["create"] = async (type, input, ctx) => {
    const map = await fields.map(type, ctx);
    const properties = await fields.prepareWrite(type, input.properties, ctx, { creating: true });
    const associations = inline(type, input.associations);
    const response = await client.send<HubSpotObject>(
      {
        ...client.route("create", { type }),
        json: { properties, associations },
      },
      ctx,
    );
    // The create response is the record itself: reading it back through search would lag the write.
    return toCrmRecord(map, response.body);
  };

  const update: HubSpotWrites["update"] = async (type, input, ctx) => {
    const map = await fields.map(type, ctx);
    const properties = await fields.prepareWrite(type, input.properties, ctx);
    const response = await client.send<HubSpotObject>(
      // Setting the same values twice leaves the same record, so a PATCH may be retried.
      {
        ...client.route("update", { type, id: input.id }),
        json: { properties },
        idempotent: true,
      },
      ctx,
    );
    await associateAll(type, input.id, input.associations, ctx);
    return toCrmRecord(map, response.body);
  };

  const idPropertyOf = async (
    type: CrmObjectType,
    field: string,
    ctx?: AdapterCallContext,
  ): Promise<string> => {
    if (!(options.upsertKeys[type] ?? []).includes(field))
      throw new CrmError({
        reason: "configuration_error",
        provider: "hubspot",
        message: `HubSpot cannot upsert a ${type} on "${field}"; upsertKeys.${type} is [${(options.upsertKeys[type] ?? []).join(", ")}]`,
      });
    return hubSpotName(await fields.map(type, ctx), field);
  };

  // Sends one batch/upsert chunk; results are matched to inputs by their key value (upsert echoes no trace id).
  const upsertChunk = async (
    type: CrmObjectType,
    inputs: readonly UpsertInput[],
    ctx?: AdapterCallContext,
  ): Promise<BatchItemResult<UpsertResult>[]> => {
    const map = await fields.map(type, ctx);
    const prepared: ({ id: string; idProperty: string; properties: Record<string, string> } | CrmError)[] =
      [];
    for (const input of inputs) {
      try {
        const idProperty = await idPropertyOf(type, input.key.field, ctx);
        const properties = await fields.prepareWrite(type, input.properties, ctx);
        const id = idProperty === "email" ? input.key.value.trim().toLowerCase() : input.key.value;
        prepared.push({ id, idProperty, properties });
      } catch (error) {
        prepared.push(isCrmError(error) ? error : (failAll(1, error)[0] as { error: CrmError }).error);
      }
    }
    const sendable = prepared.filter(
      (p): p is Exclude<(typeof prepared)[number], CrmError> => !(p instanceof CrmError),
    );
    const results: BatchItemResult<UpsertResult>[] = prepared.map((p) =>
      p instanceof CrmError
        ? { ok: false, error: p }
        : {
            ok: false,
            error: new CrmError({
              reason: "unknown_response",
              provider: "hubspot",
              message: "HubSpot's upsert response did not account for this input",
            }),
          },
    );
    if (sendable.length === 0) return results;
    let body: HubSpotBatchResponse<HubSpotObject & { new?: boolean }>;
    try {
      body = (
        await client.send<HubSpotBatchResponse<HubSpotObject & { new?: boolean }>>(
          {
            ...client.route("batchUpsert", { type }),
            json: { inputs: sendable },
            idempotent: true,
          },
          ctx,
        )
      ).body;
    } catch (error) {
      if (
        isCrmError(error) &&
        error.reason === "duplicate_conflict" &&
        error.existingId !== undefined &&
        sendable.length === 1
      ) {
        // A 409 "already exists. Existing ID: N" (another unique property clashed) becomes an update of N.
        const target = sendable[0] as (typeof sendable)[number];
        const patched = await client.send<HubSpotObject>(
          {
            ...client.route("update", { type, id: error.existingId }),
            json: { properties: { ...target.properties, [target.idProperty]: target.id } },
            idempotent: true,
          },
          ctx,
        );
        const index = prepared.indexOf(target);
        results[index] = { ok: true, value: { record: toCrmRecord(map, patched.body), created: false } };
        return results;
      }
      // With email as idProperty one bad input fails the whole batch (no partial upserts): retry one by one.
      if (sendable.length > 1 && isCrmError(error) && error.action !== "retry") {
        const singles = await Promise.all(
          inputs.map((input, i) =>
            prepared[i] instanceof CrmError
              ? Promise.resolve([results[i] as BatchItemResult<UpsertResult>])
              : upsertChunk(type, [input], ctx),
          ),
        );
        return singles.map((single) => single[0] as BatchItemResult<UpsertResult>);
      }
      for (const p of sendable)
        results[prepared.indexOf(p)] = failAll<UpsertResult>(1, error)[0] as BatchItemResult<UpsertResult>;
      return results;
    }
    for (const object of body?.results ?? []) {
      const index = prepared.findIndex((p) => {
        if (p instanceof CrmError) return false;
        const stored = object.properties[p.idProperty] ?? "";
        return p.idProperty === "email" ? stored.toLowerCase() === p.id : stored === p.id;
      });
      if (index >= 0)
        results[index] = {
          ok: true,
          value: { record: toCrmRecord(map, object), created: object.new === true },
        };
    }
    return results;
  };

  return {
    create,
    update,
    upsertChunk,
    inline,
    async upsert(type, input, ctx) {
      const [result] = await upsertChunk(type, [input], ctx);
      if (result === undefined || !result.ok) throw result?.error;
      await associateAll(type, result.value.record.id, input.associations, ctx);
      return result.value;
    },
    async associate(from, to, ctx) {
      const spec = associationSpec(options.associationTypes, from.type, to.type, to.label);
      // PUT is idempotent: associating an associated pair again succeeds and stores nothing new.
      await client.send(
        {
          ...client.route("associate", { type: from.type, id: from.id, toType: to.type, toId: to.id }),
          json: [spec],
        },
        ctx,
      );
    },
    createNote: (input, ctx) => create("note", noteWrite(input), ctx),
    createTask: (input, ctx) => create("task", taskWrite(input), ctx),
  };
}
