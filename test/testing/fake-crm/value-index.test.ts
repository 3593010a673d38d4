import { describe, expect, it } from "vitest";
import { createFakeClock } from "../../../src/testing/fake-clock.js";
import { createFakeCrm } from "../../../src/testing/fake-crm/index.js";
import { createValueIndex } from "../../../src/testing/fake-crm/value-index.js";

describe("createValueIndex", () => {
  it("finds items by each of their values, filled from the initial items", () => {
    const items = [
      { id: "a", values: ["x", "y"] },
      { id: "b", values: ["y"] },
    ];
    const index = createValueIndex((item: (typeof items)[number]) => item.values, items);
    expect([...(index.lookup("x") ?? [])].map((item) => item.id)).toEqual(["a"]);
    expect([...(index.lookup("y") ?? [])].map((item) => item.id)).toEqual(["a", "b"]);
    expect(index.lookup("z")).toBeUndefined();
  });

  it("moves an item to its new values on update and forgets values nobody holds", () => {
    const item = { values: ["old"] };
    const index = createValueIndex((it: typeof item) => it.values, [item]);
    item.values = ["new", "new"];
    index.update(item);
    expect(index.lookup("old")).toBeUndefined();
    expect([...(index.lookup("new") ?? [])]).toEqual([item]);
  });
});

// The fake CRM's find goes through the index; these pin the semantics a scan had.
describe("fake CRM find through its index", () => {
  it("returns every match in creation order, whatever order the values were written in", async () => {
    const { adapter } = createFakeCrm();
    const first = await adapter.create("contact", { properties: { email: "b@example.com" } });
    const second = await adapter.create("contact", { properties: { email: "A@example.com" } });
    await adapter.update("contact", { id: first.id, properties: { email: "a@example.com" } });
    const found = await adapter.find({ type: "contact", field: "email", value: " a@EXAMPLE.com" });
    expect(found.map((record) => record.id)).toEqual([first.id, second.id]);
    expect(await adapter.find({ type: "contact", field: "email", value: "b@example.com" })).toEqual([]);
  });

  it("answers for the old value until searchLagMs has passed after an update, then only for the new one", async () => {
    const clock = createFakeClock();
    const { adapter } = createFakeCrm({ clock, searchLagMs: 1_000 });
    const record = await adapter.create("company", { properties: { name: "Acme", domain: "acme.test" } });
    await clock.advance(1_000);
    await adapter.update("company", {
      id: record.id,
      properties: { domain: "acme.example", secondary_domains: "acme.io" },
    });
    const ids = async (value: string) =>
      (await adapter.find({ type: "company", field: "domain", value })).map((found) => found.id);
    expect(await ids("acme.test")).toEqual([record.id]);
    expect(await ids("acme.io")).toEqual([]);
    await clock.advance(1_000);
    expect(await ids("acme.test")).toEqual([]);
    expect(await ids("acme.example")).toEqual([record.id]);
    expect(await ids("acme.io")).toEqual([record.id]);
  });

  it("rejects a unique key taken by another record and frees it once that record moves away", async () => {
    const { adapter } = createFakeCrm({ uniqueKeys: { contact: ["email"] } });
    const first = await adapter.create("contact", { properties: { email: "ops@example.com" } });
    await expect(
      adapter.create("contact", { properties: { email: "OPS@example.com" } }),
    ).rejects.toMatchObject({ reason: "duplicate_conflict", existingId: first.id });
    await adapter.update("contact", { id: first.id, properties: { email: "moved@example.com" } });
    const second = await adapter.create("contact", { properties: { email: "ops@example.com" } });
    expect(second.id).not.toBe(first.id);
  });
});
