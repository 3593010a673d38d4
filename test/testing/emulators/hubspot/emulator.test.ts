import { describe, expect, it } from "vitest";
import { createHubSpotEmulator } from "../../../../src/testing/emulators/hubspot/index.js";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";

const auth = { authorization: "Bearer t", "content-type": "application/json" };

describe("createHubSpotEmulator", () => {
  it("throws at construction naming the misconfigured option", () => {
    expect(() => createHubSpotEmulator({ timeZone: "Mars/Olympus" })).toThrow(/`timeZone`/);
    expect(() => createHubSpotEmulator({ baseUrl: "not a url" })).toThrow(/`baseUrl`/);
    expect(() => createHubSpotEmulator({ limits: { tenSecondly: 0 } })).toThrow(/`limits.tenSecondly`/);
    expect(() => createHubSpotEmulator({ searchLagMs: -1 })).toThrow(/`searchLagMs`/);
    expect(() => createHubSpotEmulator({ tokenTtlMs: 0 })).toThrow(/`tokenTtlMs`/);
    expect(() =>
      createHubSpotEmulator({
        associations: [{ from: { type: "notes", id: "1" }, to: { type: "notes", id: "2" } }],
      }),
    ).toThrow(/`associations`/);
  });

  it("answers relative and any-host URLs through fetch, sharing state with the HTTP server", async () => {
    const emulator = createHubSpotEmulator({ baseUrl: "https://hub.test" });
    try {
      const created = await emulator.fetch("/crm/v3/objects/companies", {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ properties: { name: "Acme" } }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const url = await emulator.listen();
      const viaHttp = await fetch(`${url}/crm/v3/objects/companies/${id}`, { headers: auth });
      expect(((await viaHttp.json()) as { properties: { name: string } }).properties.name).toBe("Acme");
      const otherHost = await emulator.fetch(`https://elsewhere.example/crm/v3/objects/companies/${id}`, {
        headers: auth,
      });
      expect(otherHost.status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it("answers 404 for unknown routes and 400 for malformed JSON", async () => {
    const emulator = createHubSpotEmulator();
    expect((await emulator.fetch("https://api.hubapi.com/crm/v3/nothing", { headers: auth })).status).toBe(
      404,
    );
    expect(
      (await emulator.fetch("https://api.hubapi.com/crm/v3/objects/widgets", { headers: auth })).status,
    ).toBe(404);
    const bad = await emulator.fetch("https://api.hubapi.com/crm/v3/objects/contacts", {
      method: "POST",
      headers: auth,
      body: "{",
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { category: string }).category).toBe("VALIDATION_ERROR");
  });

  it("resets to the seeded state and clears logs, faults and limits", async () => {
    const clock = createFakeClock();
    const emulator = createHubSpotEmulator({
      clock,
      limits: { daily: 2 },
      records: { contacts: [{ id: "5", properties: { email: "a@x.com" } }] },
    });
    await emulator.fetch("https://api.hubapi.com/crm/v3/objects/contacts", {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ properties: { email: "b@x.com" } }),
    });
    emulator.faults.inject({ response: "locked" });
    expect(emulator.list("contacts")).toHaveLength(2);
    emulator.reset();
    expect(emulator.list("contacts").map((r) => r.id)).toEqual(["5"]);
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.faults.pending()).toBe(0);
    expect(emulator.limits.dailyUsed()).toBe(0);
    const again = await emulator.fetch("https://api.hubapi.com/crm/v3/objects/contacts", {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ properties: { email: "b@x.com" } }),
    });
    expect(((await again.json()) as { id: string }).id).toBe("1001");
  });

  it("produces identical correlation ids for identical runs", async () => {
    const run = async () => {
      const emulator = createHubSpotEmulator({ seed: 42 });
      const res = await emulator.fetch("https://api.hubapi.com/crm/v3/objects/contacts/999", {
        headers: auth,
      });
      return ((await res.json()) as { correlationId: string }).correlationId;
    };
    expect(await run()).toBe(await run());
  });
});
