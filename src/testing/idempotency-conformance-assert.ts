import assert from "node:assert/strict";
import type { AcquireOutcome, IdempotencyError, Lease } from "../idempotency/index.js";

/** The value of an `Ok`, or a failed assertion naming the `Err`. */
export function expectOk<T>(
  result: { isOk(): boolean; isErr(): boolean } & ({ value: T } | { error: IdempotencyError }),
): T {
  if (result.isErr()) {
    assert.fail(`expected Ok, got Err ${JSON.stringify((result as { error: IdempotencyError }).error)}`);
  }
  return (result as { value: T }).value;
}

/** The error of an `Err` of the given `type`, or a failed assertion. */
export function expectErr(
  result: { isErr(): boolean } & ({ value: unknown } | { error: IdempotencyError }),
  type: IdempotencyError["type"],
): IdempotencyError {
  assert.ok(
    result.isErr(),
    `expected Err ${type}, got Ok ${JSON.stringify((result as { value: unknown }).value)}`,
  );
  const error = (result as { error: IdempotencyError }).error;
  assert.equal(error.type, type, `expected ${type}, got ${JSON.stringify(error)}`);
  assert.equal(error.name, "IdempotencyError");
  return error;
}

/** The lease of an `acquired` outcome, or a failed assertion showing the outcome. */
export function acquiredLease(outcome: AcquireOutcome): Lease {
  assert.equal(outcome.kind, "acquired", `expected acquired, got ${JSON.stringify(outcome)}`);
  return (outcome as Extract<AcquireOutcome, { kind: "acquired" }>).lease;
}
