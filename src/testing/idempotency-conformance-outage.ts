import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { acquiredLease, expectErr, expectOk } from "./idempotency-conformance-assert.js";
import { type IdempotencySuite, realSleep } from "./idempotency-conformance-harness.js";

/** With the suite's `outage` option: the store fails closed while its backend is down. */
export function registerIdempotencyOutageTests(suite: IdempotencySuite): void {
  const { it, options, timeout, request } = suite;
  const outage = options.outage;
  if (outage !== undefined) {
    it(
      "fails closed with StoreUnavailable while the backend is down and recovers after restart",
      async () => {
        const store = await options.create();
        const scope = `conformance:${randomUUID()}`;
        const lease = acquiredLease(expectOk(await store.acquire(request(scope, "before"))));
        await outage.stop();
        let executions = 0;
        try {
          const outcome = await store.acquire(request(scope, "during"));
          if (outcome.isOk() && outcome.value.kind === "acquired") executions++;
          expectErr(outcome, "StoreUnavailable");
          expectErr(await store.complete(lease, "x"), "StoreUnavailable");
          expectErr(await store.get(scope, "before"), "StoreUnavailable");
          const error = expectErr(await store.renew(lease), "StoreUnavailable");
          assert.ok(error.type === "StoreUnavailable" && !JSON.stringify(error).includes("password"));
        } finally {
          await outage.start();
        }
        assert.equal(executions, 0);
        await store.close();
        const recovered = await options.create();
        try {
          const deadline = Date.now() + 20_000;
          let outcome = await recovered.acquire(request(scope, "after"));
          while (outcome.isErr() && outcome.error.type === "StoreUnavailable" && Date.now() < deadline) {
            await realSleep(100);
            outcome = await recovered.acquire(request(scope, "after"));
          }
          acquiredLease(expectOk(outcome));
        } finally {
          await recovered.close();
        }
      },
      Math.max(timeout, 90_000),
    );
  }
}
