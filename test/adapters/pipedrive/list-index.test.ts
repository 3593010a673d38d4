import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createPipedriveAdapter,
  type PipedriveAdapterOptions,
} from "../../../src/adapters/pipedrive/index.js";
import {
  createPipedriveEmulator,
  type PipedriveEmulatorOptions,
  type PipedriveRecordSeed,
} from "../../../src/testing/emulators/pipedrive/index.js";
import { createFakeClock } from "../../../src/testing/fake-clock.js";

// The list index: email and domain lookups answered from list pages (10 tokens per 500 records) kept current with
// `updated_since` lists, instead of a 20-token search per lookup. Emulator and adapter share one fake clock.

const LAG = 10_000;

function setup(
  emulatorOptions: PipedriveEmulatorOptions = {},
  adapterOptions: Partial<PipedriveAdapterOptions> = {},
) {
  const clock = createFakeClock({ start: "2026-03-02T09:00:00.000Z" });
  const emulator = createPipedriveEmulator({
    clock,
    limits: { burst: 100_000, search: 100_000 },
    searchLagMs: LAG,
    ...emulatorOptions,
  });
  const adapter = createPipedriveAdapter({
    apiToken: "index-token",
    apiDomain: emulator.baseUrl,
    fetch: emulator.fetch,
    limiter: false,
    clock,
    searchLagMs: LAG,
    ...adapterOptions,
  });
  // Another integration writing to the same company, behind the adapter's back.
  const direct = (method: string, path: string, body?: unknown) =>
    emulator.fetch(`${emulator.baseUrl}${path}`, {
      method,
      headers: { "x-api-token": "other-integration", "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const count = (path: string, method = "GET") => emulator.count({ method, path: new RegExp(`^${path}$`) });
  return { clock, emulator, adapter, direct, count };
}

const persons = (n: number, from = 1): PipedriveRecordSeed[] =>
  Array.from({ length: n }, (_, i) => ({
    id: from + i,
    fields: { name: `P${from + i}`, emails: [{ value: `p${from + i}@seed.example`, primary: true }] },
  }));

describe("Pipedrive list index", () => {
  it("answers email lookups of a small account from one list page instead of searching", async () => {
    const { adapter, count, emulator } = setup({ records: { persons: persons(3) } });
    const first = await adapter.find({ type: "contact", field: "email", value: "P2@seed.example" });
    const second = await adapter.find({ type: "contact", field: "email", value: "new@seed.example" });
    expect(first.map((r) => r.id)).toEqual(["2"]);
    expect(second).toEqual([]);
    expect(count("/api/v2/persons/search")).toBe(0);
    // One list page for the index, one read by id confirming the hit; nothing for the miss.
    expect(count("/api/v2/persons")).toBe(1);
    expect(count("/api/v2/persons/2")).toBe(1);
    expect(emulator.tokensUsed()).toBe(10 + 10 + 1);
  });

  it("sees a person another integration created once the index is older than the search lag, as search would", async () => {
    const { adapter, clock, direct, count } = setup({ records: { persons: persons(2) } });
    await adapter.find({ type: "contact", field: "email", value: "p1@seed.example" });
    await direct("POST", "/api/v2/persons", { name: "Late", emails: [{ value: "late@seed.example" }] });
    expect(await adapter.find({ type: "contact", field: "email", value: "late@seed.example" })).toEqual([]);
    await clock.advance(LAG);
    const found = await adapter.find({ type: "contact", field: "email", value: "late@seed.example" });
    expect(found.map((r) => r.properties["email"])).toEqual(["late@seed.example"]);
    const lists = count("/api/v2/persons");
    expect(lists).toBe(2);
    expect(count("/api/v2/persons/search")).toBe(0);
  });

  it("re-indexes a person whose email changed and never matches a deleted one", async () => {
    const { adapter, clock, direct } = setup({ records: { persons: persons(2) } });
    await adapter.find({ type: "contact", field: "email", value: "p1@seed.example" });
    await direct("PATCH", "/api/v2/persons/1", { emails: [{ value: "moved@seed.example", primary: true }] });
    await direct("DELETE", "/api/v2/persons/2");
    // Within the lag the index still holds person 2, but the read by id confirming it finds it deleted.
    expect(await adapter.find({ type: "contact", field: "email", value: "p2@seed.example" })).toEqual([]);
    await clock.advance(LAG);
    expect(await adapter.find({ type: "contact", field: "email", value: "p1@seed.example" })).toEqual([]);
    const moved = await adapter.find({ type: "contact", field: "email", value: "moved@seed.example" });
    expect(moved.map((r) => r.id)).toEqual(["1"]);
  });

  it("builds a large account's index one page per lookup, searching meanwhile, then stops searching", async () => {
    const { adapter, count } = setup({ records: { persons: persons(1_200) } });
    const ids: string[][] = [];
    for (const n of [5, 700, 1_150, 42]) {
      const found = await adapter.find({ type: "contact", field: "email", value: `p${n}@seed.example` });
      ids.push(found.map((r) => r.id));
    }
    expect(ids).toEqual([["5"], ["700"], ["1150"], ["42"]]);
    // Three pages of 500: the first two lookups search as well, the third completes the index.
    expect(count("/api/v2/persons")).toBe(3);
    expect(count("/api/v2/persons/search")).toBe(2);
  });

  it("lets findMany of k emails read up to k pages of the build, then answers all of them at once", async () => {
    const { adapter, count } = setup({ records: { persons: persons(1_200) } });
    const values = ["p1@seed.example", "p1199@seed.example", "none@seed.example"];
    const found = await adapter.findMany("contact", "email", values);
    expect(values.map((v) => found.get(v)?.map((r) => r.id))).toEqual([["1"], ["1199"], []]);
    expect(count("/api/v2/persons")).toBe(3);
    expect(count("/api/v2/persons/search")).toBe(0);
  });

  it("drops the index of an account with more than maxRecords records and searches instead", async () => {
    const { adapter, count } = setup({ records: { persons: persons(3) } }, { listIndex: { maxRecords: 2 } });
    for (let i = 0; i < 3; i++)
      await adapter.find({ type: "contact", field: "email", value: "p3@seed.example" });
    expect(count("/api/v2/persons")).toBe(1);
    expect(count("/api/v2/persons/search")).toBe(3);
  });

  it("matches organizations by website, including those whose name does not contain the domain", async () => {
    const { adapter, count } = setup({
      records: {
        organizations: [
          { id: 7, fields: { name: "Initech", website: "https://www.initech.example/about" } },
          { id: 8, fields: { name: "Initech Rockets", website: "https://rockets.example" } },
        ],
      },
    });
    const found = await adapter.find({ type: "company", field: "domain", value: "INITECH.example" });
    expect(found.map((r) => r.id)).toEqual(["7"]);
    const other = await adapter.find({ type: "company", field: "domain", value: "rockets.example" });
    expect(other.map((r) => r.id)).toEqual(["8"]);
    expect(count("/api/v2/organizations/search")).toBe(0);
  });

  it("matches organizations by the custom Domain field when the account has one", async () => {
    const { adapter, direct, clock } = setup({ customFields: { organization: [{ name: "Domain" }] } });
    const created = await adapter.create("company", {
      properties: { name: "Globex", domain: "globex.example" },
    });
    await direct("POST", "/api/v2/organizations", { name: "Site only", website: "https://site.example" });
    await clock.advance(LAG);
    const found = await adapter.find({ type: "company", field: "domain", value: "globex.example" });
    expect(found.map((r) => r.id)).toEqual([created.id]);
    // The account keeps domains in its Domain field: a website alone is not a domain match, as with search.
    expect(await adapter.find({ type: "company", field: "domain", value: "site.example" })).toEqual([]);
  });

  it("agrees with a scan of the account after any sequence of creates, email changes and deletes (property)", async () => {
    const EMAILS = ["a@p.example", "b@p.example", "c@p.example", "d@p.example"];
    const op = fc.oneof(
      fc.record({ kind: fc.constant("create" as const), email: fc.constantFrom(...EMAILS) }),
      fc.record({ kind: fc.constant("change" as const), pick: fc.nat(), email: fc.constantFrom(...EMAILS) }),
      fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("lookup" as const), email: fc.constantFrom(...EMAILS) }),
      fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 2 * LAG }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const { adapter, clock, direct, emulator } = setup({ records: { persons: persons(3) } });
        const live = () => emulator.list("persons").map((p) => Number(p["id"]));
        for (const step of ops) {
          const ids = live();
          const target = ids.length === 0 ? undefined : ids[("pick" in step ? step.pick : 0) % ids.length];
          if (step.kind === "create")
            await direct("POST", "/api/v2/persons", { name: "N", emails: [{ value: step.email }] });
          else if (step.kind === "change" && target !== undefined)
            await direct("PATCH", `/api/v2/persons/${target}`, {
              emails: [{ value: step.email, primary: true }],
            });
          else if (step.kind === "delete" && target !== undefined)
            await direct("DELETE", `/api/v2/persons/${target}`);
          else if (step.kind === "lookup")
            await adapter.find({ type: "contact", field: "email", value: step.email });
          else if (step.kind === "wait") await clock.advance(step.ms);
        }
        // Once the lag has passed, the index answers exactly what the account holds (as search would).
        await clock.advance(LAG);
        for (const email of EMAILS) {
          const expected = emulator
            .list("persons")
            .filter((p) => (p["emails"] as { value: string }[] | undefined)?.some((e) => e.value === email))
            .map((p) => String(p["id"]));
          const found = await adapter.find({ type: "contact", field: "email", value: email, limit: 100 });
          expect(found.map((r) => r.id).sort()).toEqual(expected.sort());
        }
        expect(emulator.count({ method: "GET", path: "/api/v2/persons/search" })).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});
