// The fields of the canonical events that the default recipes read, written structurally so any event that
// `parseEvent` returns fits them (the contract's zod output types are assignable to these), and so a recipe is
// testable with a plain object literal. Optional fields are spelled `?: T | undefined` because zod's output types
// carry `undefined` explicitly under `exactOptionalPropertyTypes`.

/** The envelope fields every event carries, as recipes and the planner read them. */
export interface RecipeEvent {
  readonly event_type: string;
  readonly event_id: string;
  readonly source_system: string;
  readonly source_record_id: string;
  /** ISO-8601 time the business event happened; due dates of tasks are computed from it. */
  readonly occurred_at: string;
  readonly correlation_id?: string | undefined;
  /** Present after parsing; when absent the stable `event_type:source_system:source_record_id` is used. */
  readonly idempotency_key?: string | undefined;
}

/** The person an event is about (email is normalized and required). */
export interface EventContact {
  readonly email: string;
  readonly phone?: string | undefined;
  readonly first_name?: string | undefined;
  readonly last_name?: string | undefined;
  readonly full_name?: string | undefined;
  readonly job_title?: string | undefined;
}

/** The organisation of the contact; `domain` is absent for free-mail addresses. */
export interface EventCompany {
  readonly name?: string | undefined;
  readonly domain?: string | undefined;
}

/** The routing block of a lead (AI or rules output). */
export interface EventRouting {
  readonly qualification_status: "qualified" | "unqualified" | "needs_review";
  readonly lead_score: number;
  readonly routing_tier: "priority" | "standard" | "nurture";
  readonly target_pipeline?: string | undefined;
  readonly target_owner_role?: string | undefined;
  readonly confidence?: number | undefined;
  readonly manual_review_required?: boolean | undefined;
}

/** `lead.submitted`. */
export interface LeadSubmittedEvent extends RecipeEvent {
  readonly event_type: "lead.submitted";
  readonly contact: EventContact;
  readonly company?: EventCompany | undefined;
  readonly lead?:
    | {
        readonly budget_range?: string | undefined;
        readonly urgency?: string | undefined;
        readonly pain_summary?: string | undefined;
        readonly detected_stack?: readonly string[] | undefined;
        readonly consent_to_contact: boolean;
        readonly utm?:
          | {
              readonly source?: string | undefined;
              readonly medium?: string | undefined;
              readonly campaign?: string | undefined;
              readonly term?: string | undefined;
              readonly content?: string | undefined;
            }
          | undefined;
      }
    | undefined;
  readonly routing?: EventRouting | undefined;
}

/** The payment block of `payment.succeeded` and `payment.failed`. */
export interface EventPayment {
  readonly provider: string;
  readonly payment_id: string;
  /** Minor units (cents). */
  readonly amount: number;
  /** ISO 4217 code. */
  readonly currency: string;
  readonly product?: string | undefined;
  readonly plan?: string | undefined;
}

/** `payment.succeeded` or `payment.failed`. */
export interface PaymentEvent extends RecipeEvent {
  readonly event_type: "payment.succeeded" | "payment.failed";
  readonly contact: EventContact;
  readonly payment: EventPayment;
}

/** `booking.scheduled`. */
export interface BookingScheduledEvent extends RecipeEvent {
  readonly event_type: "booking.scheduled";
  readonly contact: EventContact;
  readonly booking: {
    readonly booking_id: string;
    readonly starts_at: string;
    readonly ends_at?: string | undefined;
    readonly meeting_type?: string | undefined;
    readonly location?: string | undefined;
  };
}

/** `support.requested`. */
export interface SupportRequestedEvent extends RecipeEvent {
  readonly event_type: "support.requested";
  readonly contact: EventContact;
  readonly company?: EventCompany | undefined;
  readonly ticket: {
    readonly ticket_ref: string;
    readonly subject: string;
    readonly description?: string | undefined;
    readonly priority: "low" | "medium" | "high" | "urgent";
  };
}

/** `onboarding.started`. */
export interface OnboardingStartedEvent extends RecipeEvent {
  readonly event_type: "onboarding.started";
  readonly contact: EventContact;
  readonly onboarding: {
    readonly plan?: string | undefined;
    readonly kickoff_at?: string | undefined;
    readonly tasks?: readonly string[] | undefined;
  };
}

/** Every event type the default recipes handle. */
export type DefaultRecipeEvent =
  | LeadSubmittedEvent
  | PaymentEvent
  | BookingScheduledEvent
  | SupportRequestedEvent
  | OnboardingStartedEvent;
