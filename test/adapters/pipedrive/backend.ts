import type { CrmObjectType, CrmRecord, RecordRef } from "../../../src/adapter/index.js";
import {
  createPipedriveAdapter,
  type PipedriveAdapterOptions,
  type PipedriveStatusStages,
} from "../../../src/adapters/pipedrive/index.js";
import {
  type PipedriveFieldDef,
  type PipedriveObjectType,
  type ReadShape,
  toCrmRecord,
} from "../../../src/adapters/pipedrive/mapping.js";
import type {
  AdapterConformanceBackend,
  AdapterConformanceSeed,
} from "../../../src/testing/adapter-conformance/index.js";
import type { RecordedRequest } from "../../../src/testing/emulators/common/request-log.js";
import {
  createPipedriveEmulator,
  type PipedriveEmulator,
  type PipedriveEmulatorOptions,
  type PipedriveEntityType,
  type PipedriveRecordSeed,
} from "../../../src/testing/emulators/pipedrive/index.js";
import { createFakeClock } from "../../../src/testing/fake-clock.js";

// Turns the conformance suite's canonical seed into Pipedrive emulator state and implements the suite's probe over
// the emulator's inspection API (never through the adapter under test). Pipedrive specifics the translation makes:
// won and lost are deal statuses, not stages, so only the seed's open stages become Pipedrive stages and the
// closed ones become the adapter's `statusStages` labels; enum options have only a label, which is the value
// crmkit writes and reads, so the seed's option values become the Pipedrive labels.

/** crmkit object type → emulator record type. */
export const ENTITY: Readonly<Record<PipedriveObjectType, PipedriveEntityType>> = {
  contact: "persons",
  company: "organizations",
  deal: "deals",
  task: "activities",
  note: "notes",
};
const TYPES = Object.keys(ENTITY) as PipedriveObjectType[];

/** The emulator search lag the conformance backend uses; `settleSearch` advances the emulator clock past it. */
export const SEARCH_LAG_MS = 2_000;

/** The adapter's `statusStages` equivalent to the seed's closed stages. */
export function statusStagesFor(seed: AdapterConformanceSeed): PipedriveStatusStages {
  const pipelines: Record<string, { won?: string; lost?: string }> = {};
  for (const p of seed.pipelines.filter((p) => p.objectType === "deal")) {
    const won = p.stages.find((s) => s.won)?.label;
    const lost = p.stages.find((s) => s.closed && !s.won)?.label;
    pipelines[p.label] = { ...(won === undefined ? {} : { won }), ...(lost === undefined ? {} : { lost }) };
  }
  return { pipelines };
}

/** Emulator options equivalent to the conformance seed. */
export function emulatorOptionsFor(seed: AdapterConformanceSeed): PipedriveEmulatorOptions {
  let stageId = 1;
  const leadSource = seed.fields.contact?.find((f) => f.key === "lead_source");
  const records: Partial<Record<PipedriveEntityType, PipedriveRecordSeed[]>> = {};
  const ids = new Map(seed.records.map((r, i) => [r.id, 501 + i]));
  for (const record of seed.records) {
    const p = record.properties;
    const link = (type: CrmObjectType) => {
      const target = record.associations?.find((a) => a.type === type);
      return target === undefined ? null : (ids.get(target.id) ?? null);
    };
    const fields: Record<string, unknown> =
      record.type === "company"
        ? { name: p["name"], website: `https://${String(p["domain"])}` }
        : {
            name: [p["first_name"], p["last_name"]].filter(Boolean).join(" "),
            first_name: p["first_name"] ?? null,
            last_name: p["last_name"] ?? null,
            emails: [{ value: p["email"], primary: true, label: "work" }],
            org_id: link("company"),
          };
    const type = ENTITY[record.type as PipedriveObjectType];
    records[type] = [...(records[type] ?? []), { id: ids.get(record.id) as number, fields }];
  }
  return {
    plan: "growth",
    // The emulator's clock stands still between `settleSearch` calls, so its windows never slide: lift them.
    limits: { burst: 10_000, search: 10_000 },
    searchLagMs: SEARCH_LAG_MS,
    users: seed.owners.map((owner, i) => ({
      id: 101 + i,
      name: owner.name ?? owner.email ?? `User ${i}`,
      email: owner.email ?? `user${i}@conformance.example`,
      activeFlag: owner.active,
    })),
    pipelines: seed.pipelines
      .filter((p) => p.objectType === "deal")
      .map((p, i) => ({
        id: 11 + i,
        name: p.label,
        stages: p.stages
          .filter((s) => !s.closed)
          .map((s) => ({
            id: stageId++,
            name: s.label,
            dealProbability: Math.round((s.probability ?? 0.5) * 100),
          })),
      })),
    customFields: {
      person: [
        {
          name: leadSource?.label ?? "Lead source",
          type: "enum",
          options: (leadSource?.options ?? []).map((o) => ({ label: o.value })),
        },
      ],
    },
    records,
  };
}

