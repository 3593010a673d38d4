import * as z from "zod";
import { CONTRACT_LIMITS } from "./bounds.js";
import { deriveIdempotencyKey, Envelope, EVENT_TYPE_PATTERN, type IdempotencyKeyParts } from "./envelope.js";

type EnvelopeShape = typeof Envelope.shape;

/** The zod object of one event type: the envelope, the `event_type` literal and the type's own fields. */
export type EventObjectSchema<TType extends string, TShape extends z.core.$ZodShape> = z.ZodObject<
  EnvelopeShape & { event_type: z.ZodLiteral<TType> } & TShape
>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The parsed event of one type: like the object's output, with `idempotency_key` always present. */
export type EventOutput<TType extends string, TShape extends z.core.$ZodShape> = Simplify<
  Omit<z.output<EventObjectSchema<TType, TShape>>, "idempotency_key"> & { idempotency_key: string }
>;

/** The schema of one event type, as `defineEventType` builds it. */
export type EventSchema<TType extends string, TShape extends z.core.$ZodShape> = z.ZodPipe<
  EventObjectSchema<TType, TShape>,
  z.ZodTransform<EventOutput<TType, TShape>, z.output<EventObjectSchema<TType, TShape>>>
>;

/**
 * An event type the parser knows: its `event_type`, its complete schema (envelope included) and what the
 * intents layer needs. Built-in types and your own are the same kind of value.
 */
export interface EventTypeDefinition<
  TType extends string = string,
  TSchema extends z.ZodType = z.ZodType,
  TRecipe = unknown,
> {
  /** The `event_type` discriminator, e.g. `lead.submitted`. */
  readonly type: TType;
  /** The complete event schema: envelope, `event_type` literal and the type's fields, with normalization. */
  readonly schema: TSchema;
  /** One sentence for docs and the JSON Schema `description`. */
  readonly description: string | undefined;
  /** The recipe passed to `defineEventType`, carried unchanged for the intents layer; the contract never calls it. */
  readonly recipe: TRecipe | undefined;
}

/** The parsed event type of a definition. */
export type EventOf<TDefinition> =
  TDefinition extends EventTypeDefinition<string, infer TSchema> ? z.output<TSchema> : never;

/** Options for {@link defineEventType}. */
export interface DefineEventTypeOptions<TType extends string, TShape extends z.core.$ZodShape, TRecipe> {
  /**
   * The `event_type`: dot-separated lower-case words (`trial.started`), at most
   * {@link CONTRACT_LIMITS.eventType} characters.
   */
  type: TType;
  /**
   * A zod object with the event's own fields (not the envelope, which is added for you). Unknown keys are
   * always stripped whatever the object's mode; refinements on the object are kept.
   */
  schema: z.ZodObject<TShape, z.core.$ZodObjectConfig>;
  /** One sentence that says what the event means; shown in docs and the JSON Schema. @default undefined */
  description?: string | undefined;
  /**
   * A pure function run after every field is valid and normalized, to derive one field from another (the
   * built-in lead derives the company domain from the email this way). It must not throw.
   * @default undefined
   */
  finalize?: ((event: EventOutput<TType, TShape>) => EventOutput<TType, TShape>) | undefined;
  /** How the intents layer turns this event into CRM intents; carried on the definition unchanged. @default undefined */
  recipe?: TRecipe | undefined;
}

const ENVELOPE_KEYS = new Set<string>([...Object.keys(Envelope.shape), "event_type"]);

// Blank optional texts are parsed to `undefined`; the key is dropped so the event serializes the same way it is
// typed and a parse → JSON → parse round trip is stable. `raw` is opaque and left exactly as sent. `for…in`
// walks the object without allocating a key array; the own-property test, needed only before acting on a key,
// keeps an inherited enumerable property from being touched.
function dropUndefined(value: Record<string, unknown>): void {
  for (const key in value) {
    const child = value[key];
    if (child === undefined) {
      if (Object.hasOwn(value, key)) delete value[key];
    } else if (
      key !== "raw" &&
      typeof child === "object" &&
      child !== null &&
      !Array.isArray(child) &&
      Object.hasOwn(value, key)
    ) {
      dropUndefined(child as Record<string, unknown>);
    }
  }
}

/**
 * Defines an event type, built-in or your own. The result is passed to `createEventParser({ eventTypes })`;
 * nothing is registered globally, so two parsers in one process can know different types.
 *
 * @throws {TypeError} when `type` is not a valid event type name or `schema` redefines an envelope field.
 * @example
 * const TrialStarted = defineEventType({
 *   type: "trial.started",
 *   description: "A visitor started a free trial.",
 *   schema: z.object({ contact: Contact, trial: z.object({ plan: z.string(), ends_at: Timestamp }) }),
 * });
 * const parser = createEventParser({ eventTypes: [TrialStarted] });
 * parser.parse(body); // Result<CanonicalEvent | EventOf<typeof TrialStarted>, ContractError>
 */
export function defineEventType<
  const TType extends string,
  TShape extends z.core.$ZodShape,
  TRecipe = undefined,
>(
  options: DefineEventTypeOptions<TType, TShape, TRecipe>,
): EventTypeDefinition<TType, EventSchema<TType, TShape>, TRecipe> {
  const { type, schema, description, finalize, recipe } = options;
  if (typeof type !== "string" || type.length > CONTRACT_LIMITS.eventType || !EVENT_TYPE_PATTERN.test(type)) {
    throw new TypeError(
      `crmkit: defineEventType \`type\` must be dot-separated lower-case words of at most ${CONTRACT_LIMITS.eventType} characters, such as "trial.started"; got ${JSON.stringify(type)}`,
    );
  }
  if (!(schema instanceof z.ZodObject)) {
    throw new TypeError(
      `crmkit: defineEventType \`schema\` for "${type}" must be a zod object (z.object({...}))`,
    );
  }
  const clash = Object.keys(schema.shape).find((key) => ENVELOPE_KEYS.has(key));
  if (clash !== undefined) {
    throw new TypeError(
      `crmkit: defineEventType \`schema\` for "${type}" must not define the envelope field "${clash}"; the envelope is added for you`,
    );
  }
  // event_type first and raw last, so the parsed event and its JSON Schema read in a natural order.
  const { raw, ...envelope } = Envelope.shape;
  let object = z.object({ event_type: z.literal(type), ...envelope, ...schema.shape, raw });
  const checks = schema._zod.def.checks ?? [];
  if (checks.length > 0) object = object.check(...(checks as z.core.$ZodCheck<z.output<typeof object>>[]));
  const meta = description === undefined ? { title: type } : { title: type, description };
  const transform = (event: z.output<typeof object>) => {
    dropUndefined(event as Record<string, unknown>);
    const withKey = event as typeof event & { idempotency_key: string };
    withKey.idempotency_key ??= deriveIdempotencyKey(event as unknown as IdempotencyKeyParts);
    return finalize ? finalize(withKey as never) : withKey;
  };
  const full = object.meta(meta).transform(transform) as unknown as EventSchema<TType, TShape>;
  return { type, schema: full, description, recipe };
}
