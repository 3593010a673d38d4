/** The actions a v2 webhook delivery reports. */
export const WEBHOOK_ACTIONS = ["create", "change", "delete"] as const;

/** The objects a v2 webhook can be about, alphabetically. */
export const WEBHOOK_ENTITIES = [
  "activity",
  "deal",
  "lead",
  "note",
  "organization",
  "person",
  "pipeline",
  "product",
  "stage",
  "user",
] as const;

/** The objects a v2 webhook can be about. */
export type PipedriveWebhookEntity = (typeof WEBHOOK_ENTITIES)[number];

/** Input of {@link PipedriveWebhookDelivery}-building: one event as Pipedrive would deliver it. */
export interface PipedriveWebhookInput {
  /** `"<action>.<entity>"`, e.g. `"create.person"`, `"change.deal"`, `"delete.organization"`. */
  event: string;
  /** The entity after the change (`null` for deletes). @default null */
  data?: Record<string, unknown> | null | undefined;
  /** The changed fields' previous values (changes) or the deleted entity (deletes). @default null */
  previous?: Record<string, unknown> | null | undefined;
  /** HTTP Basic user configured on the webhook; no `Authorization` header when both credentials are omitted. */
  username?: string | undefined;
  /** HTTP Basic password configured on the webhook. */
  password?: string | undefined;
  /** The entity id; defaults to `data.id`, then `previous.id`. */
  entityId?: number | string | undefined;
  /** Delivery attempt (Pipedrive retries failed deliveries). @default 1 */
  attempt?: number | undefined;
  /** Id of the webhook subscription. @default 1 */
  webhookId?: number | undefined;
  /** The user who made the change. @default the first seeded user */
  userId?: number | undefined;
  /** Where the change came from. @default "api" */
  changeSource?: "api" | "app" | undefined;
  /** Event time (epoch ms). @default the emulator clock's now */
  timestamp?: number | undefined;
}

/** A webhook request as Pipedrive would send it: headers, parsed body and the exact body text. */
export interface PipedriveWebhookDelivery {
  /** `content-type` and, when credentials were given, `authorization: Basic …`. */
  headers: Record<string, string>;
  /** The v2 payload: `{ meta, data, previous }`. */
  body: { meta: Record<string, unknown>; data: unknown; previous: unknown };
  /** `JSON.stringify(body)`, the bytes to send. */
  text: string;
}

const ACTIONS = new Set<string>(WEBHOOK_ACTIONS);
const ENTITIES = new Set<string>(WEBHOOK_ENTITIES);

/** What a delivery needs from the emulator. */
export interface WebhookDeps {
  companyId: number;
  defaultUserId: number;
  now(): number;
  uuid(): string;
}

/**
 * Builds a v2 webhook delivery (vendor-facts §3.6): HTTP Basic auth (Pipedrive's only webhook authentication) and a
 * `meta` block with action, entity, ids, timestamp, version `"2.0"` and attempt. The `meta` field list follows the
 * v2 guide as far as vendor-facts could verify it; parse it leniently.
 */
export function buildWebhookDelivery(
  deps: WebhookDeps,
  input: PipedriveWebhookInput,
): PipedriveWebhookDelivery {
  const [action = "", entity = "", ...rest] = input.event.split(".");
  if (!ACTIONS.has(action) || !ENTITIES.has(entity) || rest.length > 0)
    throw new TypeError(
      `webhookDelivery: option \`event\` must be "<create|change|delete>.<entity>", got "${input.event}"`,
    );
  if ((input.username === undefined) !== (input.password === undefined))
    throw new TypeError("webhookDelivery: options `username` and `password` must be given together");
  const data = input.data ?? null;
  const previous = input.previous ?? null;
  const entityId = input.entityId ?? data?.["id"] ?? previous?.["id"];
  if (entityId === undefined)
    throw new TypeError(
      "webhookDelivery: option `entityId` is required when neither `data` nor `previous` has an id",
    );
  const userId = String(input.userId ?? deps.defaultUserId);
  const meta = {
    action,
    entity,
    entity_id: String(entityId),
    company_id: String(deps.companyId),
    correlation_id: deps.uuid(),
    change_source: input.changeSource ?? "api",
    id: deps.uuid(),
    is_bulk_edit: false,
    timestamp: new Date(input.timestamp ?? deps.now()).toISOString(),
    type: "general",
    user_id: userId,
    version: "2.0",
    webhook_id: String(input.webhookId ?? 1),
    webhook_owner_id: userId,
    attempt: input.attempt ?? 1,
  };
  const body = { meta, data, previous };
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (input.username !== undefined && input.password !== undefined)
    headers["authorization"] =
      `Basic ${Buffer.from(`${input.username}:${input.password}`).toString("base64")}`;
  return { headers, body, text: JSON.stringify(body) };
}
