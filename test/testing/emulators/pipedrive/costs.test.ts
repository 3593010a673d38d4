import { afterEach, describe, expect, it } from "vitest";
import { PIPEDRIVE_TOKEN_COSTS } from "../../../../src/testing/emulators/pipedrive/index.js";
import { PIPEDRIVE_SPECS, pipedriveSpecCosts } from "../../../helpers/pipedrive-spec-costs.js";
import { type Harness, start } from "./helpers.js";

describe("Pipedrive token costs", () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it.skipIf(PIPEDRIVE_SPECS === undefined)(
    "matches the x-token-cost of every operation in the vendor specs (needs CRMKIT_VENDOR_SPECS)",
    () => {
      const spec = pipedriveSpecCosts(PIPEDRIVE_SPECS as string);
      for (const [operation, cost] of Object.entries(PIPEDRIVE_TOKEN_COSTS))
        expect({ operation, cost: spec.get(operation) }).toEqual({ operation, cost });
    },
  );

  if (process.env["CRMKIT_VENDOR_SPECS"] === undefined)
    it("notes that the spec cross-check is skipped without CRMKIT_VENDOR_SPECS", () => {
      console.info(
        "Pipedrive token-cost cross-check skipped: set CRMKIT_VENDOR_SPECS to the vendor-specs folder",
      );
      expect(PIPEDRIVE_TOKEN_COSTS["GET /api/v2/persons/search"]).toBe(20);
    });

  it("charges each admitted request its operation's cost and records it per request", async () => {
    h = await start("fetch");
    const person = (await h.call("POST", "/api/v2/persons", { name: "A" })).body.data; // 5
    await h.call("GET", `/api/v2/persons/${person.id}`); // 1
    await h.call("GET", "/api/v2/persons"); // 10
    await h.call("GET", "/api/v2/persons/search?term=aa"); // 20
    await h.call("PATCH", `/api/v2/persons/${person.id}`, { name: "B" }); // 5
    await h.call("POST", "/v1/notes", { content: "n", person_id: person.id }); // 10
    await h.call("GET", "/v1/users/me"); // 2
    await h.call("DELETE", `/api/v2/persons/${person.id}`); // 3
    await h.call("GET", "/api/v2/persons", undefined, { auth: null }); // 401: free
    expect(h.emulator.requests.map((r) => r.cost)).toEqual([5, 1, 10, 20, 5, 10, 2, 3, 0]);
    expect(h.emulator.tokensUsed()).toBe(56);
  });
});
