import { err, ok, type Result } from "neverthrow";
import { ContractError, type ContractIssue, contractIssue } from "../errors/index.js";
import { compiledSchema } from "./compiled-schema.js";
import type { EventOf, EventTypeDefinition } from "./define-event-type.js";
import { Envelope } from "./envelope.js";
import { BUILTIN_EVENT_TYPES, type CanonicalEvent } from "./events.js";
import { safeParseInRegion } from "./fields.js";
import { describeValue, toContractIssue } from "./issues.js";
import { assertPhoneRegion, type PhoneRegion } from "./normalize-phone.js";
import { toSafeInput } from "./safe-input.js";

/** Options for {@link parseEvent}. */
export interface ParseEventOptions {
  /**
   * Region for phone numbers written without a country code, e.g. `"US"` or `"DE"`. Without it such numbers
   * are an issue that names this option.
   * @default undefined (phones must be international, `+…`)
   */
  defaultRegion?: PhoneRegion | undefined;
}

/** Options for {@link createEventParser}. */
export interface EventParserOptions<TDefinitions extends readonly EventTypeDefinition[]>
  extends ParseEventOptions {
  /**
   * Your own event types from `defineEventType`, known beside the built-ins. A type may appear once and may not
   * reuse a built-in `event_type`.
   * @default []
   */
  eventTypes?: TDefinitions | undefined;
}

/** A parser for the built-in event types plus the ones it was created with. */
export interface EventParser<TEvent> {
  /**
   * Validates and normalizes one event. Never throws: every problem, with its path, is an issue in the
   * `ContractError`.
   */
  parse(input: unknown): Result<TEvent, ContractError>;
  /** Every `event_type` this parser accepts, built-ins first. */
  readonly eventTypes: readonly string[];
  /** The definition for `type`, or `undefined` when this parser does not know it. */
  definition(type: string): EventTypeDefinition | undefined;
}

type Registry = ReadonlyMap<string, EventTypeDefinition>;

// The built-in types switch to their compiled schemas (same results, about twice as fast) once they are hot;
// custom types keep the regular parser, because compiled parsing runs their own refinements a second time on
// invalid input. Compiling a type takes a few milliseconds, what a few hundred parses save, so a process that
// parses only a handful of events (one webhook per cold start) never pays for it.
const COMPILE_AFTER = 256;

interface BuiltinTier {
  parses: number;
  schema: EventTypeDefinition["schema"];
}

const builtinTiers = new Map<EventTypeDefinition, BuiltinTier>(
  BUILTIN_EVENT_TYPES.map((definition) => [definition, { parses: 0, schema: definition.schema }]),
);

function parsingSchema(definition: EventTypeDefinition): EventTypeDefinition["schema"] {
  const tier = builtinTiers.get(definition);
  if (tier === undefined) return definition.schema;
  if (tier.parses < COMPILE_AFTER) {
    tier.parses += 1;
    if (tier.parses === COMPILE_AFTER) tier.schema = compiledSchema(definition.schema);
  }
  return tier.schema;
}

function buildRegistry(custom: readonly EventTypeDefinition[]): Registry {
  const registry = new Map<string, EventTypeDefinition>();
  for (const definition of BUILTIN_EVENT_TYPES) registry.set(definition.type, definition);
  for (const definition of custom) {
    if (registry.has(definition.type)) {
      const builtin = BUILTIN_EVENT_TYPES.some((builtinType) => builtinType.type === definition.type);
      throw new TypeError(
        `crmkit: createEventParser \`eventTypes\` lists "${definition.type}" ${builtin ? "which is a built-in event type" : "twice"}; give each custom type a unique event_type`,
      );
    }
    registry.set(definition.type, definition);
  }
  return registry;
}

function unknownTypeIssue(registry: Registry, value: unknown): ContractIssue {
  const known = [...registry.keys()].join(", ");
  const what = value === undefined ? "is required" : `${describeValue(value)} is not a known event type`;
  return contractIssue(
    ["event_type"],
    "unknown_event_type",
    `${what}; send one of: ${known} (or register your own with defineEventType)`,
  );
}

