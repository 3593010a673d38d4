import { describe, expect, it } from "vitest";
import { CONTRACT_LIMITS, deriveIdempotencyKey, parseEvent } from "../../src/contract/index.js";
import { fixture, lead } from "./fixtures.js";

function issuesOf(input: unknown) {
  return parseEvent(input)._unsafeUnwrapErr().issues;
}

describe("the envelope", () => {
  it("derives idempotency_key as event_type:source_system:source_record_id when absent", () => {
    const event = parseEvent(fixture("diagnostic-lead"))._unsafeUnwrap();
    expect(event.idempotency_key).toBe("lead.submitted:webflow:diag_form_5f2c9a");
  });

  it("keeps an idempotency_key the producer sent", () => {
    const event = parseEvent(fixture("onboarding-started"))._unsafeUnwrap();
    expect(event.idempotency_key).toBe("onboarding:acct_5521");
  });

  it("hashes the record id when the derived key would exceed the key limit, keeping it stable", () => {
    const parts = {
      event_type: "lead.submitted",
      source_system: "webflow",
      source_record_id: "r".repeat(255),
    };
    const key = deriveIdempotencyKey(parts);
    expect(key).toMatch(/^lead\.submitted:webflow:sha256:[0-9a-f]{64}$/);
    expect(key.length).toBeLessThanOrEqual(CONTRACT_LIMITS.idempotencyKey);
    expect(deriveIdempotencyKey(parts)).toBe(key);
  });

  it("normalizes occurred_at and received_at to canonical UTC, keeping the instant", () => {
    const event = parseEvent(fixture("diagnostic-lead"))._unsafeUnwrap();
    expect(event.occurred_at).toBe("2024-05-01T10:03:11.000Z");
    expect(event.received_at).toBe("2024-05-01T10:03:12.481Z");
  });

  it("reports a zone-less occurred_at", () => {
    const issues = issuesOf(lead({ occurred_at: "2024-05-01T10:03:11" }));
    expect(issues).toEqual([
      expect.objectContaining({ field: "occurred_at", code: "timestamp_without_zone" }),
    ]);
  });

  it.each([
    "event_id",
    "contract_version",
    "source_system",
    "source_record_id",
    "occurred_at",
    "correlation_id",
  ])("requires %s", (field) => {
    const input = lead();
    delete input[field];
    expect(issuesOf(input)).toEqual([expect.objectContaining({ field, code: "required" })]);
  });

  it("accepts any 1.x contract_version and rejects another major version", () => {
    expect(parseEvent(lead({ contract_version: "1.7" })).isOk()).toBe(true);
    const issues = issuesOf(lead({ contract_version: "2.0" }));
    expect(issues).toEqual([
      expect.objectContaining({ field: "contract_version", code: "unsupported_contract_version" }),
    ]);
    expect(issues[0]?.message).toContain('send "1.0"');
  });

  it("rejects a source_system containing the key separator", () => {
    const issues = issuesOf(lead({ source_system: "web:flow" }));
    expect(issues).toEqual([
      expect.objectContaining({ field: "source_system", code: "invalid_source_system" }),
    ]);
  });

  it("trims identifiers and rejects blank ones", () => {
    expect(parseEvent(lead({ event_id: "  evt_1  " }))._unsafeUnwrap().event_id).toBe("evt_1");
    expect(issuesOf(lead({ event_id: "   " }))).toEqual([
      expect.objectContaining({ field: "event_id", code: "too_small" }),
    ]);
  });

  it("keeps raw as sent without the prototype-bearing keys", () => {
    const raw = JSON.parse('{"a":{"b":[1,"x",null]},"__proto__":{"polluted":true},"constructor":1}');
    const input = lead();
    input["raw"] = raw;
    const event = parseEvent(input)._unsafeUnwrap();
    expect(event.raw).toStrictEqual({ a: { b: [1, "x", null] } });
  });

  it("rejects a raw payload larger than 64 KiB of JSON", () => {
    const raw = { blob: "x".repeat(CONTRACT_LIMITS.rawBytes) };
    const issues = issuesOf(lead({ raw }));
    expect(issues).toEqual([expect.objectContaining({ field: "raw", code: "too_big" })]);
    expect(issues[0]?.message).toContain("65536");
  });

  it("rejects a raw payload that is not JSON-serializable", () => {
    expect(issuesOf(lead({ raw: { n: 1n } }))).toEqual([
      expect.objectContaining({ field: "raw", code: "invalid_raw" }),
    ]);
  });
});
