import assert from "node:assert/strict";
import { CRM_OBJECT_TYPES, defineAdapter } from "../../adapter/index.js";
import { group } from "./harness.js";
import { ADAPTER_CONFORMANCE_SEED } from "./seed.js";
import type { AdapterConformanceOptions, AdapterConformanceRunner } from "./types.js";

const BATCH_METHODS = [
  ["read", "findMany"],
  ["create", "batchCreate"],
  ["update", "batchUpdate"],
  ["upsert", "batchUpsert"],
  ["associate", "batchAssociate"],
] as const;

/** Shape and capabilities, owners, pipelines and field metadata. */
export function registerShapeTests(api: AdapterConformanceRunner, options: AdapterConformanceOptions): void {
  group(api, options, "shape", "shape and capabilities", (test) => {
    test("passes defineAdapter's runtime shape check", async ({ adapter }) => {
      assert.equal(defineAdapter(adapter), adapter);
    });
    test("names itself with a lower-case provider id", async ({ adapter }) => {
      assert.match(adapter.provider, /^[a-z][a-z0-9-]*$/);
    });
    test("supports the object types crmkit's recipes write: contact, company, deal, note and task", async ({
      adapter,
    }) => {
      for (const type of ["contact", "company", "deal", "note", "task"] as const) {
        assert.ok(adapter.capabilities.objects.includes(type), `capabilities.objects lacks "${type}"`);
      }
      for (const type of adapter.capabilities.objects) assert.ok(CRM_OBJECT_TYPES.includes(type));
    });
    test("lists ticket among its objects exactly when tickets are native", async ({ adapter }) => {
      const { tickets, objects } = adapter.capabilities;
      assert.equal(objects.includes("ticket"), tickets === "native");
    });
    test("has a batch method for each declared batch size and none for the others", async ({ adapter }) => {
      const methods = adapter as unknown as Record<string, unknown>;
      for (const [size, method] of BATCH_METHODS) {
        const declared = adapter.capabilities.batchSizes[size];
        assert.equal(
          typeof methods[method] === "function",
          declared !== undefined,
          `${method} vs batchSizes.${size}`,
        );
        if (declared !== undefined) assert.ok(Number.isInteger(declared) && declared >= 1);
      }
    });
    test("has upsert exactly when upsertKeys lists a key of a supported object type", async ({ adapter }) => {
      const entries = Object.entries(adapter.capabilities.upsertKeys).filter(
        ([, keys]) => (keys?.length ?? 0) > 0,
      );
      assert.equal(typeof adapter.upsert === "function", entries.length > 0);
      for (const [type] of entries) assert.ok(adapter.capabilities.objects.includes(type as never), type);
    });
    test("declares a finite, non-negative searchLagMs", async ({ adapter }) => {
      assert.ok(Number.isFinite(adapter.capabilities.searchLagMs) && adapter.capabilities.searchLagMs >= 0);
    });
  });

  group(api, options, "owners", "owners", (test) => {
    test("lists every owner, inactive ones included, with the right active flag", async ({ adapter }) => {
      const owners = await adapter.listOwners();
      for (const seeded of ADAPTER_CONFORMANCE_SEED.owners) {
        const found = owners.find((o) => o.email?.toLowerCase() === seeded.email);
        assert.ok(found, `owner ${seeded.email} is missing`);
        assert.equal(found.active, seeded.active, `owner ${seeded.email} active flag`);
        assert.ok(found.id !== "", "owners have ids");
      }
    });
  });

  group(api, options, "pipelines", "pipelines and stages", (test) => {
    const seeded = ADAPTER_CONFORMANCE_SEED.pipelines.filter((p) => p.objectType === "deal");
    test("lists the seeded deal pipelines with their stages in order", async (h) => {
      for (const expected of seeded) {
        const pipeline = await h.pipeline(expected.label);
        assert.equal(pipeline.objectType, "deal");
        const labels = [...pipeline.stages].sort((a, b) => a.order - b.order).map((s) => s.label);
        assert.deepEqual(
          labels,
          expected.stages.map((s) => s.label),
        );
      }
    });
    test("marks won stages closed and won, lost stages closed only, and open stages neither", async (h) => {
      for (const expected of seeded) {
        const pipeline = await h.pipeline(expected.label);
        for (const stage of expected.stages) {
          const actual = h.stage(pipeline, stage.label);
          assert.deepEqual([actual.closed, actual.won], [stage.closed, stage.won], `stage "${stage.label}"`);
        }
      }
    });
    test("returns only deal pipelines when asked for deal pipelines", async ({ adapter }) => {
      const pipelines = await adapter.listPipelines("deal");
      assert.ok(pipelines.length >= seeded.length);
      for (const pipeline of pipelines) assert.equal(pipeline.objectType, "deal");
    });
  });

  group(api, options, "fields", "field metadata", (test) => {
    test("describes the canonical contact, company and deal fields by key", async ({ adapter }) => {
      const expected = {
        contact: ["email", "first_name", "last_name", "phone", "job_title", "owner_id"],
        company: ["name", "domain", "owner_id"],
        deal: ["name", "pipeline_id", "stage_id", "amount", "currency", "owner_id", "close_date"],
      } as const;
      for (const [type, keys] of Object.entries(expected) as [keyof typeof expected, readonly string[]][]) {
        const described = new Set((await adapter.describeFields(type)).map((f) => f.key));
        for (const key of keys) assert.ok(described.has(key), `describeFields("${type}") lacks "${key}"`);
      }
    });
    test("describes the seeded enum field with its options", async ({ adapter }) => {
      const field = (await adapter.describeFields("contact")).find((f) => f.key === "lead_source");
      assert.ok(field, 'describeFields("contact") lacks "lead_source"');
      assert.equal(field.type, "enum");
      assert.deepEqual((field.options ?? []).map((o) => o.value).sort(), ["partner", "referral", "web"]);
      assert.ok(field.apiName !== "" && field.label !== "");
    });
  });
}
