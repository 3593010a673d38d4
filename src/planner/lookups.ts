import type { CrmObjectType } from "../adapter/index.js";
import type { Intents, RecordIntent } from "../intents/index.js";
import { resolvePipeline } from "./pipelines.js";
import type { PlanPolicy } from "./policy.js";
import { defaultPolicy } from "./policy.js";
import { entry, findKey, historyKey, openDealsKey, type Snapshot } from "./snapshot.js";

/**
 * One read the executor performs before planning. Store each answer in the {@link Snapshot} under `key`
 * (`matches`, `openDeals`, `history`) or in `owners`, `pipelines`, `fields`.
 */
export type LookupRequest =
  /** `adapter.find({ type, field, value })` (or one `findMany` per type and field, see {@link groupFinds}). */
  | {
      readonly kind: "find";
      readonly key: string;
      readonly type: CrmObjectType;
      readonly field: string;
      readonly value: string;
    }
  /** `adapter.listOwners()` into `snapshot.owners`. */
  | { readonly kind: "owners" }
  /** `adapter.listPipelines(objectType)` into `snapshot.pipelines[objectType]`. */
  | { readonly kind: "pipelines"; readonly objectType: "deal" | "ticket" }
  /** `adapter.describeFields(type)` into `snapshot.fields[type]`. */
  | { readonly kind: "fields"; readonly type: CrmObjectType }
  /** Phase 2: `adapter.findOpenDeals({ contactId, pipelineId })` into `snapshot.openDeals[key]`. */
  | {
      readonly kind: "open_deals";
      readonly key: string;
      readonly contactId: string;
      readonly pipelineId?: string | undefined;
    }
  /**
   * Phase 2: whether the contact has a won deal (its deals in a won stage) or a succeeded payment (the journal),
   * into `snapshot.history[key]` as {@link HistoryEvidence}.
   */
  | {
      readonly kind: "history";
      readonly key: string;
      readonly contactId: string;
      readonly email?: string | undefined;
    };

/** Options of {@link lookupsFor}. */
export interface LookupsOptions {
  /** The adapter's `capabilities.tickets`; tickets are searched only when `native`. @default "native" */
  readonly tickets?: "native" | "activity" | "none" | undefined;
}

function requestKey(request: LookupRequest): string {
  switch (request.kind) {
    case "find":
    case "open_deals":
    case "history":
      return request.key;
    case "owners":
      return "owners";
    case "pipelines":
      return `pipelines:${request.objectType}`;
    case "fields":
      return `fields:${request.type}`;
  }
}

function addUnique(out: LookupRequest[], seen: Set<string>, request: LookupRequest): void {
  const key = requestKey(request);
  if (seen.has(key)) return;
  seen.add(key);
  out.push(request);
}

function asList(intents: Intents | readonly Intents[]): readonly Intents[] {
  return Array.isArray(intents) ? intents : [intents as Intents];
}

/**
 * Phase 1: the reads that depend only on the intents (searches by key, owners, pipelines, field metadata). Pass
 * many events' intents at once to get one deduplicated list for a batch.
 *
 * @example
 * const requests = lookupsFor(intents);
 * // [{ kind: "find", key: "contact:email:ops@example.com", type: "contact", field: "email", value: "ops@example.com" }, …]
 */
export function lookupsFor(
  intents: Intents | readonly Intents[],
  options: LookupsOptions = {},
): LookupRequest[] {
  const out: LookupRequest[] = [];
  const seen = new Set<string>();
  const tickets = options.tickets ?? "native";
  for (const set of asList(intents)) {
    for (const intent of set.items) {
      if (intent.kind === "record") {
        if (intent.objectType === "ticket" && tickets !== "native") continue;
        if (intent.match.by === "key") {
          const { field, value } = intent.match;
          addUnique(out, seen, {
            kind: "find",
            key: findKey(intent.objectType, field, value),
            type: intent.objectType,
            field,
            value,
          });
        } else {
          addUnique(out, seen, { kind: "pipelines", objectType: "deal" });
        }
        if (intent.objectType === "ticket") addUnique(out, seen, { kind: "pipelines", objectType: "ticket" });
        if (intent.objectType === "deal") addUnique(out, seen, { kind: "pipelines", objectType: "deal" });
        addUnique(out, seen, { kind: "fields", type: intent.objectType });
        if (intent.owner !== undefined) addUnique(out, seen, { kind: "owners" });
      } else if (intent.kind === "task" && intent.owner !== undefined) {
        addUnique(out, seen, { kind: "owners" });
      }
    }
  }
  return out;
}

