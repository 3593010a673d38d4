import type { CrmObjectType } from "../adapter/index.js";
import { DEFAULT_MIN_CONFIDENCE } from "../contract/index.js";

/**
 * Who owns a field's value.
 *
 * - `source`: the event is the source of truth; a different value is written.
 * - `crm`: people edit it in the CRM; it is written when the record is created and never overwritten.
 * - `fill_if_empty`: written when the CRM has no value yet.
 */
export type FieldOwnership = "source" | "crm" | "fill_if_empty";

/**
 * One routing rule: when the event's routing signal matches every given condition, the record goes to `owner`.
 * A rule without conditions matches every event (a catch-all).
 *
 * @example
 * const rule: RoutingRule = { tier: "priority", role: "enterprise_ae", owner: ["ann@acme.test", "bob@acme.test"] };
 */
export interface RoutingRule {
  /** Matches `routing_tier`; a list matches any of its entries. */
  readonly tier?: string | readonly string[] | undefined;
  /** Matches `target_owner_role`; a list matches any of its entries. */
  readonly role?: string | readonly string[] | undefined;
  /**
   * The owner by email or CRM id, or a round-robin list; the list entry is picked by a stable hash of the event's
   * idempotency key, so a redelivered event always picks the same owner.
   */
  readonly owner: string | readonly string[];
}

/** A task the default recipes create. */
export interface TaskTemplate {
  readonly subject: string;
  /** Hours after the event's `occurred_at` the task is due. */
  readonly dueInHours: number;
  /** @default "medium" */
  readonly priority?: "low" | "medium" | "high" | undefined;
}

/** Which pipelines and stages deals go to, by label or id (resolved against the CRM's pipelines). */
export interface DealPipelinePolicy {
  /** Pipeline for new deals when the event names none. @default the CRM's first deal pipeline */
  readonly pipeline?: string | undefined;
  /** Stage of new deals. @default the pipeline's open stage with the lowest order */
  readonly initialStage?: string | undefined;
  /** Stage a paid deal moves to. @default the pipeline's first won stage */
  readonly wonStage?: string | undefined;
  /** Stage the open deal moves to on `booking.scheduled` (forward only). @default undefined (no stage move) */
  readonly bookingStage?: string | undefined;
}

/** Which pipeline and stage new tickets go to. */
export interface TicketPipelinePolicy {
  /** @default the CRM's first ticket pipeline (no pipeline is written when the CRM has none) */
  readonly pipeline?: string | undefined;
  /** @default the pipeline's open stage with the lowest order */
  readonly initialStage?: string | undefined;
}

/**
 * Everything the recipes and the planner decide by: field ownership, the lifecycle order, owner routing,
 * pipelines, notes and tasks. Build one with {@link createPlanPolicy}; {@link defaultPolicy} is the default.
 */
export interface PlanPolicy {
  /**
   * Routing confidence below this sends owner and deal decisions to review (safe writes still happen).
   * @default 0.6
   */
  readonly minConfidence: number;
  /** Ownership per object type per canonical field; unlisted fields are `source`. */
  readonly fieldOwnership: Readonly<Partial<Record<CrmObjectType, Readonly<Record<string, FieldOwnership>>>>>;
  /**
   * Contact lifecycle stages from earliest to latest; `lifecycle_stage` only ever moves forward in this order.
   * @default HubSpot's: subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist
   */
  readonly lifecycleOrder: readonly string[];
  /** Routing rules, first match wins. @default [] */
  readonly routing: readonly RoutingRule[];
  /** Owner (email or id) used when the routed owner is inactive or unknown, or no rule matches. @default undefined */
  readonly fallbackOwner?: string | undefined;
  readonly pipelines: {
    readonly deal: DealPipelinePolicy;
    readonly ticket: TicketPipelinePolicy;
  };
  /** Which records the event-summary note is attached to. @default { contact: true, deal: true } */
  readonly notes: { readonly contact: boolean; readonly deal: boolean };
  /** Tasks the default recipes create. */
  readonly tasks: {
    /** After a successful payment or an onboarding start. @default "Start onboarding", due in 24 h */
    readonly onboarding: TaskTemplate;
    /** After a failed payment. @default "Follow up on failed payment", due in 24 h, high priority */
    readonly paymentFailed: TaskTemplate;
    /** The meeting of a booking, due at its start. @default "Meeting" */
    readonly booking: { readonly subject: string };
  };
}

/** Overrides for {@link createPlanPolicy}; nested objects are merged with the defaults key by key. */
export interface PlanPolicyOptions {
  /** @default 0.6 */
  readonly minConfidence?: number | undefined;
  /** Merged per object type with the default ownership table. */
  readonly fieldOwnership?: PlanPolicy["fieldOwnership"] | undefined;
  readonly lifecycleOrder?: readonly string[] | undefined;
  readonly routing?: readonly RoutingRule[] | undefined;
  readonly fallbackOwner?: string | undefined;
  readonly pipelines?:
    | { readonly deal?: DealPipelinePolicy | undefined; readonly ticket?: TicketPipelinePolicy | undefined }
    | undefined;
  readonly notes?: Partial<PlanPolicy["notes"]> | undefined;
  readonly tasks?:
    | {
        readonly onboarding?: TaskTemplate | undefined;
        readonly paymentFailed?: TaskTemplate | undefined;
        readonly booking?: { readonly subject: string } | undefined;
      }
    | undefined;
}

/**
 * The default policy: keys (`email`, `domain`, `external_ref`) are the source's, names and phones only fill gaps,
 * owners and pipelines belong to the CRM once set, and deal amounts and ticket texts follow the source.
 */
