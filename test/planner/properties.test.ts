import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CrmOwner, CrmRecord, CrmValue } from "../../src/adapter/index.js";
import { type Intents, type RecipeEvent, toIntents } from "../../src/intents/index.js";
import {
  createPlanPolicy,
  type PlanPolicy,
  planUpserts,
  type Snapshot,
  type UpsertPlan,
} from "../../src/planner/index.js";
import {
  bookingEvent,
  dealPipelines,
  leadEvent,
  onboardingEvent,
  paymentEvent,
  supportEvent,
  ticketPipelines,
} from "./builders.js";

// Property tests over arbitrary events, policies and CRM states: keys come from small pools so duplicates,
// ambiguous matches and regressions are frequent, and record properties include prototype keys and odd types.

const EMAILS = ["a@x.com", "b@y.com"];
const DOMAINS = ["x.com", "y.com"];
const IDS = ["1", "2", "3", "4"];
const OWNER_REFS = ["7", "8", "9", "ann@acme.test", "gone@acme.test", "nobody@acme.test"];
const VALUES: CrmValue[] = [
  "lead",
  "customer",
  "subscriber",
  "partner",
  "closedwon",
  "qualifiedtobuy",
  "contractsent",
  "ent_new",
  "7",
  "9",
  "",
  null,
  3,
];