function matchedId(
  snapshot: Snapshot,
  intents: Intents,
  step: string,
): { id: string; email?: string } | undefined {
  const target = intents.items.find(
    (item): item is RecordIntent => item.kind === "record" && item.id === step,
  );
  if (target === undefined || target.match.by !== "key") return undefined;
  const records = entry(snapshot.matches, findKey(target.objectType, target.match.field, target.match.value));
  if (records === undefined || records.length !== 1) return undefined;
  const email =
    target.objectType === "contact" && target.match.field === "email" ? target.match.value : undefined;
  const found: { id: string; email?: string } = { id: records[0]!.id };
  if (email !== undefined) found.email = email;
  return found;
}

/**
 * Phase 2: the reads that depend on phase 1 answers: open deals of a contact that matched exactly once (in the
 * pipeline resolved from the snapshot's pipelines), and the purchase history behind onboarding preconditions. A
 * contact that is about to be created has neither, so nothing is read for it.
 *
 * @example
 * const snapshot1 = await read(lookupsFor(intents));
 * const snapshot = { ...snapshot1, ...(await read(followUpLookupsFor(intents, snapshot1, policy))) };
 */
export function followUpLookupsFor(
  intents: Intents | readonly Intents[],
  snapshot: Snapshot,
  policy: PlanPolicy = defaultPolicy,
): LookupRequest[] {
  const out: LookupRequest[] = [];
  const seen = new Set<string>();
  for (const set of asList(intents)) {
    for (const intent of set.items) {
      if (intent.kind === "record" && intent.match.by === "open_deal") {
        const contact = matchedId(snapshot, set, intent.match.contact.step);
        if (contact === undefined) continue;
        let pipelineId: string | undefined;
        if (intent.match.pipeline !== undefined || intent.mode === "upsert") {
          const pipeline = resolvePipeline(
            snapshot.pipelines?.deal,
            intent.match.pipeline ?? policy.pipelines.deal.pipeline,
          );
          if (!pipeline.ok) continue;
          pipelineId = pipeline.pipeline.id;
        }
        const key = openDealsKey(contact.id, pipelineId);
        addUnique(out, seen, {
          kind: "open_deals",
          key,
          contactId: contact.id,
          ...(pipelineId === undefined ? {} : { pipelineId }),
        });
      } else if (intent.kind === "task" && intent.requires?.kind === "won_deal_or_payment") {
        const contact = matchedId(snapshot, set, intent.requires.contact.step);
        if (contact === undefined) continue;
        addUnique(out, seen, {
          kind: "history",
          key: historyKey(contact.id),
          contactId: contact.id,
          ...(contact.email === undefined ? {} : { email: contact.email }),
        });
      }
    }
  }
  return out;
}

/**
 * Groups `find` requests by object type and field, so an adapter with `findMany` reads each group in one call.
 *
 * @example
 * for (const group of groupFinds(requests)) await adapter.findMany?.(group.type, group.field, group.values);
 */
export function groupFinds(
  requests: readonly LookupRequest[],
): { readonly type: CrmObjectType; readonly field: string; readonly values: readonly string[] }[] {
  const groups = new Map<string, { type: CrmObjectType; field: string; values: string[] }>();
  for (const request of requests) {
    if (request.kind !== "find") continue;
    const id = `${request.type}:${request.field}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = { type: request.type, field: request.field, values: [] };
      groups.set(id, group);
    }
    if (!group.values.includes(request.value)) group.values.push(request.value);
  }
  return [...groups.values()];
}
