import { describe, expect, it } from "vitest";
import {
  createHubSpotAdapter,
  type HubSpotAdapter,
  type HubSpotApiVersion,
} from "../../../src/adapters/hubspot/index.js";
import {
  HUBSPOT_API_VERSIONS,
  HUBSPOT_OPERATIONS,
  type HubSpotOperation,
} from "../../../src/adapters/hubspot/paths.js";
import { ADAPTER_CONFORMANCE_SEED } from "../../../src/testing/adapter-conformance/seed.js";
import type { RecordedRequest } from "../../../src/testing/emulators/common/request-log.js";
import { createConformanceBackend } from "./backend.js";
import { DATE_VERSIONED_PATH, LEGACY_PATH } from "./legacy-paths.js";

// `apiVersion` picks the path family of every request the adapter sends, OAuth refreshes included.

const oauth = { clientId: "versions-client", clientSecret: "versions-secret" };

/** Calls every adapter method (so every operation of the path table) and returns the emulator's request log. */
async function everyOperation(apiVersion: HubSpotApiVersion): Promise<readonly RecordedRequest[]> {
  const backend = await createConformanceBackend(ADAPTER_CONFORMANCE_SEED, {
    emulator: { oauth: { ...oauth, refreshTokens: ["versions-refresh"] } },
    adapter: { apiVersion, accessToken: undefined, oauth: { ...oauth, refreshToken: "versions-refresh" } },
  });
  const { emulator, cleanup } = backend;
  const adapter = backend.adapter as HubSpotAdapter;
  try {
    const person = await adapter.create("contact", { properties: { email: "v@x.example" } });
    await adapter.update("contact", { id: person.id, properties: { last_name: "V" } });
    await adapter.upsert("contact", { key: { field: "email", value: "v@x.example" }, properties: {} });
    await adapter.find({ type: "contact", field: "email", value: "v@x.example" });
    await adapter.find({ type: "company", field: "domain", value: "acme.example" });
    await adapter.get("contact", [person.id]);
    const [deal] = await adapter.batchCreate("deal", [
      { properties: { name: "V deal" }, associations: [{ type: "contact", id: person.id }] },
    ]);
    if (deal?.ok)
      await adapter.batchUpdate("deal", [{ id: deal.value.id, properties: { name: "V deal 2" } }]);
    await adapter.associate({ type: "contact", id: person.id }, { type: "company", id: "501" });
    await adapter.batchAssociate([{ from: { type: "deal", id: "502" }, to: { type: "company", id: "501" } }]);
    await adapter.findOpenDeals({ contactId: person.id });
    await adapter.createNote({
      body: "n",
      timestamp: "2026-03-02T09:00:00.000Z",
      associations: [{ type: "contact", id: person.id }],
    });
    for await (const _ of adapter.listChanged("contact", { since: "2020-01-01T00:00:00.000Z" })) void _;
    await adapter.listOwners();
    await adapter.listPipelines("deal");
    await adapter.describeFields("deal");
    return emulator.requests;
  } finally {
    await cleanup?.();
  }
}

const templateOf = (version: HubSpotApiVersion, operation: HubSpotOperation): RegExp =>
  new RegExp(`^${HUBSPOT_OPERATIONS[operation][version].replace(/\{[^}]+\}/g, "[^/]+")}$`);

describe("apiVersion", () => {
  it('throws at construction naming the option and the allowed values for an unknown version ("2025-09")', () => {
    const build = (apiVersion: unknown) => () =>
      createHubSpotAdapter({ accessToken: "pat-na1-x", apiVersion: apiVersion as HubSpotApiVersion });
    expect(build("2025-09")).toThrow(TypeError);
    expect(build("2025-09")).toThrow(/createHubSpotAdapter: option `apiVersion` must be "v3" or "2026-03"/);
    expect(build("v4")).toThrow(/`apiVersion`/);
    for (const version of [undefined, ...HUBSPOT_API_VERSIONS]) expect(build(version)).not.toThrow();
  });

  it("a 2026-03 adapter never sends a /crm/v3, /crm/v4 or /oauth/v3 path, and reaches every operation of its table", async () => {
    const requests = await everyOperation("2026-03");
    expect(requests.length).toBeGreaterThan(20);
    expect(requests.filter((r) => LEGACY_PATH.test(r.path)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(requests.filter((r) => !DATE_VERSIONED_PATH.test(r.path)).map((r) => r.path)).toEqual([]);
    const unused = (Object.keys(HUBSPOT_OPERATIONS) as HubSpotOperation[]).filter(
      (operation) =>
        !requests.some(
          (r) =>
            r.method === HUBSPOT_OPERATIONS[operation].method &&
            templateOf("2026-03", operation).test(r.path),
        ),
    );
    expect(unused).toEqual([]);
    expect(requests.filter((r) => r.status !== 200 && r.status !== 201 && r.status !== 207)).toEqual([]);
  });

  it('a "v3" adapter (the default) sends only the legacy paths', async () => {
    const requests = await everyOperation("v3");
    expect(requests.filter((r) => DATE_VERSIONED_PATH.test(r.path))).toEqual([]);
    expect(requests.filter((r) => !LEGACY_PATH.test(r.path)).map((r) => r.path)).toEqual([]);
  });
});
