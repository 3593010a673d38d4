import { describe, expect, it } from "vitest";
import type { CrmAdapter } from "../../src/adapter/index.js";
import { rawLead, setup } from "./helpers.js";

// An adapter that says how it answered each search (as Pipedrive's does: list index or search); createSync puts the
// reports into every plan that the lookup served.
const reporting = (adapter: CrmAdapter): CrmAdapter => ({
  ...adapter,
  find: async (query, ctx) => {
    ctx?.onLookup?.({ type: query.type, field: query.field, keys: 1, via: "search" });
    return adapter.find(query, ctx);
  },
  findMany: async (type, field, values, ctx) => {
    ctx?.onLookup?.({ type, field, keys: values.length, via: "index", detail: "from the index" });
    return adapter.findMany!(type, field, values, ctx);
  },
});

describe("lookup reports", () => {
  it("puts the adapter's reports into the plan of run and plan, in a stable order", async () => {
    const { sync } = setup({ batch: { read: 100 } }, { wrap: reporting });
    const planned = (await sync.plan(rawLead(1)))._unsafeUnwrap();
    expect(planned.plan.lookups).toEqual([
      { type: "contact", field: "email", keys: 1, via: "index", detail: "from the index" },
      { type: "company", field: "domain", keys: 1, via: "index", detail: "from the index" },
    ]);
    const outcome = (await sync.run(rawLead(2)))._unsafeUnwrap();
    expect(outcome.plan.lookups?.map((l) => `${l.type}:${l.field}`)).toEqual([
      "contact:email",
      "company:domain",
    ]);
  });

  it("gives every event of a runMany batch the report of the lookup it shared", async () => {
    const { sync, probe } = setup({ batch: { read: 100 } }, { wrap: reporting });
    const results = (await sync.runMany([rawLead(1), rawLead(2), rawLead(3)]))._unsafeUnwrap();
    expect(probe.callCount({ method: "findMany" })).toBe(2);
    for (const result of results) {
      expect(result._unsafeUnwrap().plan.lookups).toEqual([
        { type: "contact", field: "email", keys: 3, via: "index", detail: "from the index" },
        { type: "company", field: "domain", keys: 3, via: "index", detail: "from the index" },
      ]);
    }
  });

  it("leaves lookups out of the plan when the adapter reports nothing", async () => {
    const { sync } = setup();
    const planned = (await sync.plan(rawLead(1)))._unsafeUnwrap();
    expect(planned.plan.lookups).toBeUndefined();
  });
});
