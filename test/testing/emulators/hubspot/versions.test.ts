import { describe, expect, it } from "vitest";
import {
  createHubSpotEmulator,
  type HubSpotEmulatorOptions,
} from "../../../../src/testing/emulators/hubspot/index.js";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";
import { atVersion } from "../../../adapters/hubspot/legacy-paths.js";

// The emulator serves the legacy (/crm/v3, /crm/v4) and the 2026-03 paths from one account: the same store, the
// same limits and the same fault queue, whichever family a request comes in on. (Every other emulator test runs
// in both families through the harness.)

const headers = { authorization: "Bearer t", "content-type": "application/json" };
const dated = atVersion("2026-03");

function emulatorWith(options: HubSpotEmulatorOptions = {}) {
  const emulator = createHubSpotEmulator({ clock: createFakeClock(), ...options });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await emulator.fetch(`https://api.hubapi.com${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  return { emulator, call };
}

describe("HubSpot emulator: one account behind both API families", () => {
  it("shares one store: written through one family, read and associated through the other", async () => {
    const { emulator, call } = emulatorWith();
    const contact = await call("POST", "/crm/v3/objects/contacts", { properties: { email: "a@x.com" } });
    const company = await call("POST", dated("/crm/v3/objects/companies"), { properties: { name: "Co" } });
    const [contactId, companyId] = [String(contact.body?.["id"]), String(company.body?.["id"])];
    expect((await call("GET", dated(`/crm/v3/objects/contacts/${contactId}`))).body).toMatchObject({
      properties: { email: "a@x.com" },
    });
    const linked = await call(
      "PUT",
      dated(`/crm/v4/objects/contacts/${contactId}/associations/companies/${companyId}`),
      [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 }],
    );
    expect(linked.status).toBe(201);
    const read = await call("GET", `/crm/v4/objects/contacts/${contactId}/associations/companies`);
    expect(read.body?.["results"]).toMatchObject([{ toObjectId: Number(companyId) }]);
    expect(emulator.list("contacts")).toHaveLength(1);
  });

  it("answers the same request identically in both families", async () => {
    const requests: [string, string, unknown?][] = [
      ["POST", "/crm/v3/objects/contacts", { properties: { email: "same@x.com", firstname: "S" } }],
      [
        "POST",
        "/crm/v3/objects/contacts/batch/read",
        { inputs: [{ id: "same@x.com" }], idProperty: "email" },
      ],
      ["PATCH", "/crm/v3/objects/contacts/1001", { properties: { lastname: "T" } }],
      ["POST", "/crm/v3/objects/contacts/search", { filterGroups: [], limit: 5 }],
      ["GET", "/crm/v3/owners?limit=10"],
      ["GET", "/crm/v3/pipelines/deals"],
      ["GET", "/crm/v3/properties/contacts"],
      ["GET", "/crm/v4/objects/contacts/1001/associations/companies"],
      ["POST", "/crm/v3/objects/widgets", {}],
    ];
    const run = async (rewrite: (path: string) => string) => {
      const { call } = emulatorWith({ owners: [{ id: "7", email: "o@x.com" }], seed: 3 });
      const out = [];
      for (const [method, path, body] of requests) out.push(await call(method, rewrite(path), body));
      return out;
    };
    const [legacy, current] = [await run((path) => path), await run(dated)];
    expect(current.map((r) => r.status)).toEqual([201, 200, 200, 200, 200, 200, 200, 200, 404]);
    // The unknown-route message names the path it was asked for; everything else is byte for byte the same.
    expect(current.slice(0, -1)).toEqual(legacy.slice(0, -1));
  });

  it("counts both families against the same 10-second, daily and search limits", async () => {
    const { emulator, call } = emulatorWith({ limits: { tenSecondly: 4, searchPerSecond: 2, daily: 1_000 } });
    const statuses = [];
    for (const path of ["/crm/v3/owners", dated("/crm/v3/owners"), "/crm/v3/owners", dated("/crm/v3/owners")])
      statuses.push((await call("GET", path)).status);
    statuses.push((await call("GET", dated("/crm/v3/owners"))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(emulator.limits.dailyUsed()).toBe(4);
    const searches = [
      await call("POST", "/crm/v3/objects/contacts/search", {}),
      await call("POST", dated("/crm/v3/objects/contacts/search"), {}),
      await call("POST", dated("/crm/v3/objects/contacts/search"), {}),
    ];
    expect(searches.map((r) => r.status)).toEqual([200, 200, 429]);
  });

  it("matches faults by the path a request came in on, in either family", async () => {
    const { emulator, call } = emulatorWith();
    emulator.faults.inject({ match: { path: /\/owners(\/|$)/ }, times: 2, response: "locked" });
    emulator.faults.inject({ match: { path: "/crm/pipelines/2026-03" }, response: "server" });
    expect((await call("GET", "/crm/v3/owners")).status).toBe(423);
    expect((await call("GET", dated("/crm/v3/owners"))).status).toBe(423);
    expect((await call("GET", "/crm/v3/pipelines/deals")).status).toBe(200);
    expect((await call("GET", dated("/crm/v3/pipelines/deals"))).status).toBe(500);
    expect(emulator.faults.pending()).toBe(0);
  });

  it("refreshes OAuth tokens at /oauth/2026-03/token exactly as at /oauth/v3/token", async () => {
    const oauth = { clientId: "c", clientSecret: "s", refreshTokens: ["r"] };
    const form = "grant_type=refresh_token&client_id=c&client_secret=s&refresh_token=r";
    const refresh = async (path: string) => {
      const emulator = createHubSpotEmulator({ clock: createFakeClock(), oauth, seed: 5 });
      const res = await emulator.fetch(`https://api.hubapi.com${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
      });
      return { status: res.status, body: await res.json() };
    };
    const current = await refresh("/oauth/2026-03/token");
    expect(current).toMatchObject({ status: 200, body: { expires_in: 1800, hub_id: 62515 } });
    expect(current).toEqual(await refresh("/oauth/v3/token"));
  });
});
