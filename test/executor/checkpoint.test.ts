import { describe, expect, it } from "vitest";
import { createSync } from "../../src/executor/index.js";
import {
  type Checkpoint,
  createMemoryIdempotencyStore,
  type IdempotencyStore,
} from "../../src/idempotency/index.js";
import { createFakeCrm } from "../../src/testing/fake-crm/index.js";
import { rawLead } from "./helpers.js";

function recordingStore(): { store: IdempotencyStore; checkpoints: Checkpoint[] } {
  const inner = createMemoryIdempotencyStore();
  const checkpoints: Checkpoint[] = [];
  const store: IdempotencyStore = {
    ...inner,
    checkpoint: (lease, checkpoint) => {
      // The executor keeps mutating its progress object; the store serializes at once, so the test copies.
      checkpoints.push(structuredClone(checkpoint));
      return inner.checkpoint(lease, checkpoint);
    },
  };
  return { store, checkpoints };
}

describe("run checkpoints", () => {
  it("carry the plan as the same JSON text in every checkpoint, beside the progress so far", async () => {
    const { store, checkpoints } = recordingStore();
    const sync = createSync({ adapter: createFakeCrm().adapter, idempotency: store });
    const outcome = (await sync.run(rawLead(1)))._unsafeUnwrap();
    const creates = outcome.plan.steps.filter(
      (step) => step.action === "create" && step.kind !== "association",
    ).length;
    // One after planning, one after each create that is not an association.
    expect(checkpoints).toHaveLength(1 + creates);
    const texts = new Set(
      checkpoints.map((checkpoint) => (checkpoint.data as { planJson: string }).planJson),
    );
    expect(texts.size).toBe(1);
    expect(JSON.parse([...texts][0]!)).toEqual(outcome.plan);
    const done = checkpoints.map(
      (checkpoint) => (checkpoint.data as { progress: { done: string[] } }).progress.done,
    );
    expect(done[0]).toEqual([]);
    expect(done.at(-1)).toContain("contact");
  });
});
