import { afterEach, describe, expect, it } from "vitest";
import { createPipedriveEmulator } from "../../../../src/testing/emulators/pipedrive/index.js";
import { CUSTOM_FIELDS, type Harness, KEY, start } from "./helpers.js";

describe("Pipedrive emulator custom fields", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("lists fields in v2 with 40-hex field codes and options, and in v1 with keys", async () => {
    h = await start("fetch", { customFields: CUSTOM_FIELDS });
    const v2 = await h.call("GET", "/api/v2/personFields");
    const tier = v2.body.data.find((f: { field_code: string }) => f.field_code === KEY.tier);
    expect(tier).toEqual({
      field_name: "Tier",
      field_code: KEY.tier,
      field_type: "enum",
      options: [
        { id: 11, label: "Gold", color: null },
        { id: 12, label: "Silver", color: null },
      ],
      subfields: null,
      is_custom_field: true,
      is_optional_response_field: false,
    });
    expect(v2.body.data.find((f: { field_code: string }) => f.field_code === "name").is_custom_field).toBe(
      false,
    );
    expect((await h.call("GET", `/api/v2/personFields/${KEY.tier}`)).body.data.field_name).toBe("Tier");
    expect((await h.call("GET", "/api/v2/personFields/nope")).status).toBe(404);
    const v1 = await h.call("GET", "/v1/dealFields?limit=100");
    const budget = v1.body.data.find((f: { key: string }) => f.key === KEY.budget);
    expect(budget).toMatchObject({ name: "Budget", field_type: "monetary", edit_flag: true });
    expect(v1.body.additional_data.pagination).toMatchObject({ start: 0, more_items_in_collection: false });
  });

  it("derives deterministic 40-hex keys for fields seeded without one", () => {
    const make = () => createPipedriveEmulator({ customFields: { deal: [{ name: "Source" }] } });
    const key = make().state.fields.deal.find((f) => f.name === "Source")?.key;
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    expect(make().state.fields.deal.find((f) => f.name === "Source")?.key).toBe(key);
    expect(() =>
      createPipedriveEmulator({ customFields: { deal: [{ name: "Bad", key: "not-a-hash" }] } }),
    ).toThrow(/`customFields.deal`/);
  });

  it("writes enum, set, int and monetary values by hash key and reads every defined key back", async () => {
    h = await start("fetch", { customFields: CUSTOM_FIELDS, currency: "EUR" });
    const person = await h.call("POST", "/api/v2/persons", {
      name: "Ann",
      custom_fields: { [KEY.tier]: 11, [KEY.tags]: [21, 22], [KEY.score]: 7 },
    });
    expect(person.body.data.custom_fields).toEqual({ [KEY.tier]: 11, [KEY.tags]: [21, 22], [KEY.score]: 7 });
    const deal = await h.call("POST", "/api/v2/deals", {
      title: "D",
      custom_fields: { [KEY.budget]: { value: 5000 } },
    });
    expect(deal.body.data.custom_fields[KEY.budget]).toEqual({ value: 5000, currency: "EUR" });
    const cleared = await h.call("PATCH", `/api/v2/persons/${person.body.data.id}`, {
      custom_fields: { [KEY.tier]: null, [KEY.score]: 8 },
    });
    expect(cleared.body.data.custom_fields).toEqual({
      [KEY.tier]: null,
      [KEY.tags]: [21, 22],
      [KEY.score]: 8,
    });
    const narrowed = await h.call("GET", `/api/v2/persons/${person.body.data.id}?custom_fields=${KEY.score}`);
    expect(narrowed.body.data.custom_fields).toEqual({ [KEY.score]: 8 });
  });

  it("rejects invalid option ids and wrong types, and ignores unknown keys", async () => {
    h = await start("fetch", { customFields: CUSTOM_FIELDS });
    const badOption = await h.call("POST", "/api/v2/persons", {
      name: "A",
      custom_fields: { [KEY.tier]: 99 },
    });
    expect(badOption.status).toBe(400);
    expect(badOption.body.error).toBe(
      `Invalid value for custom field "Tier" (${KEY.tier}): 99 is not an option id of this field.`,
    );
    const badType = await h.call("POST", "/api/v2/persons", {
      name: "A",
      custom_fields: { [KEY.score]: "7" },
    });
    expect(badType.status).toBe(400);
    const unknown = "f".repeat(40);
    const ignored = await h.call("POST", "/api/v2/persons", { name: "A", custom_fields: { [unknown]: "x" } });
    expect(ignored.status).toBe(200);
    expect(ignored.body.data.custom_fields).not.toHaveProperty(unknown);
  });
});
