import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

// Pipedrive's OpenAPI files carry each operation's token cost as `x-token-cost`; the adapter's and the emulator's
// cost tables are both checked against them. The specs come from CRMKIT_VENDOR_SPECS and are never copied here.

/** The Pipedrive specs folder under CRMKIT_VENDOR_SPECS, when it is set and holds `openapi-v2.yaml`. */
export const PIPEDRIVE_SPECS: string | undefined = (() => {
  const root = process.env["CRMKIT_VENDOR_SPECS"];
  const dir = root === undefined ? undefined : join(root, "pipedrive");
  return dir !== undefined && existsSync(join(dir, "openapi-v2.yaml")) ? dir : undefined;
})();

/** `x-token-cost` per `"METHOD /path"` from an OpenAPI YAML file (paths at 2, methods at 4, the cost at 6 spaces). */
export function specCosts(file: string, prefix: string): Map<string, number> {
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

/** Every operation's cost in Pipedrive's v2 and v1 specs under `dir`, keyed `"METHOD /api/v2/…"` / `"METHOD /v1/…"`. */
export function pipedriveSpecCosts(dir: string): Map<string, number> {
  return new Map([
    ...specCosts(join(dir, "openapi-v2.yaml"), "/api/v2"),
    ...specCosts(join(dir, "openapi-v1.yaml"), "/v1"),
  ]);
}
