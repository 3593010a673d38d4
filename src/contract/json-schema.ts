import * as z from "zod";
import type { EventTypeDefinition } from "./define-event-type.js";
import { BUILTIN_EVENT_TYPES, CanonicalEvent, type CanonicalEventType } from "./events.js";

/** A JSON Schema document (draft 2020-12) as plain JSON data. */
export type JsonSchema = Record<string, unknown>;

// Input shape (what producers send): optional idempotency_key, phones and domains as written, no defaults.
function render(schema: z.ZodType, title: string): JsonSchema {
  const json = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }) as JsonSchema;
  return { ...json, title };
}

/**
 * The JSON Schema of one event type as producers send it, so services in other languages can validate before
 * sending. It checks shapes, lengths, enums and formats; normalization (email case, E.164, domain stripping,
 * derived keys) happens only in crmkit. The committed files under `schemas/` are this output.
 *
 * @throws {RangeError} when `type` is a string that is not a built-in event type.
 * @example
 * writeFileSync("lead.submitted.schema.json", JSON.stringify(eventJsonSchema("lead.submitted"), null, 2));
 * eventJsonSchema(TrialStarted); // a custom type from defineEventType
 */
export function eventJsonSchema(type: CanonicalEventType | EventTypeDefinition): JsonSchema {
  if (typeof type !== "string") return render(type.schema, type.type);
  const definition = BUILTIN_EVENT_TYPES.find((candidate) => candidate.type === type);
  if (definition === undefined) {
    const known = BUILTIN_EVENT_TYPES.map((candidate) => candidate.type).join(", ");
    throw new RangeError(
      `crmkit: eventJsonSchema: unknown event type ${JSON.stringify(type)}; known: ${known}`,
    );
  }
  return render(definition.schema, definition.type);
}

/**
 * The JSON Schema of any built-in event: a `oneOf` over the event types, discriminated by `event_type`.
 *
 * @example
 * const validate = ajv.compile(canonicalEventJsonSchema());
 */
export function canonicalEventJsonSchema(): JsonSchema {
  return render(CanonicalEvent, "CanonicalEvent");
}
