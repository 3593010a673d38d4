import assert from "node:assert/strict";
import type {
  CrmAdapter,
  CrmObjectType,
  CrmOwner,
  CrmPipeline,
  CrmRecord,
  CrmStage,
} from "../../adapter/index.js";
import { type CrmError, type CrmErrorReason, isCrmError } from "../../errors/index.js";
import { ADAPTER_CONFORMANCE_SEED } from "./seed.js";
import type {
  AdapterConformanceGroup,
  AdapterConformanceOptions,
  AdapterConformanceRunner,
  AdapterProbe,
} from "./types.js";

/** What each conformance test gets: a fresh backend and lookups that do not depend on backend-assigned ids. */
export interface Harness {
  readonly adapter: CrmAdapter;
  readonly probe: AdapterProbe;
  /** Resolves once everything written so far is visible to `find`. */
  settle(): Promise<void>;
  /** A seeded owner, by email, as the adapter lists it. */
  owner(email: string): Promise<CrmOwner>;
  /** A seeded deal pipeline, by label, as the adapter lists it. */
  pipeline(label: string): Promise<CrmPipeline>;
  /** A stage of `pipeline`, by label. */
  stage(pipeline: CrmPipeline, label: string): CrmStage;
  /** The seeded record whose `field` equals `value` (case-insensitively), read through the probe. */
  seeded(type: CrmObjectType, field: string, value: string): Promise<CrmRecord>;
}

/** Registers one test of a group; skipped groups register skipped tests (when the runner can skip). */
export type RegisterTest = (name: string, body: (h: Harness) => Promise<void>) => void;

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function withBackend(
  options: AdapterConformanceOptions,
  body: (h: Harness) => Promise<void>,
): Promise<void> {
  const backend = await options.create(ADAPTER_CONFORMANCE_SEED);
  const { adapter, probe } = backend;
  const harness: Harness = {
    adapter,
    probe,
    async settle() {
      if (backend.settleSearch !== undefined) await backend.settleSearch();
      else if (adapter.capabilities.searchLagMs > 0) await wait(adapter.capabilities.searchLagMs);
    },
    async owner(email) {
      const found = (await adapter.listOwners()).find((o) => o.email?.toLowerCase() === email);
      assert.ok(found, `listOwners() has no owner with email ${email}`);
      return found;
    },
    async pipeline(label) {
      const found = (await adapter.listPipelines("deal")).find((p) => p.label === label);
      assert.ok(found, `listPipelines("deal") has no pipeline labelled "${label}"`);
      return found;
    },
    stage(pipeline, label) {
      const found = pipeline.stages.find((s) => s.label === label);
      assert.ok(found, `pipeline "${pipeline.label}" has no stage labelled "${label}"`);
      return found;
    },
    async seeded(type, field, value) {
      const records = await probe.list(type);
      const found = records.find(
        (r) => String(r.properties[field] ?? "").toLowerCase() === value.toLowerCase(),
      );
      assert.ok(found, `the backend holds no seeded ${type} with ${field} ${value}`);
      return found;
    },
  };
  try {
    await body(harness);
  } finally {
    await backend.cleanup?.();
  }
}

/** Opens a `describe` block for a group and hands back its test registrar. */
export function group(
  api: AdapterConformanceRunner,
  options: AdapterConformanceOptions,
  name: AdapterConformanceGroup,
  title: string,
  register: (test: RegisterTest) => void,
): void {
  const reason = options.skip?.[name];
  api.describe(title, () => {
    register((testName, body) => {
      if (reason === undefined) api.it(testName, () => withBackend(options, body));
      else api.it.skip?.(`${testName} (skipped: ${reason})`, async () => {});
    });
  });
}

/** Asserts that `promise` rejects with a `CrmError` of `reason` (any reason when omitted) from `adapter`. */
export async function rejectsWith(
  promise: Promise<unknown>,
  adapter: CrmAdapter,
  reason?: CrmErrorReason,
): Promise<CrmError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught !== undefined,
    `expected a CrmError${reason === undefined ? "" : ` (${reason})`}, but the call succeeded`,
  );
  return assertCrmError(caught, adapter, reason);
}

/** Asserts that `error` is a `CrmError` of `reason` (any reason when omitted) carrying the adapter's provider. */
export function assertCrmError(error: unknown, adapter: CrmAdapter, reason?: CrmErrorReason): CrmError {
  assert.ok(isCrmError(error), `expected a CrmError, got ${String(error)}`);
  if (reason !== undefined) assert.equal(error.reason, reason);
  assert.equal(error.provider, adapter.provider, "CrmError.provider must be the adapter's provider");
  return error;
}

/** Ids of the records `ref` is associated with, of one type, through the probe. */
export async function linkedIds(
  probe: AdapterProbe,
  ref: { type: CrmObjectType; id: string },
  type: CrmObjectType,
) {
  return (await probe.associations(ref)).filter((r) => r.type === type).map((r) => r.id);
}
