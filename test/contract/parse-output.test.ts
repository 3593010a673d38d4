import { describe, expect, it } from "vitest";
import { CONTRACT_LIMITS, type LeadSubmitted, parseEvent } from "../../src/contract/index.js";
import { lead } from "./fixtures.js";

function parsedLead(input: unknown): LeadSubmitted {
  return parseEvent(input)._unsafeUnwrap() as LeadSubmitted;
}

const ENVELOPE_KEYS = [
  "event_type",
  "event_id",
  "contract_version",
  "source_system",
  "source_record_id",
  "occurred_at",
  "received_at",
  "correlation_id",
];

describe("parsed lead key order", () => {
  it("appends a derived company after the idempotency key when the lead had none", () => {
    const input = lead();
    delete input["company"];
    const event = parsedLead(input);
    expect(Object.keys(event)).toEqual([
      ...ENVELOPE_KEYS,
      "contact",
      "lead",
      "routing",
      "raw",
      "idempotency_key",
      "company",
    ]);
    expect(event.company).toStrictEqual({ domain: "example.com" });
  });

  it("keeps the company in place and appends a derived domain after its name", () => {
    const event = parsedLead(lead({ company: { domain: " " } }));
    expect(Object.keys(event)).toEqual([
      ...ENVELOPE_KEYS,
      "contact",
      "company",
      "lead",
      "routing",
      "raw",
      "idempotency_key",
    ]);
    expect(JSON.stringify(event.company)).toBe('{"name":"Example Inc","domain":"example.com"}');
  });
});

describe("raw size", () => {
  // `{"blob":"` and `"}` are 11 bytes; "é" is one UTF-16 unit and two UTF-8 bytes, so only a byte count decides.
  const rawOfBytes = (bytes: number) => ({ blob: `${"é".repeat(32_762)}${"x".repeat(bytes - 11 - 65_524)}` });

  it("accepts a raw payload of exactly the byte limit in multi-byte characters", () => {
    const input = lead();
    input["raw"] = rawOfBytes(CONTRACT_LIMITS.rawBytes);
    expect(parseEvent(input).isOk()).toBe(true);
  });

  it("rejects a raw payload one byte over the limit and names its size", () => {
    const input = lead();
    input["raw"] = rawOfBytes(CONTRACT_LIMITS.rawBytes + 1);
    const issues = parseEvent(input)._unsafeUnwrapErr().issues;
    expect(issues).toEqual([expect.objectContaining({ field: "raw", code: "too_big" })]);
    expect(issues[0]?.message).toMatch(/^is 65537 bytes as JSON/);
  });
});
