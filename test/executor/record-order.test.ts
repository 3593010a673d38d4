import { describe, expect, it } from "vitest";
import type { CrmAdapter, RecordObjectType } from "../../src/adapter/index.js";
import { callTrail, rawLead, setup } from "./helpers.js";

// An adapter whose records link through a field of the contact (Pipedrive's person.org_id) declares company-first
// writes; the executor follows the plan's order and lets the contact's create carry the link.
const ordered =
  (recordOrder: readonly RecordObjectType[]) =>
  (adapter: CrmAdapter): CrmAdapter => ({
    ...adapter,
    capabilities: { ...adapter.capabilities, recordOrder },
  });

describe("capabilities.recordOrder", () => {
  it("writes the company first and the contact's create carries contact ↔ company: one call less per new lead", async () => {
    const contactFirst = setup();
    (await contactFirst.sync.run(rawLead(1)))._unsafeUnwrap();
    const companyFirst = setup({}, { wrap: ordered(["company", "contact", "deal", "ticket"]) });
    const outcome = (await companyFirst.sync.run(rawLead(1)))._unsafeUnwrap();

    expect(outcome.status).toBe("applied");
    expect(callTrail(companyFirst.probe.calls.filter((call) => call.kind === "write"))).toEqual([
      "create:company",
      "create:contact",
      "create:deal",
      "createNote:note",
    ]);
    expect(companyFirst.probe.callCount({ kind: "write" })).toBe(
      contactFirst.probe.callCount({ kind: "write" }) - 1,
    );
    const id = (step: string) => outcome.objects.find((o) => o.step === step)?.id ?? "";
    expect(outcome.objects.find((o) => o.step === "contact-company")).toMatchObject({
      action: "associate",
      id: `contact:${id("contact")}->company:${id("company")}`,
    });
    const linked = companyFirst.probe.associations({ type: "contact", id: id("contact") });
    expect(linked.map((a) => `${a.type}:${a.id}`)).toContain(`company:${id("company")}`);
    expect(outcome.plan.steps.slice(0, 3).map((step) => step.id)).toEqual(["company", "contact", "deal"]);
  });

  it("holds back the contact when the company create fails first, and the replay writes both once", async () => {
    const { sync, probe, journal } = setup(
      { faults: [{ method: "create", type: "company", reason: "validation_failed", times: 1 }] },
      { wrap: ordered(["company", "contact", "deal", "ticket"]) },
    );
    const failure = (await sync.run(rawLead(1)))._unsafeUnwrapErr();
    expect(failure).toMatchObject({ step: "company", objects: [] });
    expect(probe.list("contact")).toHaveLength(0);
    expect((await journal.get("evt_lead_1"))._unsafeUnwrap()?.status).toBe("review");

    const replayed = (await sync.replay("evt_lead_1"))._unsafeUnwrap();
    expect(replayed.status).toBe("applied");
    expect(probe.list("company")).toHaveLength(1);
    expect(probe.list("contact")).toHaveLength(1);
    expect(probe.duplicates("contact", "email")).toEqual([]);
  });

  it("keeps the default contact-first order for an adapter that declares none", async () => {
    const { sync } = setup();
    const outcome = (await sync.run(rawLead(1)))._unsafeUnwrap();
    expect(outcome.plan.steps.slice(0, 3).map((step) => step.id)).toEqual(["contact", "company", "deal"]);
  });
});
