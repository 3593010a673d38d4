import { CRM_OBJECT_TYPES, type CrmAdapter, DEFAULT_RECORD_ORDER } from "./crm-adapter.js";

const REQUIRED = [
  "find",
  "get",
  "findOpenDeals",
  "listOwners",
  "listPipelines",
  "describeFields",
  "create",
  "update",
  "associate",
  "createNote",
  "createTask",
] as const;

const BATCH = [
  ["read", "findMany"],
  ["create", "batchCreate"],
  ["update", "batchUpdate"],
  ["upsert", "batchUpsert"],
  ["associate", "batchAssociate"],
] as const;

function fail(provider: string, message: string): never {
  throw new TypeError(`[crmkit] adapter "${provider}": ${message}. See docs/writing-an-adapter.md`);
}

/**
 * Identity helper for adapter authors: gives full type inference for an adapter object and checks its shape at
 * runtime, throwing a `TypeError` that names the missing or inconsistent member.
 *
 * @example
 * export const acmeAdapter = defineAdapter({
 *   provider: "acme",
 *   capabilities: { objects: ["contact", "company", "note", "task"], upsertKeys: {}, batchSizes: {}, tickets: "none", searchLagMs: 0 },
 *   async find(query) { … },
 *   // …the rest of CrmAdapter
 * });
 */
export function defineAdapter<const T extends CrmAdapter>(adapter: T): T {
  if (typeof adapter !== "object" || adapter === null)
    throw new TypeError("[crmkit] defineAdapter: expected an object");
  const provider =
    typeof adapter.provider === "string" && adapter.provider !== "" ? adapter.provider : "(unnamed)";
  if (provider === "(unnamed)") fail(provider, '`provider` must be a non-empty string such as "acme"');
  const record = adapter as unknown as Record<string, unknown>;
  for (const name of REQUIRED) {
    if (typeof record[name] !== "function") fail(provider, `\`${name}\` must be a function`);
  }
  const caps = adapter.capabilities as Partial<CrmAdapter["capabilities"]> | undefined;
  if (typeof caps !== "object" || caps === null) fail(provider, "`capabilities` is missing");
  if (!Array.isArray(caps.objects) || caps.objects.length === 0) {
    fail(provider, "`capabilities.objects` must list the supported object types");
  }
  for (const type of caps.objects) {
    if (!CRM_OBJECT_TYPES.includes(type))
      fail(provider, `\`capabilities.objects\` has unknown type "${String(type)}"`);
  }
  if (typeof caps.upsertKeys !== "object" || caps.upsertKeys === null)
    fail(provider, "`capabilities.upsertKeys` is missing");
  if (typeof caps.batchSizes !== "object" || caps.batchSizes === null)
    fail(provider, "`capabilities.batchSizes` is missing");
  if (caps.tickets !== "native" && caps.tickets !== "activity" && caps.tickets !== "none") {
    fail(provider, '`capabilities.tickets` must be "native", "activity" or "none"');
  }
  if (typeof caps.searchLagMs !== "number" || caps.searchLagMs < 0) {
    fail(provider, "`capabilities.searchLagMs` must be a number ≥ 0");
  }
  if (caps.retriesTransientErrors !== undefined && typeof caps.retriesTransientErrors !== "boolean") {
    fail(provider, "`capabilities.retriesTransientErrors` must be a boolean when present");
  }
  if (caps.recordOrder !== undefined) checkRecordOrder(provider, caps.recordOrder);
  for (const [size, method] of BATCH) {
    const declared = caps.batchSizes[size];
    const present = typeof record[method] === "function";
    if (declared !== undefined && (!Number.isInteger(declared) || declared < 1)) {
      fail(provider, `\`capabilities.batchSizes.${size}\` must be a positive integer`);
    }
    if (declared !== undefined && !present)
      fail(provider, `declares batchSizes.${size} but has no \`${method}\``);
    if (declared === undefined && present)
      fail(provider, `has \`${method}\` but does not declare batchSizes.${size}`);
  }
  const hasUpsertKeys = Object.values(caps.upsertKeys).some((keys) => Array.isArray(keys) && keys.length > 0);
  if (hasUpsertKeys && typeof record["upsert"] !== "function") {
    fail(provider, "declares `capabilities.upsertKeys` but has no `upsert`");
  }
  if (!hasUpsertKeys && typeof record["upsert"] === "function") {
    fail(provider, "has `upsert` but `capabilities.upsertKeys` is empty");
  }
  return adapter;
}

function checkRecordOrder(provider: string, order: unknown): void {
  const fix = 'list each of "contact", "company", "deal", "ticket" at most once';
  if (!Array.isArray(order)) fail(provider, `\`capabilities.recordOrder\` must be an array: ${fix}`);
  const seen = new Set<unknown>();
  for (const type of order) {
    if (!DEFAULT_RECORD_ORDER.includes(type) || seen.has(type)) {
      fail(
        provider,
        `\`capabilities.recordOrder\` has ${seen.has(type) ? "duplicate" : "unknown"} type "${String(type)}": ${fix}`,
      );
    }
    seen.add(type);
  }
}
