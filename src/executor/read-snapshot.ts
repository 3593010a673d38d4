import {
  CRM_OBJECT_TYPES,
  type CrmAdapter,
  type CrmObjectType,
  type CrmOwner,
  type CrmPipeline,
  type CrmRecord,
  type FieldMeta,
  type LookupReport,
} from "../adapter/index.js";
import type { Intents } from "../intents/index.js";
import type { Journal } from "../journal/index.js";
import {
  followUpLookupsFor,
  groupFinds,
  type HistoryEvidence,
  type LookupRequest,
  lookupsFor,
  type PlanPolicy,
  type Snapshot,
} from "../planner/index.js";
import { type CallContext, callAdapter } from "./call-adapter.js";

interface MutableSnapshot {
  matches: Record<string, readonly CrmRecord[]>;
  openDeals: Record<string, readonly CrmRecord[]>;
  history: Record<string, HistoryEvidence>;
  fields: Partial<Record<CrmObjectType, readonly FieldMeta[]>>;
  pipelines: { deal?: readonly CrmPipeline[]; ticket?: readonly CrmPipeline[] };
  owners?: readonly CrmOwner[];
  tickets: Snapshot["tickets"];
  recordOrder: Snapshot["recordOrder"];
  lookups: LookupReport[];
}

/** Reads purchase history for onboarding preconditions. */
export type HistoryReader = (contact: {
  contactId: string;
  email?: string | undefined;
}) => Promise<HistoryEvidence>;

/**
 * The default history reader: `payment.succeeded` events for the same email that the journal holds as applied
 * (or replayed). Deals marked won by hand in the CRM are not seen; pass `history` to `createSync` to add them.
 */
export function journalHistory(journal: Journal | undefined): HistoryReader {
  return async ({ email }) => {
    const paymentEventIds: string[] = [];
    if (journal === undefined || email === undefined) return { wonDealIds: [], paymentEventIds };
    let cursor: string | undefined;
    do {
      const page = await journal.list({
        eventType: "payment.succeeded",
        statuses: ["applied", "replayed", "partial_review"],
        limit: 1000,
        ...(cursor === undefined ? {} : { cursor }),
      });
      if (page.isErr()) throw page.error;
      for (const record of page.value.records) {
        const contact = (record.event as { contact?: { email?: unknown } } | undefined)?.contact;
        if (contact?.email === email) paymentEventIds.push(record.eventId);
      }
      cursor = page.value.nextCursor;
    } while (cursor !== undefined);
    return { wonDealIds: [], paymentEventIds };
  };
}

function emptySnapshot(adapter: CrmAdapter): MutableSnapshot {
  return {
    matches: {},
    openDeals: {},
    history: {},
    fields: {},
    pipelines: {},
    tickets: adapter.capabilities.tickets,
    recordOrder: adapter.capabilities.recordOrder,
    lookups: [],
  };
}

async function perform(
  ctx: CallContext,
  requests: readonly LookupRequest[],
  snapshot: MutableSnapshot,
  history: HistoryReader,
): Promise<void> {
  const batchRead = ctx.adapter.capabilities.batchSizes.read;
  const finds = requests.filter((r): r is Extract<LookupRequest, { kind: "find" }> => r.kind === "find");
  const reads: Promise<void>[] = [];
  if (ctx.adapter.findMany !== undefined && batchRead !== undefined) {
    // One findMany per (type, field) and chunk instead of one search per key: the cheapest read most CRMs offer.
    for (const group of groupFinds(finds)) {
      for (let i = 0; i < group.values.length; i += batchRead) {
        const values = group.values.slice(i, i + batchRead);
        reads.push(
          callAdapter(ctx, (adapter) =>
            adapter.findMany!(group.type, group.field, values, ctx.adapterContext),
          ).then((found) => {
            for (const request of finds) {
              if (
                request.type === group.type &&
                request.field === group.field &&
                values.includes(request.value)
              ) {
                snapshot.matches[request.key] = found.get(request.value) ?? [];
              }
            }
          }),
        );
      }
    }
  } else {
    for (const request of finds) {
      reads.push(
        callAdapter(ctx, (adapter) =>
          adapter.find(
            { type: request.type, field: request.field, value: request.value },
            ctx.adapterContext,
          ),
        ).then((found) => {
          snapshot.matches[request.key] = found;
        }),
      );
    }
  }
  const ac = ctx.adapterContext;
  for (const request of requests) {
    switch (request.kind) {
      case "find":
        break;
      case "owners":
        reads.push(
          ctx.metadata
            .owners(() => callAdapter(ctx, (adapter) => adapter.listOwners(ac)))
            .then((owners) => {
              snapshot.owners = owners;
            }),
        );
        break;
      case "pipelines":
        reads.push(
          ctx.metadata
            .pipelines(request.objectType, () =>
              callAdapter(ctx, (adapter) => adapter.listPipelines(request.objectType, ac)),
            )
            .then((pipelines) => {
              snapshot.pipelines[request.objectType] = pipelines;
            }),
        );
        break;
      case "fields":
        reads.push(
          ctx.metadata
            .fields(request.type, () =>
              callAdapter(ctx, (adapter) => adapter.describeFields(request.type, ac)),
            )
            .then((fields) => {
              snapshot.fields[request.type] = fields;
            }),
        );
        break;
      case "open_deals":
        reads.push(
          callAdapter(ctx, (adapter) =>
            adapter.findOpenDeals(
              {
                contactId: request.contactId,
                ...(request.pipelineId === undefined ? {} : { pipelineId: request.pipelineId }),
              },
              ac,
            ),
          ).then((deals) => {
            snapshot.openDeals[request.key] = deals;
          }),
        );
        break;
      case "history":
        reads.push(
          history({ contactId: request.contactId, email: request.email }).then((evidence) => {
            snapshot.history[request.key] = evidence;
          }),
        );
        break;
    }
  }
  // Reads of one phase are independent: issuing them together lets runMany's batching merge them across events.
  const settled = await Promise.allSettled(reads);
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failed !== undefined) throw failed.reason;
}

/**
 * Builds the planner's snapshot with the two-phase reads the planner asks for (`lookupsFor`, then
 * `followUpLookupsFor` on the phase-1 answers). Throws a `CrmError` when a read fails.
 */
export async function readSnapshot(
  ctx: CallContext,
  intents: Intents,
  policy: PlanPolicy,
  history: HistoryReader,
): Promise<Snapshot> {
  const snapshot = emptySnapshot(ctx.adapter);
  // Only this snapshot's lookups: a verifying search or an earlier snapshot of the run may have reported too.
  ctx.lookups.length = 0;
  await perform(ctx, lookupsFor(intents, { tickets: ctx.adapter.capabilities.tickets }), snapshot, history);
  await perform(ctx, followUpLookupsFor(intents, snapshot, policy), snapshot, history);
  // Concurrent lookups report in the order they finish; a stable order keeps plans of one event comparable.
  snapshot.lookups.push(...ctx.lookups.splice(0));
  snapshot.lookups.sort(
    (a, b) =>
      CRM_OBJECT_TYPES.indexOf(a.type) - CRM_OBJECT_TYPES.indexOf(b.type) ||
      a.field.localeCompare(b.field) ||
      a.via.localeCompare(b.via),
  );
  return snapshot;
}
