import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { compiledSchema } from "../../src/contract/compiled-schema.js";
import { safeParseInRegion } from "../../src/contract/fields.js";
import { BUILTIN_EVENT_TYPES, parseEvent } from "../../src/contract/index.js";
import type { PhoneRegion } from "../../src/contract/normalize-phone.js";
import { type FixtureName, fixture, lead } from "./fixtures.js";

const RUNS = { numRuns: 300 };
const FIXTURES: FixtureName[] = [
  "diagnostic-lead",
  "broken-lead",
  "payment-succeeded",
  "payment-failed",
  "booking-scheduled",
  "support-requested",
  "onboarding-started",
];

// The compiled schema must answer exactly as the regular one: same success, same data (key order included, as
// JSON), same issues.
function expectSameParse(schema: z.ZodType, input: unknown, region?: PhoneRegion): void {
  const regular = safeParseInRegion(region, schema, input);
  const compiled = safeParseInRegion(region, compiledSchema(schema), input);
  expect(compiled.success).toBe(regular.success);
  if (regular.success && compiled.success) {
    expect(compiled.data).toStrictEqual(regular.data);
    expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(regular.data));
  } else {
    expect(compiled.error?.issues).toStrictEqual(regular.error?.issues);
  }
}

const schemaOf = (type: string) => BUILTIN_EVENT_TYPES.find((definition) => definition.type === type)!.schema;

// Producer-style variation in every normalized field, blanks and whitespace included.
const pad = fc.constantFrom("", " ", "\t");
const optional = (value: fc.Arbitrary<string>) =>
  fc.option(fc.oneof(value, fc.constantFrom("", "  ")), { nil: undefined });
const variedLead = fc
  .record({
    email: fc.emailAddress(),
    upper: fc.boolean(),
    pad,
    phone: optional(fc.constantFrom("+1 (415) 555-0132", "+44 20 7946 0958", "(415) 555-0132", "12")),
    domain: optional(fc.oneof(fc.domain(), fc.webUrl())),
    companyName: optional(fc.string({ maxLength: 10 })),
    firstName: optional(fc.string({ maxLength: 10 })),
    occurred: fc.constantFrom(
      "2024-05-01T12:03:11+02:00",
      "2024-05-01T10:03:11.481Z",
      "1000-01-01T00:30:00+01:00",
      "9999-12-31T23:00:00-02:00",
      "2024-02-29 23:59:59,9999-0130",
      "2024-05-01T10:03",
    ),
    utm: optional(fc.string({ maxLength: 5 })),
    stack: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 3 }),
    score: fc.integer({ min: -1, max: 101 }),
  })
  .map((v) =>
    lead({
      occurred_at: v.occurred,
      contact: {
        email: `${v.pad}${v.upper ? v.email.toUpperCase() : v.email}${v.pad}`,
        phone: v.phone,
        first_name: v.firstName,
      },
      company: { name: v.companyName, domain: v.domain },
      lead: { detected_stack: v.stack, utm: { source: v.utm } },
      routing: { lead_score: v.score },
    }),
  );

describe("compiledSchema", () => {
  it("compiles every built-in event type", () => {
    for (const definition of BUILTIN_EVENT_TYPES) {
      expect(compiledSchema(definition.schema)).not.toBe(definition.schema);
      expect(compiledSchema(definition.schema)).toBe(compiledSchema(definition.schema));
    }
  });

  it.each(FIXTURES)("parses the %s fixture exactly as the regular schema", (name) => {
    const input = fixture(name);
    expectSameParse(schemaOf(String(input["event_type"])), input);
  });

  it("parses varied leads exactly as the regular schema, with and without a default region", () => {
    const schema = schemaOf("lead.submitted");
    fc.assert(
      fc.property(variedLead, fc.constantFrom<PhoneRegion | undefined>(undefined, "US"), (input, region) => {
        expectSameParse(schema, input, region);
      }),
      RUNS,
    );
  });

  it("parses fixtures with any one field replaced exactly as the regular schema", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXTURES.filter((name) => name !== "broken-lead")),
        fc.jsonValue(),
        (name, value) => {
          const input = fixture(name);
          const keys = Object.keys(input);
          input[keys[JSON.stringify(value).length % keys.length]!] = value;
          expectSameParse(schemaOf(String(fixture(name)["event_type"])), input);
        },
      ),
      RUNS,
    );
  });

  it("gives parseEvent the same results before and after a type turns hot and is compiled", () => {
    const valid = fixture("booking-scheduled");
    const invalid = fixture("booking-scheduled");
    invalid["occurred_at"] = "yesterday";
    const first = [parseEvent(valid)._unsafeUnwrap(), parseEvent(invalid)._unsafeUnwrapErr().toJSON()];
    for (let i = 0; i < 300; i++) parseEvent(valid);
    expect([
      parseEvent(valid)._unsafeUnwrap(),
      parseEvent(invalid)._unsafeUnwrapErr().toJSON(),
    ]).toStrictEqual(first);
  });

  it("leaves a schema uncompiled while z.config({ jitless: true }) forbids generated code", () => {
    const schema = z.object({ a: z.string() });
    const before = z.config().jitless;
    z.config({ jitless: true });
    try {
      expect(compiledSchema(schema)).toBe(schema);
    } finally {
      z.config({ jitless: before });
    }
    expect(compiledSchema(schema)).not.toBe(schema);
  });
});
