import { afterEach, describe, expect, it } from "vitest";
import { HUBSPOT_API_VERSIONS } from "../../../src/adapters/hubspot/paths.js";
import { AE, barrier, closeWorlds, createWorld, DIAGNOSTIC_LEAD, lead, linked } from "./e2e-world.js";
import { atVersion } from "./legacy-paths.js";

// createSync + the HubSpot adapter + the HubSpot emulator over real HTTP on 127.0.0.1 (see e2e-world.ts), once
// per API version: every scenario runs on the legacy /crm/v3 + /crm/v4 paths and on the 2026-03 ones.

afterEach(closeWorlds);

describe.each(HUBSPOT_API_VERSIONS)("HubSpot end to end on %s", (apiVersion) => {
  /** A legacy path as this version spells it. */
  const path = atVersion(apiVersion);

  describe("the diagnostic lead end to end", () => {
    it("creates the contact, company and deal with the routed owner, links all three and notes the lead once", async () => {
      const world = await createWorld(apiVersion);
      const sync = world.sync(world.adapter());
      const outcome = (await world.drive(sync.run(DIAGNOSTIC_LEAD)))._unsafeUnwrap();

      expect(outcome.status).toBe("applied");
      expect(outcome.objects.map((o) => `${o.step}:${o.action}`)).toEqual([
        "contact:create",
        "company:create",
        "deal:create",
        "contact-company:associate",
        "deal-contact:associate",
        "deal-company:associate",
        "note:create",
      ]);
      const [contact, ...moreContacts] = world.emulator.list("contacts");
      const [company, ...moreCompanies] = world.emulator.list("companies");
      const [deal, ...moreDeals] = world.emulator.list("deals");
      const [note, ...moreNotes] = world.emulator.list("notes");
      expect([moreContacts, moreCompanies, moreDeals, moreNotes]).toEqual([[], [], [], []]);
      expect(contact?.properties).toMatchObject({
        email: "ops@example.com",
        firstname: "Ops",
        lastname: "Lead",
        phone: "+14155550132",
        jobtitle: "Head of Operations",
        hubspot_owner_id: AE.id,
      });
      expect(company?.properties).toMatchObject({ domain: "example.com", name: "Example Inc" });
      expect(deal?.properties).toMatchObject({
        pipeline: "default",
        hubspot_owner_id: AE.id,
        hs_is_closed: "false",
      });
      const ids = {
        contact: contact?.id ?? "",
        company: company?.id ?? "",
        deal: deal?.id ?? "",
        note: note?.id ?? "",
      };
      expect(linked(world, "contacts", ids.contact, "companies")).toEqual([ids.company]);
      expect(linked(world, "deals", ids.deal, "contacts")).toEqual([ids.contact]);
      expect(linked(world, "deals", ids.deal, "companies")).toEqual([ids.company]);
      expect(linked(world, "notes", ids.note, "contacts")).toEqual([ids.contact]);
      expect(linked(world, "notes", ids.note, "deals")).toEqual([ids.deal]);
      expect(note?.properties["hs_note_body"]).toContain("Pain: Leads from the website sit in a spreadsheet");
    });

    it("reads before it writes and never searches for what it wrote; contacts are looked up without the search API", async () => {
      const world = await createWorld(apiVersion);
      (await world.drive(world.sync(world.adapter()).run(DIAGNOSTIC_LEAD)))._unsafeUnwrap();
      const requests = world.emulator.requests;
      const firstWrite = requests.findIndex(
        (r) => r.method !== "GET" && !/\/(search|batch\/read)$/.test(r.path),
      );
      expect(firstWrite).toBeGreaterThan(0);
      expect(requests.slice(firstWrite).filter((r) => r.path.endsWith("/search"))).toEqual([]);
      expect(world.emulator.count({ path: path("/crm/v3/objects/contacts/search") })).toBe(0);
      expect(world.emulator.count({ path: path("/crm/v3/objects/contacts/batch/read") })).toBe(1);
      expect(world.emulator.count({ status: 429 })).toBe(0);
    });

    it("replays a redelivery from the idempotency store without one HubSpot call", async () => {
      const world = await createWorld(apiVersion);
      const sync = world.sync(world.adapter());
      const first = (await world.drive(sync.run(DIAGNOSTIC_LEAD)))._unsafeUnwrap();
      const seen = world.emulator.requests.length;
      const redelivery = {
        ...DIAGNOSTIC_LEAD,
        correlation_id: "req_redelivery",
        received_at: "2024-05-01T10:09:00Z",
      };
      const again = (await world.drive(sync.run(redelivery)))._unsafeUnwrap();

      expect(again.status).toBe("replayed");
      expect(again.apiCalls).toBe(0);
      expect(again.objects).toEqual(first.objects);
      expect(world.emulator.requests).toHaveLength(seen);
      expect(world.emulator.list("contacts")).toHaveLength(1);
      expect(world.emulator.list("notes")).toHaveLength(1);
    });

    it("a second lead for the same person while search still lags finds the contact, the open deal and the company", async () => {
      // Contacts come from batch reads and open deals from associations, neither of which lags behind writes; the
      // company is found by a search that cannot see it yet, so the adapter remembers what it wrote within the lag.
      const world = await createWorld(apiVersion, { searchLagMs: 60_000 });
      const sync = world.sync(world.adapter({ searchLagMs: 60_000 }));
      (await world.drive(sync.run(DIAGNOSTIC_LEAD)))._unsafeUnwrap();
      const followUp = {
        ...DIAGNOSTIC_LEAD,
        event_id: "evt_follow_up",
        source_record_id: "diag_form_second",
      };
      const outcome = (await world.drive(sync.run(followUp)))._unsafeUnwrap();

      const actions = Object.fromEntries(outcome.objects.map((o) => [o.step, o.action]));
      expect(actions).toMatchObject({ contact: "noop", company: "noop", deal: "noop", note: "create" });
      for (const type of ["contacts", "companies", "deals"] as const)
        expect(world.emulator.list(type)).toHaveLength(1);
      expect(world.emulator.list("notes")).toHaveLength(2);
    });
  });

  describe("two processes racing on one new email", () => {
    const raceLead = (n: number) => ({
      ...lead(n),
      contact: { email: "race@gmail.com", first_name: "Race", last_name: `Event ${n}` },
      company: undefined,
    });

    it("native upserts by email: both events apply and HubSpot holds exactly one contact", async () => {
      const world = await createWorld(apiVersion);
      const bothRead = barrier(2);
      const racer = () => {
        const adapter = world.adapter();
        const upsert = adapter.upsert;
        // Hold the contact write until the other process has looked the email up as well.
        return world.sync({
          ...adapter,
          upsert: async (type, input, ctx) => {
            await bothRead();
            return upsert(type, input, ctx);
          },
        });
      };
      const [a, b] = await world.drive(Promise.all([racer().run(raceLead(1)), racer().run(raceLead(2))]));

      const contacts = world.emulator.list("contacts");
      expect(contacts).toHaveLength(1);
      const ids = [a, b].map((r) => r._unsafeUnwrap().objects.find((o) => o.step === "contact")?.id);
      expect(ids).toEqual([contacts[0]?.id, contacts[0]?.id]);
      expect(world.emulator.count({ path: path("/crm/v3/objects/contacts/batch/read") })).toBe(2);
      expect(linked(world, "contacts", contacts[0]?.id ?? "", "notes")).toHaveLength(2);
    });

    it("plain creates: the loser's 409 CONFLICT names the winner's id and becomes an update of it", async () => {
      const world = await createWorld(apiVersion);
      const bothRead = barrier(2);
      const racer = () => {
        const { upsert: _native, batchUpsert: _batch, ...adapter } = world.adapter();
        const create = adapter.create;
        return world.sync({
          ...adapter,
          create: async (type, input, ctx) => {
            if (type === "contact") await bothRead();
            return create(type, input, ctx);
          },
        });
      };
      const results = await world.drive(Promise.all([racer().run(raceLead(1)), racer().run(raceLead(2))]));

      const contacts = world.emulator.list("contacts");
      expect(contacts).toHaveLength(1);
      expect(
        world.emulator.count({ method: "POST", path: path("/crm/v3/objects/contacts"), status: 409 }),
      ).toBe(1);
      const actions = results.map((r) => r._unsafeUnwrap().objects.find((o) => o.step === "contact"));
      expect(actions.map((o) => o?.action).sort()).toEqual(["create", "update"]);
      expect(actions.map((o) => o?.id)).toEqual([contacts[0]?.id, contacts[0]?.id]);
    });
  });
});
