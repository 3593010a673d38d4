import type { CrmObjectType } from "crmkit";
import { type AdapterConformanceSeed, runAdapterConformance } from "crmkit/testing";
import { describe, it } from "vitest";
import { type AcmeColumn, type AcmeTable, createAcmeMemoryClient } from "./acme-client.js";
import { ACME_TABLES, createAcmeCrmAdapter, fromAcme } from "./in-house-crm.js";

const TYPES_BY_TABLE = Object.fromEntries(
  Object.entries(ACME_TABLES).map(([type, table]) => [table, type]),
) as Record<AcmeTable, CrmObjectType>;

/** Builds an Acme account holding the conformance seed, and the adapter over it. */
async function acmeBackend(seed: AdapterConformanceSeed) {
  const customColumns: Partial<Record<AcmeTable, AcmeColumn[]>> = {};
  for (const [type, fields] of Object.entries(seed.fields) as [CrmObjectType, typeof seed.fields.contact][]) {
    customColumns[ACME_TABLES[type]] = (fields ?? []).map((field) => ({
      name: field.apiName,
      label: field.label,
      kind: field.type === "enum" ? "choice" : "text",
      choices: field.options?.map((o) => o.value),
    }));
  }
  const client = createAcmeMemoryClient({
    users: seed.owners.map((o) => ({
      id: o.id,
      email: o.email ?? "",
      displayName: o.name ?? o.id,
      disabled: !o.active,
    })),
    pipelines: seed.pipelines.map((p) => ({
      id: p.id,
      name: p.label,
      kind: p.objectType === "deal" ? "opportunities" : "tickets",
      stages: [...p.stages]
        .sort((a, b) => a.order - b.order)
        .map((s) => ({ id: s.id, name: s.label, outcome: s.won ? "won" : s.closed ? "lost" : "open" })),
    })),
    customColumns,
  });
  const adapter = createAcmeCrmAdapter({ client });

  // Seed records through the adapter itself: Acme assigns its own ids, so seed ids are translated for links.
  const ids = new Map<string, string>();
  for (const record of seed.records) {
    ids.set(record.id, (await adapter.create(record.type, { properties: record.properties })).id);
  }
  for (const record of seed.records) {
    for (const target of record.associations ?? []) {
      const from = { type: record.type, id: ids.get(record.id) ?? record.id };
      await adapter.associate(from, { type: target.type, id: ids.get(target.id) ?? target.id });
    }
  }

  const probe = {
    get: (type: CrmObjectType, id: string) => {
      const row = client.rows(ACME_TABLES[type]).find((r) => r.id === id);
      return row === undefined ? undefined : fromAcme(type, row);
    },
    list: (type: CrmObjectType) => client.rows(ACME_TABLES[type]).map((row) => fromAcme(type, row)),
    associations: async (ref: { type: CrmObjectType; id: string }) =>
      (await client.links({ table: ACME_TABLES[ref.type], id: ref.id })).map((r) => ({
        type: TYPES_BY_TABLE[r.table],
        id: r.id,
      })),
  };
  return { adapter, probe };
}

runAdapterConformance({ describe, it }, { name: "Acme CRM adapter conformance", create: acmeBackend });
