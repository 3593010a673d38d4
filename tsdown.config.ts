import { defineConfig } from "tsdown";

/** One entry per public subpath; keep in sync with package.json "exports" (test/package/exports.test.ts checks it). */
export default defineConfig({
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
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
