import { describe, expect, it } from "vitest";
import { type AdapterCapabilities, type CrmAdapter, defineAdapter } from "../../src/adapter/index.js";

const unused = async (): Promise<never> => {
  throw new Error("not called");
};

function adapter(
  capabilities: Partial<AdapterCapabilities> = {},
  extra: Partial<CrmAdapter> = {},
): CrmAdapter {
  return {
    provider: "acme",
    capabilities: {
      objects: ["contact", "company", "note", "task"],
      upsertKeys: {},
      batchSizes: {},
      tickets: "none",
      searchLagMs: 0,
      ...capabilities,
    },
    find: unused,
    get: unused,
    findOpenDeals: unused,
    listOwners: unused,
    listPipelines: unused,
    describeFields: unused,
    create: unused,
    update: unused,
    associate: unused,
    createNote: unused,
    createTask: unused,
    ...extra,
  };
}

describe("defineAdapter", () => {
  it("returns a well-formed adapter unchanged", () => {
    const acme = adapter({ recordOrder: ["company", "contact"] });
    expect(defineAdapter(acme)).toBe(acme);
  });

  it("names the missing method and points at the guide", () => {
    const { find: _dropped, ...rest } = adapter();
    expect(() => defineAdapter(rest as CrmAdapter)).toThrow(
      '[crmkit] adapter "acme": `find` must be a function. See docs/writing-an-adapter.md',
    );
  });

  it("rejects a batch size without its batch method and a batch method without its size", () => {
    expect(() => defineAdapter(adapter({ batchSizes: { create: 100 } }))).toThrow(
      "declares batchSizes.create but has no `batchCreate`",
    );
    expect(() => defineAdapter(adapter({}, { findMany: unused }))).toThrow(
      "has `findMany` but does not declare batchSizes.read",
    );
  });

  it("rejects upsert keys without upsert, and the other way round", () => {
    expect(() => defineAdapter(adapter({ upsertKeys: { contact: ["email"] } }))).toThrow(
      "declares `capabilities.upsertKeys` but has no `upsert`",
    );
    expect(() => defineAdapter(adapter({}, { upsert: unused }))).toThrow(
      "has `upsert` but `capabilities.upsertKeys` is empty",
    );
  });

  it("rejects an unknown ticket mode, a negative search lag and an unknown object type", () => {
    expect(() => defineAdapter(adapter({ tickets: "email" as never }))).toThrow(
      "`capabilities.tickets` must be",
    );
    expect(() => defineAdapter(adapter({ searchLagMs: -1 }))).toThrow("`capabilities.searchLagMs` must be");
    expect(() => defineAdapter(adapter({ objects: ["lead" as never] }))).toThrow('unknown type "lead"');
  });

  it("accepts a partial recordOrder and rejects unknown or repeated types with the fix", () => {
    expect(() => defineAdapter(adapter({ recordOrder: ["deal"] }))).not.toThrow();
    expect(() => defineAdapter(adapter({ recordOrder: ["note" as never] }))).toThrow(
      '`capabilities.recordOrder` has unknown type "note": list each of "contact", "company", "deal", "ticket" at most once',
    );
    expect(() => defineAdapter(adapter({ recordOrder: ["company", "company"] }))).toThrow(
      '`capabilities.recordOrder` has duplicate type "company"',
    );
    expect(() => defineAdapter(adapter({ recordOrder: "company" as never }))).toThrow(
      "`capabilities.recordOrder` must be an array",
    );
  });
});
