import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { IdempotencyStore } from "../../src/idempotency/index.js";

/** The "CRM" of the crash tests: records keyed by external id (upsert), plus a count of writes sent. */
export interface CrmProbe {
  upsert(externalId: string): Promise<void>;
  records(): Promise<number>;
  writes(): Promise<number>;
}

const holder = fileURLToPath(new URL("./fixtures/holder.ts", import.meta.url));

/** Spawns the holder, waits for `ready`, kills it with SIGKILL and waits for the exit. */
async function crashHolder(config: Record<string, unknown>): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", holder, JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready")) resolve();
      if (output.includes("not-acquired")) reject(new Error(output));
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`holder exited early (${code}): ${output}`)));
  });
  child.kill("SIGKILL");
  await exited;
}

/**
 * Research §7 items 4 and 5: a worker crashes holding the lease, before or after its CRM write; another worker
 * takes over once the lease ends (polling the store, no fixed sleeps), sees the checkpoint, re-sends the upsert,
 * and the CRM ends with exactly one record.
 */
export async function runCrashScenario(options: {
  phase: "before" | "after";
  store: IdempotencyStore;
  crm: CrmProbe;
  holderConfig: Record<string, unknown>;
  scope: string;
  key: string;
  leaseMs: number;
}): Promise<void> {
  const externalId = `ext-${options.key}`;
  await crashHolder({
    ...options.holderConfig,
    scope: options.scope,
    key: options.key,
    leaseMs: options.leaseMs,
    phase: options.phase,
    externalId,
  });
  expect(await options.crm.records()).toBe(options.phase === "after" ? 1 : 0);
  const request = {
    scope: options.scope,
    key: options.key,
    fingerprint: "crash-fp",
    leaseMs: 5_000,
    ttlMs: 60_000,
  };
  // The dead worker's record is still there: in progress, attempt 1, with its checkpoint.
  const held = (await options.store.get(options.scope, options.key))._unsafeUnwrap();
  expect(held?.state).toBe("in_progress");
  expect(held?.attempt).toBe(1);
  expect(held?.checkpoint?.step).toBe(options.phase === "after" ? "crm_written" : "started");
  const deadline = Date.now() + 30_000;
  let outcome = (await options.store.acquire(request))._unsafeUnwrap();
  while (outcome.kind === "in_progress" && Date.now() < deadline) {
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(outcome.kind === "in_progress" ? outcome.retryAfterMs + 5 : 50, 200)),
    );
    outcome = (await options.store.acquire(request))._unsafeUnwrap();
  }
  expect(outcome.kind).toBe("acquired");
  if (outcome.kind !== "acquired") return;
  expect(outcome.takeover).toBe(true);
  expect(outcome.lease.attempt).toBe(2);
  expect(outcome.checkpoint?.step).toBe(options.phase === "after" ? "crm_written" : "started");
  // The take-over re-sends the write with the same external id; the CRM's upsert absorbs the repeat.
  await options.crm.upsert(externalId);
  (await options.store.complete(outcome.lease, { externalId }))._unsafeUnwrap();
  expect(await options.crm.records()).toBe(1);
  expect(await options.crm.writes()).toBe(options.phase === "after" ? 2 : 1);
  const replay = (await options.store.acquire(request))._unsafeUnwrap();
  expect(replay.kind).toBe("completed");
}
