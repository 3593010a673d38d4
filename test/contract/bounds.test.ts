import { describe, expect, it } from "vitest";
import { CONTRACT_LIMITS, parseEvent } from "../../src/contract/index.js";
import { fixture, lead } from "./fixtures.js";

type Limit = keyof typeof CONTRACT_LIMITS;

// One row per string limit: where it applies, and a maker for a valid value of any length (padding with spaces
// that normalization trims, where the field's own format bounds its content).
const STRING_LIMITS: [Limit, string[], (length: number) => string][] = [
  ["id", ["event_id"], (n) => "e".repeat(n)],
  ["id", ["correlation_id"], (n) => "c".repeat(n)],
  ["sourceSystem", ["source_system"], (n) => "s".repeat(n)],
  ["idempotencyKey", ["idempotency_key"], (n) => "k".repeat(n)],
  ["name", ["contact", "job_title"], (n) => "j".repeat(n)],
  ["name", ["company", "name"], (n) => "n".repeat(n)],
  ["name", ["lead", "budget_range"], (n) => "b".repeat(n)],
  ["text", ["routing", "target_pipeline"], (n) => "p".repeat(n)],
  ["text", ["lead", "utm", "campaign"], (n) => "u".repeat(n)],
  ["freeText", ["lead", "pain_summary"], (n) => "x".repeat(n)],
  ["email", ["contact", "email"], (n) => "ops@example.com".padStart(n, " ")],
  ["phone", ["contact", "phone"], (n) => "+14155550132".padStart(n, " ")],
  ["domainInput", ["company", "domain"], (n) => `https://example.com/${"p".repeat(n - 20)}`],
  ["timestamp", ["occurred_at"], (n) => "2024-05-01T10:00:00Z".padStart(n, " ")],
];

function set(input: Record<string, unknown>, path: string[], value: unknown): void {
  let target = input;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[path[path.length - 1]!] = value;
}

describe("CONTRACT_LIMITS", () => {
  it.each(STRING_LIMITS)("enforces %s on %j: the limit parses, one more is too_big", (limit, path, make) => {
    const max = CONTRACT_LIMITS[limit];
    const atLimit = lead();
    set(atLimit, path, make(max));
    expect(parseEvent(atLimit).isOk()).toBe(true);
    const over = lead();
    set(over, path, make(max + 1));
    const issues = parseEvent(over)._unsafeUnwrapErr().issues;
    expect(issues).toEqual([expect.objectContaining({ field: path.join("."), code: "too_big" })]);
    expect(issues[0]?.message).toBe(`is ${max + 1} characters long; the limit is ${max}`);
  });

  it("enforces the list limits on onboarding.tasks entries", () => {
    const input = fixture("onboarding-started");
    input["onboarding"] = { tasks: ["t".repeat(CONTRACT_LIMITS.listItem + 1)] };
    expect(parseEvent(input)._unsafeUnwrapErr().issues).toEqual([
      expect.objectContaining({ field: "onboarding.tasks.0", code: "too_big" }),
    ]);
  });

  it("enforces the node limit on the whole event, unknown keys included", () => {
    const input = lead();
    input["noise"] = Array.from({ length: CONTRACT_LIMITS.nodes }, (_, i) => i);
    expect(parseEvent(input)._unsafeUnwrapErr().issues).toEqual([
      expect.objectContaining({ field: "(root)", code: "too_big" }),
    ]);
  });

  it("is frozen at the type level and documents every limit as a positive integer", () => {
    for (const value of Object.values(CONTRACT_LIMITS))
      expect(Number.isInteger(value) && value > 0).toBe(true);
  });
});
