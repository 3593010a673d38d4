import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

// Examples import crmkit by its package name; inside this repository that name points at the sources, so the
// examples' tests run against the code under test rather than a stale build. (test/package/ checks the build.)
const SUBPATHS: Record<string, string> = {
  crmkit: "index.ts",
  "crmkit/testing": "testing/index.ts",
  "crmkit/redis": "redis/index.ts",
  "crmkit/postgres": "postgres/index.ts",
  "crmkit/hubspot": "adapters/hubspot/index.ts",
  "crmkit/pipedrive": "adapters/pipedrive/index.ts",
  "crmkit/salesforce": "adapters/salesforce/index.ts",
  "crmkit/zoho": "adapters/zoho/index.ts",
};

export default defineConfig({
  resolve: {
    alias: Object.entries(SUBPATHS).map(([name, path]) => ({
      find: new RegExp(`^${name.replace("/", "\\/")}$`),
      replacement: src(path),
    })),
  },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./scripts/summary-reporter.ts"],
  },
});
