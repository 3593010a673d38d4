import { err, ok, type Result } from "neverthrow";
import * as z from "zod";
import { parseWebhookJson, webhookContractError } from "../../adapter/index.js";
import type { ContractError } from "../../errors/index.js";

// The typed change events of a HubSpot webhook delivery; `webhooks.ts` verifies the signature first.

const RawEvent = z.object({
  eventId: z.union([z.number(), z.string()]),
  subscriptionId: z.number().optional(),
  portalId: z.number(),
  appId: z.number().optional(),
  occurredAt: z.number(),
  subscriptionType: z.string().regex(/^[a-z_]+\.[A-Za-z]+$/, "expected object.action, e.g. contact.creation"),
  attemptNumber: z.number().int().nonnegative().default(0),
  objectId: z.union([z.number(), z.string()]).optional(),
  objectTypeId: z.string().optional(),
  changeSource: z.string().optional(),
  changeFlag: z.string().optional(),
  sourceId: z.string().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  mergedObjectIds: z.array(z.union([z.number(), z.string()])).optional(),
  primaryObjectId: z.union([z.number(), z.string()]).optional(),
  newObjectId: z.union([z.number(), z.string()]).optional(),
  associationType: z.string().optional(),
  fromObjectId: z.union([z.number(), z.string()]).optional(),
  toObjectId: z.union([z.number(), z.string()]).optional(),
  associationRemoved: z.boolean().optional(),
  isPrimaryAssociation: z.boolean().optional(),
});

/** The object types HubSpot sends change events for (`object` for custom objects via `objectTypeId`). */
export type HubSpotWebhookObjectType =
  | "contact"
  | "company"
  | "deal"
  | "ticket"
  | "product"
  | "line_item"
  | "conversation"
  | "object"
  | (string & {});

interface EventBase {
  /** HubSpot's event id, unique per event: use it to deduplicate redeliveries. */
  readonly eventId: string;
  readonly portalId: number;
  readonly appId?: number | undefined;
  readonly subscriptionId?: number | undefined;
  /** ISO-8601 time of the change. */
  readonly occurredAt: string;
  /** The raw `subscriptionType`, e.g. `contact.propertyChange`. */
  readonly subscriptionType: string;
  readonly objectType: HubSpotWebhookObjectType;
  /** Id of the changed record (for association changes: the `from` record). */
  readonly objectId: string;
  /** `CRM`, `INTEGRATION`, `API`, … as HubSpot reports it. */
  readonly changeSource?: string | undefined;
  /** Delivery metadata, not part of the change: HubSpot retries up to 10 times over 24 h. */
  readonly delivery: { readonly attemptNumber: number };
}

/** A record created, deleted (or privacy-deleted), or restored. */
export interface HubSpotLifecycleEvent extends EventBase {
  readonly action: "creation" | "deletion" | "privacyDeletion" | "restore";
}
/** One property changed value. */
export interface HubSpotPropertyChangeEvent extends EventBase {
  readonly action: "propertyChange";
  readonly propertyName: string;
  readonly propertyValue: string;
}
/** Two or more records were merged into `primaryObjectId`. */
export interface HubSpotMergeEvent extends EventBase {
  readonly action: "merge";
  readonly primaryObjectId: string;
  readonly mergedObjectIds: readonly string[];
  readonly newObjectId?: string | undefined;
}
/** An association was added or removed. */
export interface HubSpotAssociationChangeEvent extends EventBase {
  readonly action: "associationChange";
  readonly associationType: string;
  readonly fromObjectId: string;
  readonly toObjectId: string;
  readonly removed: boolean;
  readonly primary: boolean;
}
/** A subscription type this version of crmkit does not model; the raw event is kept. */
export interface HubSpotOtherEvent extends EventBase {
  readonly action: "other";
  readonly raw: Readonly<Record<string, unknown>>;
}

/** One typed HubSpot change event, discriminated by `action`. */
export type HubSpotWebhookEvent =
  | HubSpotLifecycleEvent
  | HubSpotPropertyChangeEvent
  | HubSpotMergeEvent
  | HubSpotAssociationChangeEvent
  | HubSpotOtherEvent;

const id = (value: string | number | undefined): string => (value === undefined ? "" : String(value));

function toEvent(raw: z.infer<typeof RawEvent>, original: Record<string, unknown>): HubSpotWebhookEvent {
  const [objectType = "object", action = ""] = raw.subscriptionType.split(".");
  const base: EventBase = {
    eventId: String(raw.eventId),
    portalId: raw.portalId,
    ...(raw.appId === undefined ? {} : { appId: raw.appId }),
    ...(raw.subscriptionId === undefined ? {} : { subscriptionId: raw.subscriptionId }),
    occurredAt: new Date(raw.occurredAt).toISOString(),
    subscriptionType: raw.subscriptionType,
    objectType,
    objectId: id(raw.objectId ?? raw.fromObjectId ?? raw.primaryObjectId),
    ...(raw.changeSource === undefined ? {} : { changeSource: raw.changeSource }),
    delivery: { attemptNumber: raw.attemptNumber },
  };
  switch (action) {
    case "creation":
    case "deletion":
    case "privacyDeletion":
    case "restore":
      return { ...base, action };
    case "propertyChange":
      return {
        ...base,
        action,
        propertyName: raw.propertyName ?? "",
        propertyValue: raw.propertyValue ?? "",
      };
    case "merge":
      return {
        ...base,
        action,
        primaryObjectId: id(raw.primaryObjectId ?? raw.objectId),
        mergedObjectIds: (raw.mergedObjectIds ?? []).map(String),
        ...(raw.newObjectId === undefined ? {} : { newObjectId: String(raw.newObjectId) }),
      };
    case "associationChange":
      return {
        ...base,
        action,
        associationType: raw.associationType ?? "",
        fromObjectId: id(raw.fromObjectId),
        toObjectId: id(raw.toObjectId),
        removed: raw.associationRemoved ?? false,
        primary: raw.isPrimaryAssociation ?? false,
      };
    default:
      return { ...base, action: "other", raw: original };
  }
}

/**
 * Parses a HubSpot webhook body (a JSON array of change events, as a string or already parsed) into typed
 * events, validated with zod. Returns every issue with its path as a `ContractError`; never throws. Verify the
 * signature first with {@link verifyHubSpotSignature}.
 *
 * @example
 * const events = parseHubSpotWebhook(rawBody);
 * if (events.isOk()) for (const e of events.value) if (e.action === "propertyChange") console.log(e.propertyName);
 */
export function parseHubSpotWebhook(body: unknown): Result<readonly HubSpotWebhookEvent[], ContractError> {
  const json = parseWebhookJson(body);
  if (json.isErr()) return err(json.error);
  const input = json.value;
  const list = Array.isArray(input) ? input : [input];
  const parsed = z.array(RawEvent).safeParse(list);
  // A lone event is validated as a one-element array: its issues' paths drop that added index.
  if (!parsed.success) return err(webhookContractError(parsed.error, Array.isArray(input) ? 0 : 1));
  return ok(parsed.data.map((raw, i) => toEvent(raw, list[i] as Record<string, unknown>)));
}
