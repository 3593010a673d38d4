import { err, ok, type Result } from "neverthrow";
import * as z from "zod";
import type { CrmObjectType } from "../../adapter/index.js";
import { parseWebhookJson, webhookContractError } from "../../adapter/index.js";
import { ContractError, contractIssue } from "../../errors/index.js";

// The typed change event of a Pipedrive v2 webhook delivery; `webhooks.ts` checks the Basic-auth header first.
// The v2 `meta` field list is only partly documented (vendor-facts §3.6), so every field but action, entity,
// entity id and version is optional and unknown fields are ignored.

const id = z.union([z.string().min(1), z.number()]).transform(String);

const Meta = z.object({
  action: z.enum(["create", "change", "delete"]),
  entity: z.string().min(1),
  entity_id: id,
  version: z.literal("2.0"),
  id: id.optional(),
  company_id: id.optional(),
  user_id: id.optional(),
  correlation_id: z.string().optional(),
  change_source: z.string().optional(),
  is_bulk_edit: z.boolean().optional(),
  timestamp: z.string().optional(),
  type: z.string().optional(),
  webhook_id: id.optional(),
  webhook_owner_id: id.optional(),
  attempt: z.number().int().nonnegative().optional(),
});

const Payload = z.object({
  meta: Meta,
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  previous: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** What happened to the entity. */
export type PipedriveWebhookAction = "create" | "change" | "delete";

/** The Pipedrive objects a webhook can be about (`lead`, `product`, … pass through as strings). */
export type PipedriveWebhookEntity =
  | "person"
  | "organization"
  | "deal"
  | "activity"
  | "note"
  | "lead"
  | "pipeline"
  | "stage"
  | "product"
  | "user"
  | (string & {});

const OBJECT_TYPES: Readonly<Record<string, CrmObjectType>> = {
  person: "contact",
  organization: "company",
  deal: "deal",
  activity: "task",
  note: "note",
};

interface EventBase {
  /** The delivery's `meta.id` when present (else `webhook_id:entity_id:timestamp`): deduplicate retries with it. */
  readonly eventId: string;
  readonly entity: PipedriveWebhookEntity;
  /** The crmkit object type of `entity` (`person` → `contact`, `activity` → `task`), when there is one. */
  readonly objectType?: CrmObjectType | undefined;
  /** Id of the changed record. */
  readonly entityId: string;
  /** ISO-8601 time of the change, when Pipedrive sent one. */
  readonly occurredAt?: string | undefined;
  readonly companyId?: string | undefined;
  /** The user who made the change. */
  readonly userId?: string | undefined;
  /** `app` or `api`: an `api` change may be crmkit's own write echoing back. */
  readonly changeSource?: string | undefined;
  readonly isBulkEdit: boolean;
  readonly correlationId?: string | undefined;
  /** Delivery metadata, not part of the change: Pipedrive retries failed deliveries. */
  readonly delivery: { readonly attempt: number; readonly webhookId?: string | undefined };
}

/** A record was created; `data` is the record (v2 JSON). */
export interface PipedriveWebhookCreateEvent extends EventBase {
  readonly action: "create";
  readonly data: Readonly<Record<string, unknown>>;
}
/** A record changed; `previous` holds the changed fields' old values. */
export interface PipedriveWebhookChangeEvent extends EventBase {
  readonly action: "change";
  readonly data: Readonly<Record<string, unknown>>;
  readonly previous: Readonly<Record<string, unknown>>;
}
/** A record was deleted; `previous` is the record as it was. */
export interface PipedriveWebhookDeleteEvent extends EventBase {
  readonly action: "delete";
  readonly previous: Readonly<Record<string, unknown>>;
}

/** One typed Pipedrive v2 webhook event, discriminated by `action`. */
export type PipedriveWebhookEvent =
  | PipedriveWebhookCreateEvent
  | PipedriveWebhookChangeEvent
  | PipedriveWebhookDeleteEvent;

const isoOf = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
};

/**
 * Parses a Pipedrive v2 webhook body (`{ meta, data, previous }`, as a string, bytes or already parsed) into a typed
 * event, validated with zod. Returns every issue with its path as a `ContractError` (a v1 payload fails on
 * `meta.version`); never throws. Check the Basic-auth header first with {@link verifyPipedriveWebhook}.
 *
 * @example
 * const event = parsePipedriveWebhook(rawBody);
 * if (event.isOk() && event.value.action === "change" && event.value.objectType === "deal") console.log(event.value.previous);
 */
export function parsePipedriveWebhook(body: unknown): Result<PipedriveWebhookEvent, ContractError> {
  const json = parseWebhookJson(body);
  if (json.isErr()) return err(json.error);
  const parsed = Payload.safeParse(json.value);
  if (!parsed.success) return err(webhookContractError(parsed.error));
  const { meta, data, previous } = parsed.data;
  const occurredAt = isoOf(meta.timestamp);
  const base: EventBase = {
    eventId: meta.id ?? `${meta.webhook_id ?? "webhook"}:${meta.entity_id}:${meta.timestamp ?? ""}`,
    entity: meta.entity,
    ...(OBJECT_TYPES[meta.entity] === undefined ? {} : { objectType: OBJECT_TYPES[meta.entity] }),
    entityId: meta.entity_id,
    ...(occurredAt === undefined ? {} : { occurredAt }),
    ...(meta.company_id === undefined ? {} : { companyId: meta.company_id }),
    ...(meta.user_id === undefined ? {} : { userId: meta.user_id }),
    ...(meta.change_source === undefined ? {} : { changeSource: meta.change_source }),
    isBulkEdit: meta.is_bulk_edit ?? false,
    ...(meta.correlation_id === undefined ? {} : { correlationId: meta.correlation_id }),
    delivery: {
      attempt: meta.attempt ?? 1,
      ...(meta.webhook_id === undefined ? {} : { webhookId: meta.webhook_id }),
    },
  };
  const missing = (field: "data" | "previous") =>
    err(
      new ContractError([
        contractIssue([field], "invalid_type", `A ${meta.action} event carries \`${field}\``),
      ]),
    );
  switch (meta.action) {
    case "create":
      return data === null || data === undefined ? missing("data") : ok({ ...base, action: "create", data });
    case "change":
      return data === null || data === undefined
        ? missing("data")
        : ok({ ...base, action: "change", data, previous: previous ?? {} });
    case "delete":
      return ok({ ...base, action: "delete", previous: previous ?? {} });
  }
}
