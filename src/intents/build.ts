import type { CrmValue } from "../adapter/index.js";
import type { PlanPolicy, TaskTemplate } from "../planner/index.js";
import type { EventContact, EventRouting, RecipeEvent } from "./events.js";
import type {
  AssociationIntent,
  Attachment,
  EventMeta,
  OwnerIntent,
  RecordIntent,
  RoutingSignal,
} from "./types.js";

// Small builders the default recipes share. They are exported through the module so user recipes can build the
// same shapes.

/** The event as plans record it; the idempotency key falls back to `type:source_system:source_record_id`. */
export function eventMeta(event: RecipeEvent): EventMeta {
  return {
    id: event.event_id,
    type: event.event_type,
    idempotencyKey:
      event.idempotency_key ?? `${event.event_type}:${event.source_system}:${event.source_record_id}`,
    occurredAt: event.occurred_at,
    sourceSystem: event.source_system,
  };
}

function put(properties: Record<string, CrmValue>, key: string, value: string | undefined): void {
  if (value !== undefined && value !== "") properties[key] = value;
}

/**
 * The contact intent (id `contact`) keyed by email, with the person's names (split from `full_name` when the
 * parts are missing), phone and job title, plus `extra` properties.
 *
 * @example
 * contactIntent(event.contact, { properties: { lifecycle_stage: "lead" }, why: "the lead's contact" });
 */
export function contactIntent(
  contact: EventContact,
  options: {
    readonly properties?: Readonly<Record<string, CrmValue>> | undefined;
    readonly owner?: OwnerIntent | undefined;
    readonly mode?: RecordIntent["mode"] | undefined;
    readonly why: string;
  },
): RecordIntent {
  const properties: Record<string, CrmValue> = { email: contact.email };
  let first = contact.first_name;
  let last = contact.last_name;
  if (first === undefined && last === undefined && contact.full_name !== undefined) {
    const parts = contact.full_name.trim().split(/\s+/);
    first = parts[0];
    last = parts.length > 1 ? parts.slice(1).join(" ") : undefined;
  }
  put(properties, "first_name", first);
  put(properties, "last_name", last);
  put(properties, "phone", contact.phone);
  put(properties, "job_title", contact.job_title);
  Object.assign(properties, options.properties);
  return {
    kind: "record",
    id: "contact",
    objectType: "contact",
    mode: options.mode ?? "upsert",
    match: { by: "key", field: "email", value: contact.email },
    properties,
    why: options.why,
    ...(options.owner === undefined ? {} : { owner: options.owner }),
  };
}

/** The company intent (id `company`) keyed by domain. */
export function companyIntent(domain: string, name: string | undefined, why: string): RecordIntent {
  const properties: Record<string, CrmValue> = { domain };
  put(properties, "name", name);
  return {
    kind: "record",
    id: "company",
    objectType: "company",
    mode: "upsert",
    match: { by: "key", field: "domain", value: domain },
    properties,
    why,
  };
}

/**
 * The association intent between two steps of one event, with the id `<from>-<to>` the default recipes use.
 *
 * @example
 * associationIntent("deal", "contact", "the deal is the contact's")
 * associationIntent("contact", "company", "the contact works at the company", "primary")
 */
export function associationIntent(from: string, to: string, why: string, label?: string): AssociationIntent {
  return {
    kind: "association",
    id: `${from}-${to}`,
    from: { step: from },
    to: { step: to },
    ...(label === undefined ? {} : { label }),
    why,
  };
}

/** `occurred_at` plus `hours`, as ISO-8601; an unparsable time is returned unchanged rather than throwing. */
export function dueAfter(occurredAt: string, hours: number): string {
  const at = Date.parse(occurredAt);
  return Number.isNaN(at) ? occurredAt : new Date(at + hours * 3_600_000).toISOString();
}

/** The due time and priority of a task template for an event. */
export function taskTiming(
  event: RecipeEvent,
  template: TaskTemplate,
): { dueAt: string; priority: "low" | "medium" | "high" } {
  return { dueAt: dueAfter(event.occurred_at, template.dueInHours), priority: template.priority ?? "medium" };
}

/**
 * Where the event-summary note goes under `policy.notes`: the contact and, when the event has a deal, the deal
 * (optional, so a deal in review or not found never stops the note). Empty when notes are off.
 */
export function noteAttachments(policy: PlanPolicy, hasDeal: boolean): Attachment[] {
  const out: Attachment[] = [];
  if (policy.notes.contact) out.push({ step: "contact" });
  if (policy.notes.deal && hasDeal)
    out.push(policy.notes.contact ? { step: "deal", optional: true } : { step: "deal" });
  return out;
}

/** A lead's routing block in the planner's terms. */
export function routingSignal(routing: EventRouting): RoutingSignal {
  return {
    qualification: routing.qualification_status,
    tier: routing.routing_tier,
    score: routing.lead_score,
    ...(routing.target_owner_role === undefined ? {} : { role: routing.target_owner_role }),
    ...(routing.confidence === undefined ? {} : { confidence: routing.confidence }),
    ...(routing.manual_review_required === undefined
      ? {}
      : { manualReviewRequired: routing.manual_review_required }),
  };
}

const fractionDigits = new Map<string, number>();

/** An amount in minor units as a decimal string in the currency's own precision (`4900`, `EUR` → `49.00`). */
export function majorUnits(amount: number, currency: string): string {
  let digits = fractionDigits.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    fractionDigits.set(currency, digits);
  }
  return (amount / 10 ** digits).toFixed(digits);
}

/** Joins the present parts of a note line. */
export function line(label: string, ...parts: (string | number | undefined)[]): string | undefined {
  const present = parts.filter((part) => part !== undefined && part !== "");
  return present.length === 0 ? undefined : `${label}: ${present.join(" · ")}`;
}

/** A note body from lines, dropping absent ones. */
export function body(lines: readonly (string | undefined)[]): string {
  return lines.filter((entry): entry is string => entry !== undefined).join("\n");
}
