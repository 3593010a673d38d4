import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PIPEDRIVE_TOKEN_COSTS } from "../../../../src/testing/emulators/pipedrive/index.js";
import { type Harness, start } from "./helpers.js";

/** `x-token-cost` per `"METHOD /path"` from an OpenAPI YAML file, read line by line (paths at 2, methods at 4 spaces; path keys may be quoted). */
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

describe("Pipedrive token costs", () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it.skipIf(pipedriveSpecs === undefined || !existsSync(join(pipedriveSpecs, "openapi-v2.yaml")))(
    "matches the x-token-cost of every operation in the vendor specs (needs CRMKIT_VENDOR_SPECS)",
    () => {
      const dir = pipedriveSpecs as string;
      const spec = new Map([
        ...specCosts(join(dir, "openapi-v2.yaml"), "/api/v2"),
        ...specCosts(join(dir, "openapi-v1.yaml"), "/v1"),
      ]);
      for (const [operation, cost] of Object.entries(PIPEDRIVE_TOKEN_COSTS))
        expect({ operation, cost: spec.get(operation) }).toEqual({ operation, cost });
    },
  );

  if (specsDir === undefined)
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
