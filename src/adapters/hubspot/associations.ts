import type { CrmObjectType } from "../../adapter/index.js";
import { CrmError } from "../../errors/index.js";

/** HubSpot's object type names in API paths, keyed by crmkit object type. */
export const HUBSPOT_OBJECT_TYPES = {
  contact: "contacts",
  company: "companies",
  deal: "deals",
  ticket: "tickets",
  note: "notes",
  task: "tasks",
} as const satisfies Record<CrmObjectType, string>;

/** A HubSpot object type name as used in API paths (`contacts`, `companies`, …). */
export type HubSpotObjectTypeName = (typeof HUBSPOT_OBJECT_TYPES)[CrmObjectType];

/**
 * HubSpot-defined association type ids (`associationCategory: "HUBSPOT_DEFINED"`), one per direction: the key is
 * `from→to` in crmkit object types, `default` is the unlabeled type and `primary` the "Primary" label where
 * HubSpot has one (a contact's or deal's primary company). Source: HubSpot's associate-records guide.
 *
 * @example
 * HUBSPOT_ASSOCIATION_TYPES["contact→company"].default // 279
 * HUBSPOT_ASSOCIATION_TYPES["deal→company"].primary   // 5
 */
export const HUBSPOT_ASSOCIATION_TYPES = {
  "contact→company": { default: 279, primary: 1 },
  "company→contact": { default: 280, primary: 2 },
  "contact→deal": { default: 4 },
  "deal→contact": { default: 3 },
  "contact→ticket": { default: 15 },
  "ticket→contact": { default: 16 },
  "contact→note": { default: 201 },
  "note→contact": { default: 202 },
  "contact→task": { default: 203 },
  "task→contact": { default: 204 },
  "company→deal": { default: 342, primary: 6 },
  "deal→company": { default: 341, primary: 5 },
  "company→ticket": { default: 340, primary: 25 },
  "ticket→company": { default: 339, primary: 26 },
  "company→note": { default: 189 },
  "note→company": { default: 190 },
  "company→task": { default: 191 },
  "task→company": { default: 192 },
  "deal→ticket": { default: 27 },
  "ticket→deal": { default: 28 },
  "deal→note": { default: 213 },
  "note→deal": { default: 214 },
  "deal→task": { default: 215 },
  "task→deal": { default: 216 },
  "ticket→note": { default: 227 },
  "note→ticket": { default: 228 },
  "ticket→task": { default: 229 },
  "task→ticket": { default: 230 },
} as const satisfies Record<string, { readonly default: number; readonly primary?: number }>;

/** The association type table's shape, for overriding entries with `associationTypes`. */
export type HubSpotAssociationTypeTable = Readonly<
  Record<string, { readonly default: number; readonly primary?: number | undefined }>
>;

/** One association spec as HubSpot's v3 create and v4 APIs take it. */
export interface HubSpotAssociationSpec {
  readonly associationCategory: "HUBSPOT_DEFINED" | "USER_DEFINED";
  readonly associationTypeId: number;
}

/**
 * The association type id for `from` → `to` with an optional label (`"primary"`, or a user label configured in
 * `table`). Throws `association_type_error` (action `review`) for a pair HubSpot cannot associate.
 */
export function associationSpec(
  table: HubSpotAssociationTypeTable,
  from: CrmObjectType,
  to: CrmObjectType,
  label: string | undefined,
): HubSpotAssociationSpec {
  const entry = table[`${from}→${to}`];
  if (entry === undefined) {
    throw new CrmError({
      reason: "association_type_error",
      provider: "hubspot",
      message: `HubSpot has no association type from ${from} to ${to}`,
    });
  }
  if (label === undefined || label === "" || label.toLowerCase() === "default") {
    return { associationCategory: "HUBSPOT_DEFINED", associationTypeId: entry.default };
  }
  const labeled = (entry as Record<string, number | undefined>)[label.toLowerCase()];
  if (labeled === undefined) {
    // An unknown label falls back to the plain association: the SPI lets adapters ignore labels they lack.
    return { associationCategory: "HUBSPOT_DEFINED", associationTypeId: entry.default };
  }
  return {
    associationCategory: label.toLowerCase() === "primary" ? "HUBSPOT_DEFINED" : "USER_DEFINED",
    associationTypeId: labeled,
  };
}
