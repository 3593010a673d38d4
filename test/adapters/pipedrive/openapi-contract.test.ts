import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPipedriveAdapter } from "../../../src/adapters/pipedrive/index.js";
import { createSync } from "../../../src/executor/index.js";
import { createMemoryIdempotencyStore } from "../../../src/idempotency/index.js";
import { createMemoryJournal } from "../../../src/journal/index.js";
import { createPlanPolicy } from "../../../src/planner/index.js";
import { runAdapterConformance } from "../../../src/testing/adapter-conformance/index.js";
import { ADAPTER_CONFORMANCE_SEED } from "../../../src/testing/adapter-conformance/seed.js";
import type { RecordedRequest } from "../../../src/testing/emulators/common/request-log.js";
import { createPipedriveEmulator } from "../../../src/testing/emulators/pipedrive/index.js";
import { createFakeClock } from "../../../src/testing/fake-clock.js";
import { checkRequest, operationsOf, readSpec, type SpecOperation } from "../../helpers/openapi.js";
import { createConformanceBackend } from "./backend.js";

// Every request the adapter sends during the conformance suite, the operations the suite does not reach and a
// createSync lead flow is checked against Pipedrive's official OpenAPI specs, read from
// $CRMKIT_VENDOR_SPECS/pipedrive at test time: API v2 (`/api/v2/...`) and v1 for notes and users (`/v1/...`).

const specsRoot = process.env["CRMKIT_VENDOR_SPECS"];
const specDir = specsRoot === undefined ? undefined : join(specsRoot, "pipedrive");
const SPECS = [
  { file: "openapi-v2.yaml", prefix: "/api/v2" },
  { file: "openapi-v1.yaml", prefix: "/v1" },
] as const;
const available = specDir !== undefined && SPECS.every(({ file }) => existsSync(join(specDir, file)));
if (!available) {
  if (process.env["CI"] === "true")
    throw new Error(
      "CRMKIT_VENDOR_SPECS must point at the vendor specs in CI (expected <dir>/pipedrive/openapi-v2.yaml and openapi-v1.yaml)",
    );
  console.warn(
    "[crmkit] Pipedrive OpenAPI contract test skipped: set CRMKIT_VENDOR_SPECS to the vendor-specs directory",
  );
}

const LEAD = JSON.parse(readFileSync("test/fixtures/events/diagnostic-lead.json", "utf8")) as Record<
  string,
  unknown
>;

function loadOperations(dir: string): SpecOperation[] {
  return SPECS.flatMap(({ file, prefix }) => operationsOf(file, readSpec(join(dir, file)), { prefix }));
}