export const defaultPolicy: PlanPolicy = Object.freeze<PlanPolicy>({
  minConfidence: DEFAULT_MIN_CONFIDENCE,
  fieldOwnership: {
    contact: {
      email: "source",
      first_name: "fill_if_empty",
      last_name: "fill_if_empty",
      phone: "fill_if_empty",
      job_title: "fill_if_empty",
      lifecycle_stage: "source",
      owner_id: "fill_if_empty",
    },
    company: { domain: "source", name: "fill_if_empty", owner_id: "fill_if_empty" },
    deal: {
      name: "crm",
      pipeline_id: "crm",
      stage_id: "source",
      amount: "source",
      currency: "source",
      owner_id: "fill_if_empty",
    },
    ticket: {
      external_ref: "source",
      subject: "source",
      description: "source",
      priority: "source",
      pipeline_id: "crm",
      stage_id: "crm",
      owner_id: "fill_if_empty",
    },
  },
  lifecycleOrder: [
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
  ],
  routing: [],
  pipelines: { deal: {}, ticket: {} },
  notes: { contact: true, deal: true },
  tasks: {
    onboarding: { subject: "Start onboarding", dueInHours: 24, priority: "medium" },
    paymentFailed: { subject: "Follow up on failed payment", dueInHours: 24, priority: "high" },
    booking: { subject: "Meeting" },
  },
});

function fail(option: string, message: string): never {
  throw new RangeError(`crmkit: createPlanPolicy option \`${option}\` ${message}`);
}

function checkTask(option: string, task: TaskTemplate): void {
  if (task.subject.trim() === "") fail(`${option}.subject`, "must not be empty");
  if (!(Number.isFinite(task.dueInHours) && task.dueInHours >= 0)) {
    fail(`${option}.dueInHours`, `must be a finite number of hours ≥ 0; got ${String(task.dueInHours)}`);
  }
}

function checkRules(rules: readonly RoutingRule[]): void {
  rules.forEach((rule, index) => {
    const owners = typeof rule.owner === "string" ? [rule.owner] : rule.owner;
    if (owners.length === 0 || owners.some((owner) => typeof owner !== "string" || owner.trim() === "")) {
      fail(`routing[${index}].owner`, "must be an owner email or id, or a non-empty list of them");
    }
  });
}

/**
 * Builds a {@link PlanPolicy} from overrides of {@link defaultPolicy}. Build it once and pass it to every
 * `toIntents` and `planUpserts` call.
 *
 * @throws {RangeError} naming the option when a value is out of range (`minConfidence` outside 0–1, an empty
 * round-robin list, a duplicate lifecycle stage, a negative task due offset).
 * @example
 * const policy = createPlanPolicy({
 *   minConfidence: 0.7,
 *   routing: [{ tier: "priority", owner: ["ann@acme.test", "bob@acme.test"] }, { owner: "sales@acme.test" }],
 *   fallbackOwner: "sales-lead@acme.test",
 *   pipelines: { deal: { pipeline: "Inbound", wonStage: "Closed won" } },
 * });
 */
export function createPlanPolicy(options: PlanPolicyOptions = {}): PlanPolicy {
  const minConfidence = options.minConfidence ?? defaultPolicy.minConfidence;
  if (!(minConfidence >= 0 && minConfidence <= 1)) {
    fail("minConfidence", `must be a number from 0 to 1; got ${String(minConfidence)}`);
  }
  const lifecycleOrder = options.lifecycleOrder ?? defaultPolicy.lifecycleOrder;
  if (lifecycleOrder.length === 0) fail("lifecycleOrder", "must list at least one stage");
  if (new Set(lifecycleOrder).size !== lifecycleOrder.length)
    fail("lifecycleOrder", "must not repeat a stage");
  const routing = options.routing ?? defaultPolicy.routing;
  checkRules(routing);
  if (options.fallbackOwner?.trim() === "") fail("fallbackOwner", "must be an owner email or id");

  const fieldOwnership: Partial<Record<CrmObjectType, Readonly<Record<string, FieldOwnership>>>> = {
    ...defaultPolicy.fieldOwnership,
  };
  for (const [type, fields] of Object.entries(options.fieldOwnership ?? {})) {
    for (const [field, ownership] of Object.entries(fields ?? {})) {
      if (ownership !== "source" && ownership !== "crm" && ownership !== "fill_if_empty") {
        fail(
          `fieldOwnership.${type}.${field}`,
          `must be "source", "crm" or "fill_if_empty"; got ${String(ownership)}`,
        );
      }
    }
    fieldOwnership[type as CrmObjectType] = {
      ...defaultPolicy.fieldOwnership[type as CrmObjectType],
      ...fields,
    };
  }

  const tasks = {
    onboarding: options.tasks?.onboarding ?? defaultPolicy.tasks.onboarding,
    paymentFailed: options.tasks?.paymentFailed ?? defaultPolicy.tasks.paymentFailed,
    booking: options.tasks?.booking ?? defaultPolicy.tasks.booking,
  };
  checkTask("tasks.onboarding", tasks.onboarding);
  checkTask("tasks.paymentFailed", tasks.paymentFailed);
  if (tasks.booking.subject.trim() === "") fail("tasks.booking.subject", "must not be empty");

  const policy: PlanPolicy = {
    minConfidence,
    fieldOwnership,
    lifecycleOrder: [...lifecycleOrder],
    routing: routing.map((rule) => ({ ...rule })),
    pipelines: {
      deal: { ...defaultPolicy.pipelines.deal, ...options.pipelines?.deal },
      ticket: { ...defaultPolicy.pipelines.ticket, ...options.pipelines?.ticket },
    },
    notes: { ...defaultPolicy.notes, ...options.notes },
    tasks,
    ...(options.fallbackOwner === undefined ? {} : { fallbackOwner: options.fallbackOwner }),
  };
  return policy;
}
