import type { CrmObjectType, CrmRecord, RecordRef } from "../../../src/adapter/index.js";
import { HUBSPOT_OBJECT_TYPES } from "../../../src/adapters/hubspot/associations.js";
import { createHubSpotAdapter, type HubSpotAdapterOptions } from "../../../src/adapters/hubspot/index.js";
import { createPropertyMap, fromHubSpotProperties } from "../../../src/adapters/hubspot/mapping.js";
import type {
  AdapterConformanceBackend,
  AdapterConformanceSeed,
} from "../../../src/testing/adapter-conformance/index.js";
import type { RecordedRequest } from "../../../src/testing/emulators/common/request-log.js";
import {
  createHubSpotEmulator,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
  type HubSpotObjectType,
  type HubSpotPipelineSeed,
} from "../../../src/testing/emulators/hubspot/index.js";
import { createFakeClock } from "../../../src/testing/fake-clock.js";

// Turns the conformance suite's canonical seed into emulator state and implements the suite's probe over the
// emulator's inspection API (never through the adapter under test).

const TYPES = Object.keys(HUBSPOT_OBJECT_TYPES) as CrmObjectType[];
const FIELD_OVERRIDES: Partial<Record<CrmObjectType, Record<string, string>>> = {
  contact: { lead_source: "lead_source" },
  ticket: { external_ref: "crmkit_external_ref" },
};
const mapOf = (type: CrmObjectType) => createPropertyMap(type, FIELD_OVERRIDES[type] ?? {});

/** The emulator search lag the conformance backend uses; `settleSearch` advances the emulator clock past it. */
export const SEARCH_LAG_MS = 2_000;

/** Emulator options equivalent to the conformance seed. */
export function emulatorOptionsFor(seed: AdapterConformanceSeed): HubSpotEmulatorOptions {
  const ownerIds = new Map(seed.owners.map((owner, i) => [owner.id, String(101 + i)]));
  const pipelines = (objectType: "deal" | "ticket"): HubSpotPipelineSeed[] =>
    seed.pipelines
      .filter((p) => p.objectType === objectType)
      .map((p) => ({
        id: p.id,
        label: p.label,
        stages: p.stages.map((s) => ({
          id: s.id,
          label: s.label,
          displayOrder: s.order,
          metadata:
            objectType === "deal"
              ? {
                  isClosed: String(s.closed),
                  probability: s.won ? "1.0" : s.closed ? "0.0" : String(s.probability ?? 0.5),
                }
              : { ticketState: s.closed ? "CLOSED" : "OPEN" },
        })),
      }));
  const recordIds = new Map(seed.records.map((r, i) => [r.id, String(501 + i)]));
  const records: Partial<Record<HubSpotObjectType, { id: string; properties: Record<string, string> }[]>> =
    {};
  for (const record of seed.records) {
    const map = mapOf(record.type);
    const properties: Record<string, string> = {};
    for (const [key, value] of Object.entries(record.properties))
      properties[map.toHubSpot.get(key) ?? key] = String(value);
    const list = records[HUBSPOT_OBJECT_TYPES[record.type]] ?? [];
    records[HUBSPOT_OBJECT_TYPES[record.type]] = list;
    list.push({ id: recordIds.get(record.id) as string, properties });
  }
  const leadSource = seed.fields.contact?.find((f) => f.key === "lead_source");
  return {
    tier: "professional",
    searchLagMs: SEARCH_LAG_MS,
    owners: seed.owners.map((owner) => {
      const [firstName = "", ...rest] = (owner.name ?? "").split(" ");
      return {
        id: ownerIds.get(owner.id) as string,
        email: owner.email ?? "",
        firstName,
        lastName: rest.join(" "),
        archived: !owner.active,
      };
    }),
    pipelines: { deals: pipelines("deal"), tickets: pipelines("ticket") },
    properties: {
      contacts: [
        {
          name: "lead_source",
          label: leadSource?.label ?? "Lead source",
          type: "enumeration",
          fieldType: "select",
          options: (leadSource?.options ?? []).map((o) => ({ label: o.label, value: o.value })),
        },
      ],
      // Multi-currency portals have it; the emulator's defaults do not.
      deals: [
        {
          name: "deal_currency_code",
          label: "Currency",
          type: "enumeration",
          options: ["EUR", "USD", "GBP"].map((c) => ({ label: c, value: c })),
        },
      ],
      tickets: [{ name: "crmkit_external_ref", label: "External reference", type: "string" }],
    },
    records,
    associations: seed.records.flatMap((record) =>
      (record.associations ?? []).map((to) => ({
        from: { type: HUBSPOT_OBJECT_TYPES[record.type], id: recordIds.get(record.id) as string },
        to: { type: HUBSPOT_OBJECT_TYPES[to.type], id: recordIds.get(to.id) as string },
      })),
    ),
  };
}

/** A record from the emulator's inspection API, in canonical keys. */
export function probeRecord(
  emulator: HubSpotEmulator,
  type: CrmObjectType,
  id: string,
): CrmRecord | undefined {
  const view = emulator.get(HUBSPOT_OBJECT_TYPES[type], id);
  if (view === undefined || view.archived) return undefined;
  return { type, id: view.id, properties: fromHubSpotProperties(mapOf(type), view.properties) };
}

/** Options for {@link createConformanceBackend}. */
export interface BackendOptions {
  /** Receives every request the emulator answered, when the backend is cleaned up. */
  readonly record?: ((requests: readonly RecordedRequest[]) => void) | undefined;
  /** Extra adapter options. */
  readonly adapter?: Partial<HubSpotAdapterOptions> | undefined;
  /** Extra emulator options. */
  readonly emulator?: Partial<HubSpotEmulatorOptions> | undefined;
}

/** A fresh emulator on 127.0.0.1 seeded from `seed`, the adapter over real HTTP, and the probe. */
export async function createConformanceBackend(
  seed: AdapterConformanceSeed,
  options: BackendOptions = {},
): Promise<AdapterConformanceBackend & { emulator: HubSpotEmulator }> {
  const emulatorClock = createFakeClock({ start: "2026-03-02T09:00:00.000Z" });
  const emulator = createHubSpotEmulator({
    ...emulatorOptionsFor(seed),
    ...options.emulator,
    clock: emulatorClock,
  });
  const url = await emulator.listen();
  const adapter = createHubSpotAdapter({
    accessToken: "pat-na1-conformance-token",
    baseUrl: url,
    limits: { tier: "professional" },
    accountId: "62515",
    fieldMap: { contact: { lead_source: "Lead source" } },
    ...options.adapter,
  });
  return {
    emulator,
    adapter,
    probe: {
      get: (type, id) => probeRecord(emulator, type, id),
      list: (type) =>
        emulator.list(HUBSPOT_OBJECT_TYPES[type]).map((view) => ({
          type,
          id: view.id,
          properties: fromHubSpotProperties(mapOf(type), view.properties),
        })),
      associations(ref) {
        const out: RecordRef[] = [];
        for (const type of TYPES) {
          for (const link of emulator.associations(
            HUBSPOT_OBJECT_TYPES[ref.type],
            ref.id,
            HUBSPOT_OBJECT_TYPES[type],
          ))
            out.push({ type, id: link.toId });
        }
        return out;
      },
    },
    settleSearch: () => emulatorClock.advance(SEARCH_LAG_MS + 1),
    async cleanup() {
      options.record?.(emulator.requests);
      await adapter.close();
      await emulator.close();
    },
  };
}