function parseWith(
  registry: Registry,
  region: PhoneRegion | undefined,
  input: unknown,
): Result<unknown, ContractError> {
  try {
    const safe = toSafeInput(input);
    const value = safe.value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      const hint = typeof value === "string" ? " (did you forget JSON.parse?)" : "";
      const issue = contractIssue(
        [],
        "invalid_type",
        `must be an event object; got ${describeValue(value)}${hint}`,
      );
      return err(new ContractError([...safe.issues, issue]));
    }
    const eventType = (value as Record<string, unknown>)["event_type"];
    const definition = typeof eventType === "string" ? registry.get(eventType) : undefined;
    if (definition === undefined) {
      // The envelope is still checked so one round trip tells the producer everything that is wrong.
      const envelope = Envelope.safeParse(value);
      const issues = [...safe.issues, unknownTypeIssue(registry, eventType)];
      if (!envelope.success)
        for (const issue of envelope.error.issues) issues.push(toContractIssue(issue, value));
      return err(new ContractError(issues));
    }
    const result = safeParseInRegion(region, parsingSchema(definition), value);
    const issues = safe.issues;
    if (!result.success) for (const issue of result.error.issues) issues.push(toContractIssue(issue, value));
    if (issues.length > 0) return err(new ContractError(issues, { eventType: definition.type }));
    return ok(result.data);
  } catch (cause) {
    // Only hostile inputs get here (a Proxy or getter that throws while being read); the contract still holds.
    const issue = contractIssue(
      [],
      "unreadable_input",
      "could not be read as JSON data; send plain JSON values",
    );
    return err(new ContractError([issue], { cause }));
  }
}

/**
 * Creates a parser that knows the built-in event types and `eventTypes`. There is no global registry: each
 * parser has its own set, so libraries and tests cannot interfere with each other.
 *
 * @throws {TypeError} when `eventTypes` repeats a type or reuses a built-in one.
 * @throws {RangeError} when `defaultRegion` is not a known region code.
 * @example
 * const parser = createEventParser({ eventTypes: [TrialStarted], defaultRegion: "US" });
 * const result = parser.parse(JSON.parse(body));
 * if (result.isErr()) return reply.status(422).send(result.error.toJSON());
 */
export function createEventParser<const TDefinitions extends readonly EventTypeDefinition[] = readonly []>(
  options: EventParserOptions<TDefinitions> = {},
): EventParser<CanonicalEvent | EventOf<TDefinitions[number]>> {
  assertPhoneRegion(options.defaultRegion, "defaultRegion");
  const registry = buildRegistry(options.eventTypes ?? []);
  const region = options.defaultRegion;
  const eventTypes = Object.freeze([...registry.keys()]);
  return {
    parse: (input) =>
      parseWith(registry, region, input) as Result<
        CanonicalEvent | EventOf<TDefinitions[number]>,
        ContractError
      >,
    eventTypes,
    definition: (type) => registry.get(type),
  };
}

const builtinRegistry = buildRegistry([]);
// Shared rather than a fresh `{}` default per call: most calls pass no options.
const NO_OPTIONS: ParseEventOptions = Object.freeze({});

/**
 * Validates and normalizes one built-in event. Never throws on any input: every problem is reported as an issue
 * with its path, code and a message that says what to fix. Unknown keys are stripped; `__proto__`,
 * `constructor` and `prototype` keys are dropped before anything reads the input. For your own event types use
 * {@link createEventParser}.
 *
 * @throws {RangeError} only for a programming error: `options.defaultRegion` is not a known region code.
 * @example
 * const result = parseEvent(JSON.parse(body), { defaultRegion: "US" });
 * result.match(
 *   (event) => console.log(event.event_type, event.idempotency_key),
 *   (error) => console.error(error.issues.map((issue) => `${issue.field}: ${issue.message}`)),
 * );
 */
export function parseEvent(
  input: unknown,
  options: ParseEventOptions = NO_OPTIONS,
): Result<CanonicalEvent, ContractError> {
  assertPhoneRegion(options.defaultRegion, "defaultRegion");
  return parseWith(builtinRegistry, options.defaultRegion, input) as Result<CanonicalEvent, ContractError>;
}
