import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderSchemaFiles, SCHEMAS_DIR } from "../../scripts/generate-schemas.js";
import { BUILTIN_EVENT_TYPES, canonicalEventJsonSchema, eventJsonSchema } from "../../src/contract/index.js";

describe("eventJsonSchema", () => {
  it("describes what producers send: idempotency_key optional, raw phones and domains as strings", () => {
    const schema = eventJsonSchema("lead.submitted");
    const properties = schema["properties"] as Record<string, Record<string, unknown>>;
    expect(schema["$schema"]).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema["title"]).toBe("lead.submitted");
    expect(schema["required"]).toEqual([
      "event_type",
      "event_id",
      "contract_version",
      "source_system",
      "source_record_id",
      "occurred_at",
      "correlation_id",
      "contact",
    ]);
    expect(properties["event_type"]).toEqual({ type: "string", const: "lead.submitted" });
    expect(properties["occurred_at"]).toMatchObject({ type: "string", format: "date-time" });
  });

  it("carries enums and numeric ranges of the routing block", () => {
    const properties = eventJsonSchema("lead.submitted")["properties"] as Record<
      string,
      Record<string, unknown>
    >;
    const routing = properties["routing"]?.["properties"] as Record<string, Record<string, unknown>>;
    expect(routing["qualification_status"]?.["enum"]).toEqual(["qualified", "unqualified", "needs_review"]);
    expect(routing["lead_score"]).toMatchObject({ type: "integer", minimum: 0, maximum: 100 });
    expect(routing["confidence"]).toMatchObject({ type: "number", minimum: 0, maximum: 1 });
  });

  it("throws a RangeError listing the known types for an unknown type", () => {
    expect(() => eventJsonSchema("trial.started" as never)).toThrow(/known: lead\.submitted/);
  });

  it("renders the union as oneOf over every built-in type", () => {
    const schema = canonicalEventJsonSchema();
    expect((schema["oneOf"] as unknown[]).length).toBe(BUILTIN_EVENT_TYPES.length);
  });
});

describe("schemas/ (committed JSON Schema files)", () => {
  it("matches what scripts/generate-schemas.ts renders; run `npm run schemas` when this fails", () => {
    const rendered = renderSchemaFiles();
    const committed = readdirSync(SCHEMAS_DIR).filter((name) => name.endsWith(".schema.json"));
    expect(committed.sort()).toEqual([...rendered.keys()].sort());
    for (const [name, content] of rendered) {
      expect(readFileSync(join(SCHEMAS_DIR, name), "utf8"), `schemas/${name} is stale`).toBe(content);
    }
  });
});
