import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  normalizeDomain,
  normalizeEmail,
  normalizePhone,
  normalizeTimestamp,
  parseEvent,
} from "../../src/contract/index.js";
import { lead } from "./fixtures.js";

const RUNS = { numRuns: 300 };

// A JSON tree whose object keys are drawn from the dangerous names and real field names, serialized by hand and
// read back with JSON.parse so `__proto__` arrives as an own property, exactly as from a request body.
type Tree = null | boolean | number | string | Tree[] | { entries: [string, Tree][] };
const KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "polluted",
  "event_type",
  "contact",
  "email",
  "raw",
  "lead",
];
const { tree } = fc.letrec<{ tree: Tree; object: { entries: [string, Tree][] } }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.string(),
    fc.array(tie("tree"), { maxLength: 4 }),
    tie("object"),
  ),
  object: fc
    .array(fc.tuple(fc.constantFrom(...KEYS), tie("tree")), { maxLength: 5 })
    .map((entries) => ({ entries })),
}));

function toJsonText(value: Tree): string {
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${value.entries.map(([key, child]) => `${JSON.stringify(key)}:${toJsonText(child)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function everyObject(value: unknown, visit: (object: object) => void): void {
  if (typeof value !== "object" || value === null) return;
  visit(value);
  for (const child of Object.values(value)) everyObject(child, visit);
}

// A valid lead with producer-style variation in every normalized field.
const messyLead = fc
  .record({
    email: fc.emailAddress(),
    upper: fc.boolean(),
    pad: fc.constantFrom("", " ", "\t", "  "),
    phone: fc.constantFrom(
      "+1 (415) 555-0132",
      "+14155550199",
      "+44 20 7946 0958",
      "+49 30 901820",
      "",
      undefined,
    ),
    domain: fc.option(
      fc.domain().map((domain) => `https://www.${domain}/about?x=1`),
      { nil: undefined },
    ),
    occurred: fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }),
    offset: fc.integer({ min: -12 * 60, max: 14 * 60 }),
    firstName: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    score: fc.integer({ min: 0, max: 100 }),
    confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  })
  .map((v) => {
    const local = new Date(v.occurred.getTime() + v.offset * 60_000).toISOString().slice(0, 19);
    const sign = v.offset < 0 ? "-" : "+";
    const abs = Math.abs(v.offset);
    const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
    const input = lead({
      occurred_at: `${local}${zone}`,
      contact: {
        email: `${v.pad}${v.upper ? v.email.toUpperCase() : v.email}${v.pad}`,
        phone: v.phone,
        first_name: v.firstName,
      },
      company: { domain: v.domain },
      routing: { lead_score: v.score, confidence: v.confidence },
    });
    return JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  });

describe("parseEvent properties", () => {
  it("never throws on arbitrary JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => parseEvent(value)).not.toThrow();
      }),
      RUNS,
    );
  });

  it("never throws on arbitrary JavaScript values", () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true }),
        (value) => {
          expect(() => parseEvent(value)).not.toThrow();
        },
      ),
      RUNS,
    );
  });

  it("never throws when any field of a valid lead is replaced by an arbitrary JSON value", () => {
    const fields = [
      "event_id",
      "occurred_at",
      "contact",
      "company",
      "lead",
      "routing",
      "raw",
      "contract_version",
    ];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.jsonValue(), (field, value) => {
        const input = lead();
        input[field] = value;
        const result = parseEvent(input);
        expect(result.isOk() || result.error.issues.length > 0).toBe(true);
      }),
      RUNS,
    );
  });

  it("is stable under parse ∘ serialize: a parsed event parses to itself", () => {
    fc.assert(
      fc.property(messyLead, (input) => {
        const first = parseEvent(input);
        expect(first.isOk()).toBe(true);
        const again = parseEvent(JSON.parse(JSON.stringify(first._unsafeUnwrap())));
        expect(again._unsafeUnwrap()).toStrictEqual(first._unsafeUnwrap());
      }),
      RUNS,
    );
  });

  it("never pollutes a prototype, whatever keys the payload carries", () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const arrayBefore = Object.getOwnPropertyNames(Array.prototype).sort();
    fc.assert(
      fc.property(tree, tree, tree, (top, contact, raw) => {
        // A replacer function, so `$'` and friends inside generated strings are not replacement patterns.
        const prefix = `{"__proto__":${toJsonText(top)},"raw":${toJsonText(raw)},"extra":${toJsonText(contact)},`;
        const text = JSON.stringify(lead()).replace(/^\{/, () => prefix);
        const result = parseEvent(JSON.parse(text));
        expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
        expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayBefore);
        if (result.isOk()) {
          everyObject(result.value, (object) => {
            expect([Object.prototype, Array.prototype]).toContain(Object.getPrototypeOf(object));
            expect(Object.hasOwn(object, "__proto__")).toBe(false);
          });
        }
      }),
      RUNS,
    );
  });
});

describe("normalizer properties", () => {
  function idempotent(normalize: (value: string) => { isOk(): boolean; _unsafeUnwrap(): string }) {
    return (value: string) => {
      const once = normalize(value);
      if (!once.isOk()) return;
      expect(normalize(once._unsafeUnwrap())._unsafeUnwrap()).toBe(once._unsafeUnwrap());
    };
  }

  it("normalizeEmail is idempotent", () => {
    const emails = fc.oneof(
      fc.emailAddress(),
      fc.emailAddress().map((email) => ` ${email.toUpperCase()} `),
      fc.string(),
    );
    fc.assert(fc.property(emails, idempotent(normalizeEmail)), RUNS);
  });

  it("normalizeDomain is idempotent", () => {
    const domains = fc.oneof(
      fc.domain(),
      fc.webUrl(),
      fc.domain().map((domain) => `WWW.www.${domain.toUpperCase()}.:8080/x`),
      fc.string(),
    );
    fc.assert(fc.property(domains, idempotent(normalizeDomain)), RUNS);
  });

  it("normalizePhone is idempotent", () => {
    const phones = fc.oneof(
      fc.constantFrom(
        "+1 (415) 555-0132",
        "+44 20 7946 0958",
        "+49 30 901820",
        "+33 1 23 45 67 89",
        "+81 3-1234-5678",
      ),
      fc.stringMatching(/^\+[1-9][0-9 ()-]{6,16}$/),
      fc.string(),
    );
    fc.assert(fc.property(phones, idempotent(normalizePhone)), RUNS);
  });

  it("normalizeTimestamp is idempotent and keeps the instant", () => {
    const stamps = fc
      .tuple(
        fc.date({ min: new Date("1000-01-02"), max: new Date("9999-12-30"), noInvalidDate: true }),
        fc.integer({ min: -18 * 60, max: 18 * 60 }),
      )
      .map(([date, offset]) => {
        const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const abs = Math.abs(offset);
        const zone = `${offset < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
        return { text: `${local}${zone}`, instant: date.getTime() };
      });
    fc.assert(
      fc.property(stamps, ({ text, instant }) => {
        const once = normalizeTimestamp(text)._unsafeUnwrap();
        expect(Date.parse(once)).toBe(instant);
        expect(normalizeTimestamp(once)._unsafeUnwrap()).toBe(once);
      }),
      RUNS,
    );
  });
});
