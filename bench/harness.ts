import { performance } from "node:perf_hooks";

/** One measured figure, optionally beside its anchor measured in the same run and its target. */
export interface BenchRow {
  /** What was measured, e.g. `parseEvent (diagnostic lead)`. */
  name: string;
  /** The median figure. */
  value: number;
  /** Unit of `value`, e.g. `ops/s`, `ms`, `calls/event`. */
  unit: string;
  /** Whether larger (`ops/s`) or smaller (`ms`, calls) is better. @default "higher" */
  better?: "higher" | "lower";
  /** The target from DESIGN/the issue, checked and shown as met/missed. */
  target?: number;
  /** The anchor measured in the same run; the ratio value/anchor is printed. */
  anchor?: { name: string; value: number };
  /** A short note (sample size, configuration). */
  note?: string;
}

/** A group of rows written as one section of docs/benchmarks.md. Files named `bench/*.bench.ts` export `suite`. */
export interface BenchSuite {
  /** Section title. */
  title: string;
  /** Paragraph under the title: what is measured and how. */
  description: string;
  run(): Promise<BenchRow[]>;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Percentile (0–100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Median throughput of a synchronous or async operation: `rounds` rounds of `iterations` calls each after a
 * warm-up round; returns operations per second.
 */
export async function measureOps(
  fn: (i: number) => unknown,
  options: { iterations: number; rounds?: number; warmup?: number },
): Promise<number> {
  const rounds = options.rounds ?? 7;
  const warmup = options.warmup ?? Math.min(options.iterations, 10_000);
  for (let i = 0; i < warmup; i++) await fn(i);
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < options.iterations; i++) {
      const out = fn(i);
      if (out instanceof Promise) await out;
    }
    const elapsed = performance.now() - start;
    results.push((options.iterations / elapsed) * 1000);
  }
  return median(results);
}

/** Median throughput of `concurrency` async workers sharing `total` operations; returns operations per second. */
export async function measureConcurrentOps(
  fn: (i: number) => Promise<unknown>,
  options: { total: number; concurrency: number; rounds?: number },
): Promise<number> {
  const rounds = options.rounds ?? 5;
  const results: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let i = next++; i < options.total; i = next++) await fn(r * options.total + i);
      }),
    );
    const elapsed = performance.now() - start;
    if (r > 0) results.push((options.total / elapsed) * 1000);
  }
  return median(results);
}
