import { describe, expect, it } from "vitest";
import { costOf, operationOf } from "../../../src/adapters/pipedrive/costs.js";
import { PIPEDRIVE_OPERATION_COSTS } from "../../../src/adapters/pipedrive/index.js";
import { PIPEDRIVE_TOKEN_COSTS } from "../../../src/testing/emulators/pipedrive/index.js";
import { PIPEDRIVE_SPECS, pipedriveSpecCosts } from "../../helpers/pipedrive-spec-costs.js";

describe("Pipedrive adapter token costs", () => {
  it("agrees with the emulator's cost table on every operation the adapter calls", () => {
    for (const [operation, cost] of Object.entries(PIPEDRIVE_OPERATION_COSTS))
      expect({ operation, cost: PIPEDRIVE_TOKEN_COSTS[operation] }).toEqual({ operation, cost });
  });

  it.skipIf(PIPEDRIVE_SPECS === undefined)(
    "matches the x-token-cost of every operation in the vendor specs (needs CRMKIT_VENDOR_SPECS)",
    () => {
      const spec = pipedriveSpecCosts(PIPEDRIVE_SPECS as string);
      for (const [operation, cost] of Object.entries(PIPEDRIVE_OPERATION_COSTS))
        expect({ operation, cost: spec.get(operation) }).toEqual({ operation, cost });
    },
  );

  it("prices a request path by its operation, numeric ids becoming {id}", () => {
    expect(operationOf("get", "api/v2/persons/123")).toBe("GET /api/v2/persons/{id}");
    expect(costOf("GET", "api/v2/persons/search")).toBe(20);
    expect(costOf("PATCH", "api/v2/deals/9")).toBe(5);
    expect(costOf("POST", "v1/notes")).toBe(10);
  });

  it("refuses to send an operation nobody priced", () => {
    expect(() => costOf("DELETE", "api/v2/persons/1")).toThrow("cannot price DELETE /api/v2/persons/{id}");
  });
});
