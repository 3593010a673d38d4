import { describe, expect, it } from "vitest";
import { createPipedriveEmulator } from "../../../../src/testing/emulators/pipedrive/index.js";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";

const headers = { "x-api-token": "secret-token-value", "content-type": "application/json" };

describe("createPipedriveEmulator", () => {
  it("throws at construction naming the misconfigured option", () => {
    expect(() => createPipedriveEmulator({ timeZone: "Mars/Olympus" })).toThrow(/`timeZone`/);
    expect(() => createPipedriveEmulator({ baseUrl: "not a url" })).toThrow(/`baseUrl`/);
    expect(() => createPipedriveEmulator({ plan: "gold" as "lite" })).toThrow(/`plan`/);
    expect(() => createPipedriveEmulator({ seats: 0 })).toThrow(/`seats`/);
    expect(() => createPipedriveEmulator({ limits: { burst: 1.5 } })).toThrow(/`limits.burst`/);
    expect(() => createPipedriveEmulator({ abuseAfter: 0 })).toThrow(/`abuseAfter`/);
    expect(() => createPipedriveEmulator({ searchLagMs: -1 })).toThrow(/`searchLagMs`/);
    expect(() => createPipedriveEmulator({ tokenTtlMs: 0 })).toThrow(/`tokenTtlMs`/);
    expect(() => createPipedriveEmulator({ users: [] })).toThrow(/`users`/);
    expect(() => createPipedriveEmulator({ tokens: [{ token: "" }] })).toThrow(/`tokens`/);
  });

  it("computes the daily budget from plan, seats and multiplier", () => {
    expect(createPipedriveEmulator({ plan: "lite" }).limits.dailyTokens).toBe(30_000);
    expect(createPipedriveEmulator({ plan: "premium", seats: 2 }).limits.dailyTokens).toBe(300_000);
    expect(createPipedriveEmulator({ plan: "ultimate", seats: 10 }).limits).toMatchObject({
      dailyTokens: 2_100_000,
      burst: 120,
      oauthBurst: 480,
      search: 10,
    });
  });

  it("answers relative and any-host URLs through fetch, sharing state with the HTTP server", async () => {
    const emulator = createPipedriveEmulator({ baseUrl: "https://acme.pipedrive.com" });
    try {
      const created = await emulator.fetch("/api/v2/organizations", {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "Acme" }),
      });
      const { data } = (await created.json()) as { data: { id: number } };
      const url = await emulator.listen();
      const viaHttp = await fetch(`${url}/api/v2/organizations/${data.id}`, { headers });
      expect(((await viaHttp.json()) as { data: { name: string } }).data.name).toBe("Acme");
      const otherHost = await emulator.fetch(`https://api.pipedrive.com/api/v2/organizations/${data.id}`, {
        headers,
      });
      expect(otherHost.status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it("answers 404 for unknown routes, 400 for malformed JSON and bad ids, and redacts the token in the log", async () => {
    const emulator = createPipedriveEmulator();
    expect((await emulator.fetch("https://api.pipedrive.com/api/v2/widgets", { headers })).status).toBe(404);
    const bad = await emulator.fetch("https://api.pipedrive.com/api/v2/persons", {
      method: "POST",
      headers,
      body: "{",
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { success: boolean }).success).toBe(false);
    expect((await emulator.fetch("https://api.pipedrive.com/api/v2/persons/abc", { headers })).status).toBe(
      400,
    );
    expect(JSON.stringify(emulator.requests)).not.toContain("secret-token-value");
    expect(emulator.count({ method: "POST", path: "/api/v2/persons" })).toBe(1);
  });

  it("seeds users, records and custom fields, and inspects records by type and id", () => {
    const clock = createFakeClock({ start: "2026-01-05T08:00:00.000Z" });
    const emulator = createPipedriveEmulator({
      clock,
      records: {
        organizations: [{ id: 5, fields: { name: "Seeded Org" } }],
        persons: [
          { id: 7, fields: { name: "Seeded Person", org_id: 5 } },
          { fields: { name: "Deleted Person" }, deleted: true },
        ],
      },
    });
    expect(emulator.get("persons", 7)).toMatchObject({
      id: 7,
      name: "Seeded Person",
      org_id: 5,
      add_time: "2026-01-05T08:00:00Z",
      is_deleted: false,
    });
    expect(emulator.list("persons").map((p) => p["id"])).toEqual([7]);
    expect(emulator.list("persons", { deleted: true }).map((p) => p["name"])).toEqual(["Deleted Person"]);
    expect(emulator.get("deals", 1)).toBeUndefined();
  });

  it("resets to the seeded state and clears logs, faults, limits and ids", async () => {
    const emulator = createPipedriveEmulator({ records: { persons: [{ id: 1, fields: { name: "Seed" } }] } });
    const post = () =>
      emulator.fetch("https://api.pipedrive.com/api/v2/persons", {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "New" }),
      });
    const first = (await (await post()).json()) as { data: { id: number } };
    emulator.faults.inject({ response: "server" });
    emulator.reset();
    expect(emulator.list("persons").map((p) => p["name"])).toEqual(["Seed"]);
    expect([emulator.requests.length, emulator.faults.pending(), emulator.tokensUsed()]).toEqual([0, 0, 0]);
    const again = (await (await post()).json()) as { data: { id: number } };
    expect(again.data.id).toBe(first.data.id);
  });
});
