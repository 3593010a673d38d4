import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  Contact,
  createEventParser,
  defineEventType,
  type EventOf,
  eventJsonSchema,
  parseEvent,
  Timestamp,
} from "../../src/contract/index.js";

const TrialStarted = defineEventType({
  type: "trial.started",
  description: "A visitor started a free trial.",
  schema: z
    .object({
      contact: Contact,
      trial: z.object({ plan: z.enum(["starter", "growth"]), ends_at: Timestamp }),
    })
    .refine((event) => event.contact.email.endsWith(".com"), {
      path: ["contact", "email"],
      params: { code: "not_dot_com" },
      error: "must be a .com address for trials",
    }),
  recipe: { kind: "trial" },
});

const trial = {
  event_type: "trial.started",
  event_id: "evt_t1",
  contract_version: "1.0",
  source_system: "app",
  source_record_id: "trial_9",
  occurred_at: "2024-07-01T09:00:00+02:00",
  correlation_id: "req_t1",
  contact: { email: "Ann@Example.com", phone: "0151 23456789" },
  trial: { plan: "growth", ends_at: "2024-07-15T00:00:00Z" },
};

describe("defineEventType", () => {
  it("adds the envelope, so a parser built with the type parses and normalizes it", () => {
    const parser = createEventParser({ eventTypes: [TrialStarted], defaultRegion: "DE" });
    const event = parser.parse(trial)._unsafeUnwrap();
    expect(event).toStrictEqual({
      event_type: "trial.started",
      event_id: "evt_t1",
      contract_version: "1.0",
      source_system: "app",
      source_record_id: "trial_9",
      occurred_at: "2024-07-01T07:00:00.000Z",
      correlation_id: "req_t1",
      contact: { email: "ann@example.com", phone: "+4915123456789" },
      trial: { plan: "growth", ends_at: "2024-07-15T00:00:00.000Z" },
      idempotency_key: "trial.started:app:trial_9",
    });
  });

  it("types the parsed event as the union of built-in and custom events", () => {
    const parser = createEventParser({ eventTypes: [TrialStarted] });
    const event = parser.parse({ ...trial, contact: { email: "ann@example.com" } })._unsafeUnwrap();
    if (event.event_type === "trial.started") {
      const typed: EventOf<typeof TrialStarted> = event;
      expect(typed.trial.plan).toBe("growth");
    } else {
      throw new Error("expected a trial");
    }
  });

  it("keeps refinements of the custom schema", () => {
    const parser = createEventParser({ eventTypes: [TrialStarted] });
    const issues = parser.parse({ ...trial, contact: { email: "ann@example.de" } })._unsafeUnwrapErr().issues;
    expect(issues).toEqual([
      expect.objectContaining({
        field: "contact.email",
        code: "not_dot_com",
        message: "must be a .com address for trials",
      }),
    ]);
  });

  it("is unknown to parseEvent and to parsers built without it: no global registration", () => {
    createEventParser({ eventTypes: [TrialStarted] });
    expect(parseEvent(trial)._unsafeUnwrapErr().issues[0]?.code).toBe("unknown_event_type");
    expect(createEventParser().parse(trial).isErr()).toBe(true);
  });

  it("carries the recipe and description unchanged", () => {
    expect(TrialStarted.recipe).toEqual({ kind: "trial" });
    expect(TrialStarted.description).toBe("A visitor started a free trial.");
  });

  it("renders a JSON Schema for the custom type with the envelope", () => {
    const schema = eventJsonSchema(TrialStarted);
    expect(schema["title"]).toBe("trial.started");
    expect(schema["required"]).toEqual(expect.arrayContaining(["event_id", "contact", "trial"]));
  });

  it.each([["Trial.Started"], ["trial"], ["trial..started"], [`a.${"b".repeat(64)}`]])(
    "throws naming `type` for the invalid type %j",
    (type) => {
      expect(() => defineEventType({ type, schema: z.object({}) })).toThrow(/`type`/);
    },
  );

  it("throws naming `schema` when the schema redefines an envelope field", () => {
    expect(() => defineEventType({ type: "x.y", schema: z.object({ event_id: z.string() }) })).toThrow(
      /`schema`.*"event_id"/,
    );
  });

  it("throws naming `schema` when it is not a zod object", () => {
    expect(() => defineEventType({ type: "x.y", schema: z.string() as never })).toThrow(/`schema`/);
  });

  it("rejects a custom type that reuses a built-in or repeats, naming eventTypes", () => {
    const clash = defineEventType({ type: "lead.submitted", schema: z.object({}) });
    expect(() => createEventParser({ eventTypes: [clash] })).toThrow(/`eventTypes`.*built-in/);
    expect(() => createEventParser({ eventTypes: [TrialStarted, TrialStarted] })).toThrow(
      /`eventTypes`.*twice/,
    );
  });
});
