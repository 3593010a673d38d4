import { afterEach, describe, expect, it } from "vitest";
import { HUBSPOT_API_VERSIONS } from "../../../src/adapters/hubspot/paths.js";
import type { CrmError } from "../../../src/errors/index.js";
import { createMemoryJournal } from "../../../src/journal/index.js";
import { createRateLimiter, hubspotLimits } from "../../../src/ratelimit/index.js";
import { busiestWindow, closeWorlds, createWorld, lead, linked, START, type World } from "./e2e-world.js";
import { atVersion } from "./legacy-paths.js";

// HubSpot's limits, OAuth expiry and runMany batching, end to end over real HTTP on 127.0.0.1 (see e2e-world.ts),
// once per API version: every scenario runs on the legacy /crm/v3 + /crm/v4 paths and on the 2026-03 ones.

afterEach(closeWorlds);

describe.each(HUBSPOT_API_VERSIONS)("HubSpot end to end on %s: limits, auth, runMany", (apiVersion) => {
  /** A legacy path as this version spells it. */
  const path = atVersion(apiVersion);

  describe("HubSpot's limits, respected before HubSpot says 429", () => {
    it("5 concurrent syncs sharing one limiter saturate the Free tier's 10-second window with 0 429s", async () => {
      const world = await createWorld(apiVersion, { tier: "free" });
      const limiter = createRateLimiter({ ...hubspotLimits({ tier: "free" }), clock: world.clock });
      const started = world.clock.now();
      const workers = Array.from({ length: 5 }, async (_, w) => {
        const sync = world.sync(world.adapter({ limiter }));
        const statuses: string[] = [];
        for (let i = 0; i < 7; i++) {
          const result = await sync.run(lead(w * 100 + i));
          statuses.push(result.isOk() ? result.value.status : result.error.reason);
        }
        return statuses;
      });
      const statuses = (await world.drive(Promise.all(workers))).flat();

      expect(statuses).toEqual(Array.from({ length: 35 }, () => "applied"));
      expect(world.emulator.list("contacts")).toHaveLength(35);
      expect(world.emulator.count({ status: 429 })).toBe(0);
      // More calls than three full windows hold, so the limiter made the syncs wait on the clock...
      expect(world.emulator.requests.length).toBeGreaterThan(3 * 90);
      expect(world.clock.now() - started).toBeGreaterThanOrEqual(30_000);
      // ...and never sent more than 90 % of HubSpot's 100 per rolling 10 s, nor more than 4 of its 5 searches a second.
      expect(busiestWindow(world, 10_000, () => true)).toBeLessThanOrEqual(90);
      expect(busiestWindow(world, 1_000, (path) => path.endsWith("/search"))).toBeLessThanOrEqual(4);
    });

    it("a DAILY 429 fails the run with quota_exhausted (retry, not alert) until the account's midnight; replay applies it the next day", async () => {
      // 20 calls a day: the first lead spends 16 (metadata included), the second runs out on its way.
      const timeZone = "America/New_York";
      const world = await createWorld(apiVersion, { timeZone, limits: { daily: 20 } });
      const journal = createMemoryJournal({ clock: world.clock });
      const sync = world.sync(world.adapter({ timeZone }), { journal });
      (await world.drive(sync.run(lead(1))))._unsafeUnwrap();
      const failure = (await world.drive(sync.run(lead(2))))._unsafeUnwrapErr();

      expect(world.emulator.count({ status: 429 })).toBe(1);
      expect(failure).toMatchObject({ action: "retry", reason: "quota_exhausted", replayable: true });
      // 09:00 UTC on 2 March is 04:00 in New York, whose midnight is 05:00 UTC on 3 March.
      const midnight = Date.parse("2026-03-03T05:00:00.000Z");
      expect(world.clock.now() + (failure.error as CrmError).retryAfterMs!).toBe(midnight);
      const record = (await journal.get("evt_e2e_2"))._unsafeUnwrap();
      expect(record).toMatchObject({ status: "dead_letter", reason: "quota_exhausted", action: "retry" });

      await world.clock.fake.setTime(midnight);
      (await world.drive(sync.replay("evt_e2e_2")))._unsafeUnwrap();
      expect((await journal.get("evt_e2e_2"))._unsafeUnwrap()?.status).toBe("replayed");
      // The replay resumed what the failed run had written: each lead has exactly one of everything.
      for (const type of ["contacts", "companies", "deals", "notes"] as const)
        expect(world.emulator.list(type)).toHaveLength(2);
      expect(world.emulator.count({ status: 429 })).toBe(1);
    });
  });

  describe("an OAuth access token that HubSpot expired", () => {
    const oauthApp = { clientId: "e2e-client", clientSecret: "e2e-client-secret" };
    const STALE = "CJstale-access-token";
    // The stored token's expiry was not persisted, so only HubSpot's 401 EXPIRED_AUTHENTICATION tells it is stale.
    const expiredWorld = () =>
      createWorld(apiVersion, {
        appType: "public",
        oauth: { ...oauthApp, refreshTokens: ["e2e-refresh-token"] },
        tokens: [{ token: STALE, expiresAt: Date.parse(START) - 1, appId: oauthApp.clientId }],
      });
    const oauthAdapter = (world: World, onTokens: () => void) =>
      world.adapter({
        oauth: { ...oauthApp, refreshToken: "e2e-refresh-token", accessToken: STALE, onTokens },
        limits: { appType: "public" },
      });

    it("is refreshed exactly once for 50 concurrent adapter calls, and every call then succeeds", async () => {
      const world = await expiredWorld();
      let refreshes = 0;
      const adapter = oauthAdapter(world, () => refreshes++);
      const lookups = Array.from({ length: 50 }, (_, i) =>
        adapter.find({ type: "contact", field: "email", value: `nobody${i}@example.com` }),
      );
      const found = await world.drive(Promise.all(lookups));

      expect(found).toEqual(Array.from({ length: 50 }, () => []));
      expect(world.emulator.count({ path: path("/oauth/v3/token") })).toBe(1);
      expect(refreshes).toBe(1);
      expect(world.emulator.count({ status: 401 })).toBe(50);
      expect(world.emulator.count({ path: path("/crm/v3/objects/contacts/batch/read"), status: 207 })).toBe(
        50,
      );
      expect(JSON.stringify(world.emulator.requests)).not.toContain(oauthApp.clientSecret);
    });

    it("is refreshed exactly once for 50 concurrent syncs, which all apply", async () => {
      const world = await expiredWorld();
      let refreshes = 0;
      const sync = world.sync(oauthAdapter(world, () => refreshes++));
      const results = await world.drive(Promise.all(Array.from({ length: 50 }, (_, i) => sync.run(lead(i)))));

      expect(results.map((r) => (r.isOk() ? r.value.status : r.error.reason))).toEqual(
        Array.from({ length: 50 }, () => "applied"),
      );
      expect(world.emulator.count({ path: path("/oauth/v3/token") })).toBe(1);
      expect(refreshes).toBe(1);
      expect(world.emulator.list("contacts")).toHaveLength(50);
      expect(world.emulator.count({ status: 429 })).toBe(0);
    });
  });

  describe("runMany over the HubSpot adapter", () => {
    it("merges 20 new leads' lookups and writes into batch calls, matching a company by its secondary domain", async () => {
      const world = await createWorld(apiVersion, {
        records: {
          companies: [
            {
              id: "900",
              properties: {
                name: "Acme Group",
                domain: "acme-group.test",
                hs_additional_domains: "company3.test;company7.test",
              },
            },
          ],
        },
      });
      const sync = world.sync(world.adapter());
      const leads = Array.from({ length: 20 }, (_, n) => lead(n));
      const results = (await world.drive(sync.runMany(leads, { concurrency: 20 })))._unsafeUnwrap();

      expect(results.map((r) => (r.isOk() ? r.value.status : r.error.reason))).toEqual(
        Array.from({ length: 20 }, () => "applied"),
      );
      expect(world.emulator.list("contacts")).toHaveLength(20);
      expect(world.emulator.list("deals")).toHaveLength(20);
      // Leads 3 and 7 work at Acme Group: linked to it, no company of their own.
      expect(world.emulator.list("companies")).toHaveLength(19);
      for (const n of [3, 7]) {
        const contact = world.emulator
          .list("contacts")
          .find((c) => c.properties["email"] === `lead${n}@company${n}.test`);
        expect(linked(world, "contacts", contact?.id ?? "", "companies")).toEqual(["900"]);
      }
      const calls = (legacyPath: string) => world.emulator.count({ path: path(legacyPath) });
      expect(calls("/crm/v3/objects/contacts/batch/read")).toBe(1);
      // One search for the 20 domains (with four secondary-domain groups) and one listing the multi-domain companies.
      expect(calls("/crm/v3/objects/companies/search")).toBe(2);
      // Records and associations are written in batches only (notes still go one per lead: the executor sends them).
      expect(
        world.emulator.count({ path: new RegExp(`^${path("/crm/v3/objects")}/(contacts|companies|deals)$`) }),
      ).toBe(0);
      expect(world.emulator.count({ method: "PUT" })).toBe(0);
      expect(calls("/crm/v3/objects/contacts/batch/upsert")).toBe(1);
      expect(calls("/crm/v3/objects/companies/batch/create")).toBe(1);
      expect(world.emulator.count({ status: 429 })).toBe(0);
    });
  });
});