describe.skipIf(!available)("Pipedrive adapter requests vs the official OpenAPI specs", () => {
  const recorded: RecordedRequest[] = [];
  const record = (requests: readonly RecordedRequest[]) => recorded.push(...requests);

  runAdapterConformance(
    { describe, it },
    {
      name: "conformance run (recorded)",
      duplicateContacts: "allowed",
      create: (seed) => createConformanceBackend(seed, { record }),
    },
  );

  it("records the searches the list index replaces: persons by email, organizations by domain (index off)", async () => {
    const backend = await createConformanceBackend(ADAPTER_CONFORMANCE_SEED, {
      record,
      adapter: { listIndex: false },
    });
    try {
      await backend.adapter.find({ type: "contact", field: "email", value: "ada@acme.example" });
      await backend.adapter.find({ type: "company", field: "domain", value: "acme.example" });
      await backend.adapter.findMany?.("contact", "email", ["a@x.example", "b@x.example"]);
    } finally {
      await backend.cleanup?.();
    }
  });

  it("records the operations the suite does not reach: lookups by other keys, links, tasks, listChanged, metadata", async () => {
    const backend = await createConformanceBackend(ADAPTER_CONFORMANCE_SEED, { record });
    const { adapter } = backend;
    try {
      await adapter.find({ type: "contact", field: "phone", value: "+14155550123" });
      await adapter.find({ type: "contact", field: "name", value: "Ada Lovelace" });
      await adapter.find({ type: "company", field: "name", value: "Acme" });
      await adapter.find({ type: "deal", field: "name", value: "Acme renewal" });
      await adapter.find({ type: "company", field: "domain", value: "acme.example" });
      await adapter.findMany?.("contact", "email", ["a@x.example", "b@x.example"]);
      const org = await adapter.create("company", {
        properties: { name: "Listed", domain: "listed.example" },
      });
      const person = await adapter.create("contact", {
        properties: { email: "listed@x.example", first_name: "L", phone: "+14155550100" },
        associations: [{ type: "company", id: org.id }],
      });
      const deal = await adapter.create("deal", {
        properties: { name: "Listed deal", amount: 1200, currency: "EUR", close_date: "2026-04-01" },
        associations: [
          { type: "contact", id: person.id },
          { type: "company", id: org.id },
        ],
      });
      await adapter.update("contact", {
        id: person.id,
        properties: { last_name: "Listed", job_title: "CTO" },
        associations: [{ type: "company", id: org.id }],
      });
      await adapter.associate({ type: "company", id: org.id }, { type: "contact", id: person.id });
      await adapter.associate({ type: "deal", id: deal.id }, { type: "contact", id: person.id });
      await adapter.createTask({
        subject: "Call",
        body: "About the renewal",
        dueAt: "2026-03-05T10:30:00.000Z",
        associations: [
          { type: "contact", id: person.id },
          { type: "deal", id: deal.id },
        ],
      });
      await adapter.createNote({
        body: "Lead from the form",
        timestamp: "2026-03-02T09:00:00.000Z",
        associations: [
          { type: "contact", id: person.id },
          { type: "company", id: org.id },
          { type: "deal", id: deal.id },
        ],
      });
      await adapter.get(
        "contact",
        Array.from({ length: 12 }, (_, i) => String(501 + i)),
      );
      await adapter.findOpenDeals({ contactId: person.id });
      for (const type of ["contact", "company", "deal", "task"] as const)
        for await (const _ of adapter.listChanged?.(type, { since: "2020-01-01T00:00:00.000Z" }) ?? [])
          void _;
      for (const type of ["contact", "company", "deal", "task", "note"] as const)
        await adapter.describeFields(type);
      await adapter.listPipelines("deal");
      await adapter.listOwners();
    } finally {
      await backend.cleanup?.();
    }
  });

  it("records a createSync lead flow: lookups, creates, links and the note", async () => {
    const emulator = createPipedriveEmulator({
      clock: createFakeClock({ start: "2026-03-02T09:00:00.000Z" }),
      users: [{ id: 1, name: "Ann Exec", email: "ae@crmkit.test" }],
      limits: { burst: 100_000, search: 100_000 },
    });
    const adapter = createPipedriveAdapter({
      apiToken: "contract-token",
      apiDomain: emulator.baseUrl,
      fetch: emulator.fetch,
      limiter: false,
    });
    const sync = createSync({
      adapter,
      idempotency: createMemoryIdempotencyStore(),
      journal: createMemoryJournal(),
      policy: createPlanPolicy({ routing: [{ role: "account_executive", owner: "ae@crmkit.test" }] }),
    });
    try {
      expect((await sync.run(LEAD))._unsafeUnwrap().status).toBe("applied");
      const again = { ...LEAD, event_id: "evt_second", source_record_id: "form_2", idempotency_key: "k2" };
      expect((await sync.run(again))._unsafeUnwrap().status).toBe("applied");
      const results = await sync.runMany(
        Array.from({ length: 3 }, (_, n) => ({
          ...LEAD,
          event_id: `evt_many_${n}`,
          source_record_id: `many_${n}`,
          idempotency_key: `many_${n}`,
          contact: { ...(LEAD["contact"] as object), email: `many${n}@many.example` },
          company: { name: "Many Co", domain: "many.example" },
        })),
      );
      expect(results._unsafeUnwrap().filter((r) => r.isErr())).toEqual([]);
    } finally {
      record(emulator.requests);
      await adapter.close();
    }
  });

  it("sent only requests whose method, path, query parameters and body the specs declare", () => {
    expect(recorded.length).toBeGreaterThan(100);
    const operations = loadOperations(specDir as string);
    const failures = recorded
      .map((request) => checkRequest(operations, request))
      .filter((result) => result.problems.length > 0);
    const summary = [
      ...new Set(
        failures.map(
          (f) => `${f.request} (${f.operation ?? "no match"}): ${f.problems.slice(0, 3).join("; ")}`,
        ),
      ),
    ];
    expect(summary).toEqual([]);
  });

  it("rejects what the specs do not declare: a wrong type, an unknown body key, an unknown query parameter", () => {
    const operations = loadOperations(specDir as string);
    const request = (method: string, url: string, body?: unknown): RecordedRequest => ({
      seq: 1,
      method,
      path: url.split("?")[0] as string,
      query: {},
      url,
      headers: {},
      body,
      status: 200,
      time: 0,
    });
    expect(
      checkRequest(operations, request("POST", "/api/v2/persons", { name: 5, org: 1 })).problems,
    ).toEqual(["$.name: expected a string, got number", "$.org: not declared by the schema"]);
    expect(
      checkRequest(operations, request("GET", "/api/v2/persons/search?term=a&email=b")).problems,
    ).toEqual(['query parameter "email" is not declared']);
    expect(checkRequest(operations, request("GET", "/v1/persons/search?term=a")).problems).toEqual([
      "no operation in the specs matches this method and path",
    ]);
  });

  it("reached every kind of operation the adapter uses", () => {
    const templates = new Set(
      recorded.map((r) => `${r.method} ${r.path.replace(/\/\d+(?=\/|$)/g, "/{id}")}`),
    );
    for (const expected of [
      "GET /api/v2/persons/search",
      "GET /api/v2/organizations/search",
      "GET /api/v2/deals/search",
      "POST /api/v2/persons",
      "PATCH /api/v2/persons/{id}",
      "POST /api/v2/organizations",
      "POST /api/v2/deals",
      "PATCH /api/v2/deals/{id}",
      "POST /api/v2/activities",
      "GET /api/v2/persons",
      "GET /api/v2/deals",
      "GET /api/v2/pipelines",
      "GET /api/v2/stages",
      "GET /api/v2/personFields",
      "POST /v1/notes",
      "GET /v1/users",
    ])
      expect(templates).toContain(expected);
  });
});
