import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { costOf, operationOf } from "../../../src/adapters/pipedrive/costs.js";
import { PIPEDRIVE_OPERATION_COSTS } from "../../../src/adapters/pipedrive/index.js";
import { PIPEDRIVE_TOKEN_COSTS } from "../../../src/testing/emulators/pipedrive/index.js";

/** `x-token-cost` per `"METHOD /path"` from an OpenAPI YAML file (paths at 2, methods at 4, the cost at 6 spaces). */
function specCosts(file: string, prefix: string): Map<string, number> {
  const costs = new Map<string, number>();
  let path: string | undefined;
  let method: string | undefined;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const pathMatch = /^ {2}['"]?(\/[^'":\s]*)['"]?:\s*$/.exec(line);
    if (pathMatch !== null) {
      path = pathMatch[1];
      method = undefined;
      continue;
    }
    const methodMatch = /^ {4}(get|post|put|patch|delete):\s*$/.exec(line);
    if (methodMatch !== null) {
      method = methodMatch[1]?.toUpperCase();
      continue;
    }
    const cost = /^ {6}x-token-cost:\s*(\d+)/.exec(line);
    if (cost !== null && path !== undefined && method !== undefined)
      costs.set(`${method} ${prefix}${path}`, Number(cost[1]));
  }
  return costs;
}

const specsDir = process.env["CRMKIT_VENDOR_SPECS"];
const pipedriveSpecs = specsDir === undefined ? undefined : join(specsDir, "pipedrive");
const haveSpecs = pipedriveSpecs !== undefined && existsSync(join(pipedriveSpecs, "openapi-v2.yaml"));

describe("Pipedrive adapter token costs", () => {
  it("agrees with the emulator's cost table on every operation the adapter calls", () => {
    for (const [operation, cost] of Object.entries(PIPEDRIVE_OPERATION_COSTS))
      expect({ operation, cost: PIPEDRIVE_TOKEN_COSTS[operation] }).toEqual({ operation, cost });
  });

  it.skipIf(!haveSpecs)(
    "matches the x-token-cost of every operation in the vendor specs (needs CRMKIT_VENDOR_SPECS)",
    () => {
      const dir = pipedriveSpecs as string;
      const spec = new Map([
        ...specCosts(join(dir, "openapi-v2.yaml"), "/api/v2"),
        ...specCosts(join(dir, "openapi-v1.yaml"), "/v1"),
      ]);
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