const value = fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 4 }));
const properties = fc
  .tuple(
    fc.record(
      {
        lifecycle_stage: fc.constantFrom("subscriber", "lead", "customer", "evangelist", "partner", ""),
        stage_id: fc.constantFrom(
          "appointmentscheduled",
          "contractsent",
          "closedwon",
          "closedlost",
          "ent_new",
          "gone",
        ),
        pipeline_id: fc.constantFrom("default", "p_ent", "gone"),
        owner_id: fc.constantFrom("7", "8", "9", "", null),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(
      fc.constantFrom("email", "first_name", "priority", "subject", "__proto__", "constructor", "toString"),
      value,
    ),
  )
  .map(([known, odd]) => ({ ...odd, ...known }));
const crmRecord = (type: CrmRecord["type"]): fc.Arbitrary<CrmRecord> =>
  fc.record(
    {
      type: fc.constant(type),
      id: fc.constantFrom(...IDS),
      properties,
      associations: fc.dictionary(fc.constantFrom("contact", "company", "deal"), fc.subarray(IDS)),
    },
    { requiredKeys: ["type", "id", "properties"] },
  );
const answers = (keys: string[], type: CrmRecord["type"]) =>
  fc.dictionary(fc.constantFrom(...keys), fc.array(crmRecord(type), { maxLength: 3 }));

const snapshotArb: fc.Arbitrary<Snapshot> = fc.record(
  {
    matches: fc
      .tuple(
        answers(
          EMAILS.map((email) => `contact:email:${email}`),
          "contact",
        ),
        answers(
          DOMAINS.map((domain) => `company:domain:${domain}`),
          "company",
        ),
        answers(["ticket:external_ref:T-1"], "ticket"),
      )
      .map(([a, b, c]) => ({ ...a, ...b, ...c })),
    openDeals: answers(
      IDS.flatMap((id) => ["default", "p_ent", "*"].map((p) => `open_deals:${id}:${p}`)),
      "deal",
    ),
    history: fc.dictionary(
      fc.constantFrom(...IDS.map((id) => `history:${id}`)),
      fc.record({ wonDealIds: fc.subarray(IDS), paymentEventIds: fc.subarray(["p1"]) }),
    ),
    owners: fc.array(
      fc.record({
        id: fc.constantFrom("7", "8", "9", "10"),
        email: fc.constantFrom("ann@acme.test", "gone@acme.test"),
        active: fc.boolean(),
      }),
      { maxLength: 4 },
    ) as fc.Arbitrary<CrmOwner[]>,
    pipelines: fc.record(
      { deal: fc.constantFrom(dealPipelines, []), ticket: fc.constantFrom(ticketPipelines, []) },
      { requiredKeys: [] },
    ),
    tickets: fc.constantFrom("native", "activity", "none"),
    recordOrder: fc.shuffledSubarray(["contact", "company", "deal", "ticket"] as const),
  },
  { requiredKeys: [] },
);

const policyArb: fc.Arbitrary<PlanPolicy> = fc
  .record({
    minConfidence: fc.double({ min: 0, max: 1, noNaN: true }),
    rules: fc.array(
      fc.record({
        tier: fc.constantFrom("priority", "standard", undefined),
        owner: fc.oneof(fc.constantFrom(...OWNER_REFS), fc.subarray(OWNER_REFS, { minLength: 1 })),
      }),
      { maxLength: 3 },
    ),
    fallbackOwner: fc.constantFrom(...OWNER_REFS, undefined),
    pipeline: fc.constantFrom("Sales", "Enterprise", "p_ent", "Nope", undefined),
    bookingStage: fc.constantFrom("Contract sent", "Appointment scheduled", undefined),
  })
  .map(({ minConfidence, rules, fallbackOwner, pipeline, bookingStage }) =>
    createPlanPolicy({
      minConfidence,
      routing: rules.map((rule) =>
        rule.tier === undefined ? { owner: rule.owner } : { tier: rule.tier, owner: rule.owner },
      ),
      ...(fallbackOwner === undefined ? {} : { fallbackOwner }),
      pipelines: {
        deal: {
          ...(pipeline === undefined ? {} : { pipeline }),
          ...(bookingStage === undefined ? {} : { bookingStage }),
        },
      },
    }),
  );

const contact = fc.record({ email: fc.constantFrom(...EMAILS) });
const company = fc.option(fc.record({ domain: fc.constantFrom(...DOMAINS) }), { nil: undefined });
const eventArb: fc.Arbitrary<RecipeEvent> = fc.oneof(
  fc
    .record({
      contact,
      company,
      status: fc.constantFrom("qualified", "unqualified", "needs_review" as const),
      tier: fc.constantFrom("priority", "standard", "nurture" as const),
      confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      pipeline: fc.constantFrom("Sales", "Enterprise", undefined),
    })
    .map(({ contact, company, status, tier, confidence, pipeline }) =>
      leadEvent({
        contact,
        company,
        routing: {
          qualification_status: status,
          lead_score: 50,
          routing_tier: tier,
          ...(confidence === undefined ? {} : { confidence }),
          ...(pipeline === undefined ? {} : { target_pipeline: pipeline }),
        },
      }),
    ),
  fc
    .record({ contact, type: fc.constantFrom("payment.succeeded", "payment.failed" as const) })
    .map(({ contact, type }) => paymentEvent(type, { contact })),
  contact.map((c) => bookingEvent({ contact: c })),
  fc
    .record({ contact, company })
    .map(({ contact, company }) =>
      supportEvent({ contact, company, ticket: { ticket_ref: "T-1", subject: "s", priority: "high" } }),
    ),
  contact.map((c) => onboardingEvent({ contact: c })),
);

/** Intents of an event, sometimes with every item repeated under another id (two intents for one key). */
const intentsArb = (policy: PlanPolicy): fc.Arbitrary<Intents> =>
  fc.tuple(eventArb, fc.boolean()).map(([event, doubled]) => {
    const intents = toIntents(event, { policy })._unsafeUnwrap();
    if (!doubled) return intents;
    return {
      ...intents,
      items: [...intents.items, ...intents.items.map((item) => ({ ...item, id: `${item.id}-again` }))],
    };
  });

const caseArb = policyArb.chain((policy) =>
  fc.record({ policy: fc.constant(policy), intents: intentsArb(policy), snapshot: snapshotArb }),
);

const runs = { numRuns: 400 };

function plan({
  intents,
  snapshot,
  policy,
}: {
  intents: Intents;
  snapshot: Snapshot;
  policy: PlanPolicy;
}): UpsertPlan {
  return planUpserts({ intents, snapshot, policy });
}

describe("planUpserts properties", () => {
  it("is deterministic, never throws and returns plain JSON data", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const first = plan(input);
        expect(plan(input)).toEqual(first);
        expect(JSON.parse(JSON.stringify(first))).toEqual(first);
      }),
      runs,
    );
  });

  it("never creates two records for one key", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const keys: string[] = [];
        for (const step of plan(input).steps) {
          if (step.action !== "create" || step.kind !== "record") continue;
          if (step.key !== undefined) keys.push(`${step.objectType}:${step.key.field}:${step.key.value}`);
          else keys.push(`${step.objectType}:${step.evidence?.lookup}`);
        }
        expect(new Set(keys).size).toBe(keys.length);
      }),
      runs,
    );
  });

  it("never moves a lifecycle stage or a pipeline stage backwards", () => {
    const stageOrder = new Map(
      dealPipelines.flatMap((pipeline) => pipeline.stages.map((stage) => [stage.id, stage.order] as const)),
    );
    fc.assert(
      fc.property(caseArb, (input) => {
        const lifecycle = input.policy.lifecycleOrder;
        for (const step of plan(input).steps) {
          if (step.action !== "update") continue;
          for (const change of step.changes) {
            if (change.field === "lifecycle_stage" && change.from !== null && change.from !== "") {
              expect(lifecycle.indexOf(String(change.to))).toBeGreaterThan(
                lifecycle.indexOf(String(change.from)),
              );
              expect(lifecycle.indexOf(String(change.from))).toBeGreaterThanOrEqual(0);
            }
            if (change.field === "stage_id" && change.from !== null && change.from !== "") {
              expect(stageOrder.get(String(change.to))).toBeGreaterThan(
                stageOrder.get(String(change.from)) ?? Number.POSITIVE_INFINITY,
              );
            }
          }
        }
      }),
      runs,
    );
  });

  it("writes records in the adapter's recordOrder, every record before any association, note or task", () => {
    const defaults = ["contact", "company", "deal", "ticket"] as const;
    fc.assert(
      fc.property(caseArb, (input) => {
        const p = plan(input);
        const order = [...new Set([...(input.snapshot.recordOrder ?? []), ...defaults])];
        // Steps carry their intent's id, sub-steps (`contact.owner_id`) and duplicates (`contact#2`) a suffix; a
        // ticket on an activity adapter becomes a task and a noop has no type, so the intent says what it is.
        const typeOf = new Map<string, string>();
        for (const intent of input.intents.items) {
          if (intent.kind === "record" && !typeOf.has(intent.id)) typeOf.set(intent.id, intent.objectType);
        }
        const records = p.steps.filter((step) => typeOf.has(step.id.split(/[#.]/)[0] ?? ""));
        const places = records.map((step) =>
          order.indexOf(typeOf.get(step.id.split(/[#.]/)[0] ?? "") as never),
        );
        expect(places).toEqual([...places].sort((a, b) => a - b));
        const lastRecord = Math.max(-1, ...records.map((step) => p.steps.indexOf(step)));
        const firstOther = p.steps.findIndex((step) => !records.includes(step));
        if (firstOther !== -1) expect(firstOther).toBeGreaterThan(lastRecord);
      }),
      runs,
    );
  });

  it("sends every ambiguous match to review and writes nothing that depends on a review", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const p = plan(input);
        const held = new Set(
          p.steps.filter((step) => step.action === "review" || step.action === "skip").map((step) => step.id),
        );
        for (const step of p.steps) {
          if ((step.evidence?.matchedIds.length ?? 0) > 1) {
            expect(step).toMatchObject({ action: "review", errorReason: "ambiguous_duplicate_match" });
          }
          if (step.action === "create" && step.kind === "association") {
            for (const end of [step.from, step.to]) if ("step" in end) expect(held.has(end.step)).toBe(false);
          }
        }
        for (const intent of input.intents.items) {
          if (intent.kind !== "record" || intent.match.by !== "key") continue;
          const matches =
            input.snapshot.matches?.[`${intent.objectType}:${intent.match.field}:${intent.match.value}`];
          const own = Object.hasOwn(
            input.snapshot.matches ?? {},
            `${intent.objectType}:${intent.match.field}:${intent.match.value}`,
          );
          const decided = p.steps.find((step) => step.id === intent.id);
          if (own && (matches?.length ?? 0) > 1 && decided?.kind === "record" && decided.action !== "skip") {
            expect(decided).toMatchObject({ action: "review" });
          }
        }
      }),
      runs,
    );
  });
});
