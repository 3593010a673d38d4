import { readFileSync, writeFileSync } from "node:fs";

// Regenerates test/package/public-api.ts from the built package (`npm run build` first). Review the diff: every
// added or removed name is a change to the public API and needs docs and a CHANGELOG line.
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  name: string;
  exports: Record<string, unknown>;
};
const lines: string[] = [];
for (const subpath of Object.keys(pkg.exports).filter((key) => key !== "./package.json")) {
  const specifier = subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
  const names = Object.keys(await import(specifier)).sort();
  lines.push(
    `  ${JSON.stringify(specifier)}: [\n${names.map((n) => `    ${JSON.stringify(n)},`).join("\n")}\n  ],`,
  );
}
const header = `/**
 * The documented named exports of every \`package.json\` subpath (values only; types are checked by attw and the
 * typecheck of examples). test/package/exports.test.ts compares the built package against this list exactly, so
 * adding or removing a public symbol without updating the docs fails the suite. Regenerate with
 * \`npm run build && npx tsx scripts/public-api.ts\` and review the diff.
 */
export const PUBLIC_API: Record<string, readonly string[]> = {
`;
writeFileSync(
  new URL("../test/package/public-api.ts", import.meta.url),
  `${header}${lines.join("\n")}\n};\n`,
);
