import { describe, expect, it } from "vitest";
import {
  createPropertyMap,
  fieldTypeOf,
  fromHubSpotProperties,
  toFieldMeta,
  toHubSpotProperties,
  toHubSpotValue,
} from "../../../src/adapters/hubspot/mapping.js";

describe("toHubSpotValue", () => {
  it("writes every value as a string: numbers, booleans, ;-joined arrays, and null as the empty string", () => {
    expect([
      toHubSpotValue(1200.5),
      toHubSpotValue(true),
      toHubSpotValue(["a", "b"]),
      toHubSpotValue(null),
    ]).toEqual(["1200.5", "true", "a;b", ""]);
  });
});

describe("toHubSpotProperties / fromHubSpotProperties", () => {
  it("maps the canonical contact keys to HubSpot's default internal names", () => {
    const map = createPropertyMap("contact");
    expect(
      toHubSpotProperties(map, {
        email: "ada@example.com",
        first_name: "Ada",
        last_name: "Lovelace",
        phone: "+441234",
        job_title: "CTO",
        owner_id: "101",
        lifecycle_stage: "lead",
      }),
    ).toEqual({
      email: "ada@example.com",
      firstname: "Ada",
      lastname: "Lovelace",
      phone: "+441234",
      jobtitle: "CTO",
      hubspot_owner_id: "101",
      lifecyclestage: "lead",
    });
  });

  it("maps deal keys, including currency, and reads amount back as a number", () => {
    const map = createPropertyMap("deal");
    const wire = toHubSpotProperties(map, {
      name: "Big",
      pipeline_id: "default",
      stage_id: "closedwon",
      amount: 99,
      currency: "EUR",
      close_date: "2026-04-01",
    });
    expect(wire).toEqual({
      dealname: "Big",
      pipeline: "default",
      dealstage: "closedwon",
      amount: "99",
      deal_currency_code: "EUR",
      closedate: "2026-04-01",
    });
    expect(
      fromHubSpotProperties(map, { ...wire, hs_object_id: "7", createdate: "x", hs_lastmodifieddate: "y" }),
    ).toEqual({
      name: "Big",
      pipeline_id: "default",
      stage_id: "closedwon",
      amount: 99,
      currency: "EUR",
      close_date: "2026-04-01",
    });
  });

  it("upper-cases ticket priority on write and lower-cases it on read", () => {
    const map = createPropertyMap("ticket", { external_ref: "crmkit_external_ref" });
    expect(toHubSpotProperties(map, { priority: "urgent", description: "d", external_ref: "SUP-1" })).toEqual(
      {
        hs_ticket_priority: "URGENT",
        content: "d",
        crmkit_external_ref: "SUP-1",
      },
    );
    expect(fromHubSpotProperties(map, { hs_ticket_priority: "HIGH", crmkit_external_ref: "SUP-1" })).toEqual({
      priority: "high",
      external_ref: "SUP-1",
    });
  });

  it("passes unmapped custom properties through under their own name but drops system and empty values", () => {
    const map = createPropertyMap("contact", { source: "lead_source" });
    expect(toHubSpotProperties(map, { source: "web", favourite_colour: "teal" })).toEqual({
      lead_source: "web",
      favourite_colour: "teal",
    });
    expect(
      fromHubSpotProperties(map, {
        lead_source: "web",
        favourite_colour: "teal",
        hs_object_id: "1",
        lastname: null,
        phone: "",
      }),
    ).toEqual({
      source: "web",
      favourite_colour: "teal",
    });
  });

  it("never returns a property under a canonical key that stands for another property", () => {
    const map = createPropertyMap("deal");
    expect(fromHubSpotProperties(map, { name: "shadow", dealname: "Real" })).toEqual({ name: "Real" });
  });
});

describe("field metadata", () => {
  it("classifies HubSpot property types as crmkit field types", () => {
    expect(
      [
        { name: "email", type: "string" },
        { name: "hubspot_owner_id", type: "enumeration" },
        { name: "amount", type: "number" },
        { name: "flag", type: "bool" },
        { name: "closedate", type: "datetime" },
        { name: "tags", type: "enumeration", fieldType: "checkbox" },
        { name: "lead_source", type: "enumeration", fieldType: "select" },
        { name: "notes", type: "string", fieldType: "textarea" },
      ].map(fieldTypeOf),
    ).toEqual(["email", "reference", "number", "boolean", "datetime", "multi_enum", "enum", "text"]);
  });

  it("describes an enum property under its canonical key with its options", () => {
    const meta = toFieldMeta("lead_source", {
      name: "lead_source",
      label: "Lead source",
      type: "enumeration",
      fieldType: "select",
      options: [{ label: "Web", value: "web" }],
      hasUniqueValue: false,
    });
    expect(meta).toEqual({
      key: "lead_source",
      apiName: "lead_source",
      label: "Lead source",
      type: "enum",
      options: [{ value: "web", label: "Web" }],
    });
  });
});
