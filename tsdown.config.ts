import { defineConfig } from "tsdown";

/** One entry per public subpath; keep in sync with package.json "exports" (test/package/exports.test.ts checks it). */
export default defineConfig({
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "redis/index": "src/redis/index.ts",
    "postgres/index": "src/postgres/index.ts",
    "adapters/hubspot/index": "src/adapters/hubspot/index.ts",
    "adapters/pipedrive/index": "src/adapters/pipedrive/index.ts",
  },
  format: "esm",
  dts: true,
  platform: "node",
  target: "node20.19",
  outDir: "dist",
  clean: true,
  sourcemap: true,
  fixedExtension: false,
  hash: false,
});
