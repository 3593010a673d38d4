import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem, type } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchRow, BenchSuite } from "./harness.js";

// Runs every bench/*.bench.ts (or only those whose file name contains one of the CLI arguments) and rewrites
// docs/benchmarks.md with the machine, the Node version and every figure beside its anchor and target.
const here = fileURLToPath(new URL(".", import.meta.url));
const RESULT = "CRMKIT_BENCH_RESULT ";
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

function format(value: number): string {
  if (value >= 1000) return Math.round(value).toLocaleString("en-US");
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

function verdict(row: BenchRow): string {
  if (row.target === undefined) return "";
  const met = (row.better ?? "higher") === "higher" ? row.value >= row.target : row.value <= row.target;
  return `${(row.better ?? "higher") === "higher" ? "≥" : "≤"} ${format(row.target)} ${met ? "✅" : "❌"}`;
}

// Each suite runs in a child process of its own: a suite that ran before would otherwise leave its heap and JIT
// state behind and skew the next one's figures (the planner measured a third slower after the executor's suite).
const child = process.env["CRMKIT_BENCH_FILE"];
if (child !== undefined) {
  const { suite } = (await import(pathToFileURL(join(here, child)).href)) as { suite: BenchSuite };
  const rows = await suite.run();
  process.stdout.write(
    `\n${RESULT}${JSON.stringify({ title: suite.title, description: suite.description, rows })}\n`,
  );
  process.exit(0);
}

function runIsolated(file: string): { title: string; description: string; rows: BenchRow[] } {
  const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, CRMKIT_BENCH_FILE: file },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 2 ** 20,
  });
  const line = output.split("\n").find((l) => l.startsWith(RESULT));
  if (line === undefined) throw new Error(`bench ${file} printed no result`);
  return JSON.parse(line.slice(RESULT.length)) as { title: string; description: string; rows: BenchRow[] };
}

const sections: string[] = [];
for (const file of files) {
  const suite = runIsolated(file);
  process.stdout.write(`▶ ${suite.title}\n`);
  const rows = suite.rows;
  const lines = [
    `## ${suite.title}`,
    "",
    suite.description,
    "",
    "| measurement | median | target | anchor (same run) | ratio to anchor | note |",
    "|---|---|---|---|---|---|",
  ];
  for (const row of rows) {
    const anchor = row.anchor ? `${row.anchor.name}: ${format(row.anchor.value)} ${row.unit}` : "";
    const ratio = row.anchor && row.anchor.value > 0 ? `${(row.value / row.anchor.value).toFixed(2)}×` : "";
    lines.push(
      `| ${row.name} | ${format(row.value)} ${row.unit} | ${verdict(row)} | ${anchor} | ${ratio} | ${row.note ?? ""} |`,
    );
    process.stdout.write(`  ${row.name}: ${format(row.value)} ${row.unit} ${verdict(row)}\n`);
  }
  sections.push(lines.join("\n"));
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
const header = [
  "# Benchmarks",
  "",
  "Written by `npm run bench` (do not edit by hand). Every figure is a median over several rounds; anchors are",
  "measured in the same run on the same machine, so the ratios are comparable even where absolute numbers are not.",
  "",
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${type()} ${process.arch}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  `- Node: ${process.version}`,
  "",
].join("\n");
if (filters.length === 0) {
  writeFileSync(join(here, "..", "docs", "benchmarks.md"), `${header}\n${sections.join("\n\n")}\n`);
  process.stdout.write("wrote docs/benchmarks.md\n");
} else {
  process.stdout.write("(filtered run: docs/benchmarks.md not rewritten)\n");
}