/** The read shape of `type` from the emulator's own field definitions (what the adapter resolves over HTTP). */
function shapeOf(emulator: PipedriveEmulator, type: PipedriveObjectType): ReadShape {
  if (type !== "contact") return { custom: new Map() };
  const field = emulator.state.fields.person.find((f) => f.name === "Lead source");
  const custom = new Map<string, PipedriveFieldDef>();
  if (field !== undefined)
    custom.set("lead_source", {
      field_code: field.key,
      field_name: field.name,
      field_type: field.type,
      options: field.options.map((o) => ({ id: Number(o.id), label: o.label })),
      is_custom_field: true,
    });
  return { custom };
}

/** A record from the emulator's inspection API, in canonical keys; `undefined` when missing or deleted. */
export function probeRecord(
  emulator: PipedriveEmulator,
  type: PipedriveObjectType,
  id: string,
): CrmRecord | undefined {
  const json = emulator.get(ENTITY[type], Number(id));
  if (json === undefined || json["is_deleted"] === true || json["active_flag"] === false) return undefined;
  return toCrmRecord(type, json, shapeOf(emulator, type));
}

// Pipedrive associations are foreign keys: a record's links are its own keys plus the records pointing at it.
function associationsOf(emulator: PipedriveEmulator, ref: RecordRef): RecordRef[] {
  const out: RecordRef[] = [];
  const own = probeRecord(emulator, ref.type as PipedriveObjectType, ref.id);
  for (const [type, linked] of Object.entries(own?.associations ?? {}))
    for (const id of linked ?? []) out.push({ type: type as CrmObjectType, id });
  for (const type of TYPES) {
    for (const json of emulator.list(ENTITY[type])) {
      const other = toCrmRecord(type, json, { custom: new Map() });
      if (
        (other.associations?.[ref.type] ?? []).includes(ref.id) &&
        !out.some((r) => r.type === type && r.id === other.id)
      )
        out.push({ type, id: other.id });
    }
  }
  return out;
}

/** Options for {@link createConformanceBackend}. */
export interface BackendOptions {
  /** Receives every request the emulator answered, when the backend is cleaned up. */
  readonly record?: ((requests: readonly RecordedRequest[]) => void) | undefined;
  /** Extra adapter options. */
  readonly adapter?: Partial<PipedriveAdapterOptions> | undefined;
}

/** A fresh emulator on 127.0.0.1 seeded from `seed`, the adapter over real HTTP, and the probe. */
export async function createConformanceBackend(
  seed: AdapterConformanceSeed,
  options: BackendOptions = {},
): Promise<AdapterConformanceBackend & { emulator: PipedriveEmulator }> {
  const emulatorClock = createFakeClock({ start: "2026-03-02T09:00:00.000Z" });
  const emulator = createPipedriveEmulator({ ...emulatorOptionsFor(seed), clock: emulatorClock });
  const url = await emulator.listen();
  const adapter = createPipedriveAdapter({
    apiToken: "pipedrive-conformance-token",
    apiDomain: url,
    limits: { plan: "growth" },
    fieldMap: { contact: { lead_source: "Lead source" } },
    statusStages: statusStagesFor(seed),
    ...options.adapter,
  });
  return {
    emulator,
    adapter,
    probe: {
      get: (type, id) => probeRecord(emulator, type as PipedriveObjectType, id),
      list: (type) =>
        type === "ticket"
          ? []
          : emulator
              .list(ENTITY[type as PipedriveObjectType])
              .map((json) =>
                toCrmRecord(
                  type as PipedriveObjectType,
                  json,
                  shapeOf(emulator, type as PipedriveObjectType),
                ),
              ),
      associations: (ref) => associationsOf(emulator, ref),
    },
    settleSearch: () => emulatorClock.advance(SEARCH_LAG_MS + 1),
    async cleanup() {
      options.record?.(emulator.requests);
      await adapter.close();
      await emulator.close();
    },
  };
}
