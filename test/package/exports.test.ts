import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { inCI } from "../helpers/free-port.js";
import { PUBLIC_API } from "./public-api.js";

// These tests load the *built* package the way a user does: a separate Node process importing `crmkit/...` by
// its package name (self-reference through the "exports" map), so nothing here goes through vite or src/.
const root = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as {
  name: string;
  exports: Record<string, string | { types: string; default: string }>;
};
const built = existsSync(`${root}/dist/index.js`);
if (!built && inCI) throw new Error("dist/ is missing: `npm test` builds before running vitest");
if (!built)
  console.warn("[crmkit tests] dist/ not built: package export tests are skipped (run `npm run build`)");

const subpaths = Object.keys(pkg.exports).filter((key) => key !== "./package.json");

function exportNames(specifier: string, mode: "import" | "require"): string[] {
  const script =
    mode === "import"
      ? `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`
      : `const m = require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== "__esModule" && k !== "module.exports").sort()));`;
  const args = mode === "import" ? ["--input-type=module", "-e", script] : ["-e", script];
  const out = execFileSync(process.execPath, ["--no-warnings", ...args], { cwd: root, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1) ?? "[]") as string[];
}

describe.skipIf(!built)("built package", () => {
  it("documents every exports subpath and nothing else", () => {
    expect(subpaths.map((s) => (s === "." ? pkg.name : `${pkg.name}/${s.slice(2)}`)).sort()).toEqual(
      Object.keys(PUBLIC_API).sort(),
    );
  });

  it.each(subpaths)("subpath %s has its types and JavaScript files on disk", (subpath) => {
    const target = pkg.exports[subpath];
    expect(typeof target).toBe("object");
    const { types, default: js } = target as { types: string; default: string };
    expect(existsSync(`${root}/${types}`)).toBe(true);
    expect(existsSync(`${root}/${js}`)).toBe(true);
  });

  it.each(Object.entries(PUBLIC_API))(
    "import(%s) has exactly the documented named exports",
    (specifier, names) => {
      expect(exportNames(specifier, "import")).toEqual([...names].sort());
    },
  );

  it("can be require()d from CommonJS on Node ≥ 20.19", () => {
    expect(exportNames(pkg.name, "require")).toEqual([...(PUBLIC_API[pkg.name] ?? [])].sort());
  });
});
