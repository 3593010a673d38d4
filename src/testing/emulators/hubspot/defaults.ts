import type { HubSpotObjectType, HubSpotPipelineSeed } from "./types.js";

export { DEFAULT_PROPERTIES, DEFAULT_READ_PROPERTIES, REQUIRED_ON_CREATE } from "./default-properties.js";

/** Every object type the emulator serves. */
export const OBJECT_TYPES: readonly HubSpotObjectType[] = [
  "contacts",
  "companies",
  "deals",
  "notes",
  "tasks",
  "tickets",
];

/** HubSpot object type ids (`0-1` contacts, …), used in v4 association responses. */
export const OBJECT_TYPE_IDS: Record<HubSpotObjectType, string> = {
  contacts: "0-1",
  companies: "0-2",
  deals: "0-3",
  tickets: "0-5",
  tasks: "0-27",
  notes: "0-46",
};

/** Singular names, used in association type names and in the `associations.{type}` search pseudo-property. */
export const SINGULAR: Record<HubSpotObjectType, string> = {
  contacts: "contact",
  companies: "company",
  deals: "deal",
  notes: "note",
  tasks: "task",
  tickets: "ticket",
};

/** Resolves `contact`, `contacts`, `0-1` or `CONTACT` to an object type. */
export function parseObjectType(name: string): HubSpotObjectType | undefined {
  const lower = name.toLowerCase();
  for (const type of OBJECT_TYPES) {
    if (lower === type || lower === SINGULAR[type] || lower === OBJECT_TYPE_IDS[type]) return type;
  }
  return undefined;
}

/** Property holding the last-modified time: contacts use `lastmodifieddate`, every other type the `hs_` one. */
export const lastModifiedProperty = (type: HubSpotObjectType): string =>
  type === "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";

/** One HubSpot-defined association type. `inverse` is the id of the same link read from the other side. */
export interface AssociationTypeEntry {
  typeId: number;
  from: HubSpotObjectType;
  to: HubSpotObjectType;
  inverse: number;
  /** The unlabeled type used by `associations/default`. */
  isDefault: boolean;
  /** `"Primary"` for primary-company types, otherwise `null`. */
  label: string | null;
  /** The name v3 reads report as `type`. */
  name: string;
}

// [from, to, typeId, inverseTypeId, isDefault, label]. vendor-facts §1.3 lists contacts, companies, deals, notes
// and tasks; the ticket rows follow HubSpot's published type table as well.
const TYPE_ROWS: readonly [HubSpotObjectType, HubSpotObjectType, number, number, boolean, string | null][] = [
  ["contacts", "companies", 279, 280, true, null],
  ["contacts", "companies", 1, 2, false, "Primary"],
  ["contacts", "deals", 4, 3, true, null],
  ["contacts", "tickets", 15, 16, true, null],
  ["contacts", "notes", 201, 202, true, null],
  ["contacts", "tasks", 203, 204, true, null],
  ["companies", "deals", 342, 341, true, null],
  ["companies", "deals", 6, 5, false, "Primary"],
  ["companies", "tickets", 340, 339, true, null],
  ["companies", "tickets", 25, 26, false, "Primary"],
  ["companies", "notes", 189, 190, true, null],
  ["companies", "tasks", 191, 192, true, null],
  ["deals", "tickets", 27, 28, true, null],
  ["deals", "notes", 213, 214, true, null],
  ["deals", "tasks", 215, 216, true, null],
  ["tickets", "notes", 227, 228, true, null],
  ["tickets", "tasks", 229, 230, true, null],
];

const buildTypeTable = (): Map<number, AssociationTypeEntry> => {
  const table = new Map<number, AssociationTypeEntry>();
  const name = (
    from: HubSpotObjectType,
    to: HubSpotObjectType,
    isDefault: boolean,
    labeled: boolean,
  ): string => {
    const base = `${SINGULAR[from]}_to_${SINGULAR[to]}`;
    // HubSpot calls the plain company links "…_unlabeled" because the label-less name belongs to the primary link.
    return isDefault && labeled ? `${base}_unlabeled` : base;
  };
  for (const [from, to, typeId, inverse, isDefault, label] of TYPE_ROWS) {
    const pairHasPrimary = TYPE_ROWS.some((r) => r[0] === from && r[1] === to && r[5] !== null);
    table.set(typeId, {
      typeId,
      from,
      to,
      inverse,
      isDefault,
      label,
      name: name(from, to, isDefault, pairHasPrimary),
    });
    table.set(inverse, {
      typeId: inverse,
      from: to,
      to: from,
      inverse: typeId,
      isDefault,
      label,
      name: name(to, from, isDefault, pairHasPrimary),
    });
  }
  return table;
};

/** HubSpot-defined association types by id, both directions. */
export const ASSOCIATION_TYPES: ReadonlyMap<number, AssociationTypeEntry> = buildTypeTable();

/** The unlabeled default association type for `from` → `to`, if the pair can be associated. */
export function defaultAssociationType(
  from: HubSpotObjectType,
  to: HubSpotObjectType,
): AssociationTypeEntry | undefined {
  for (const entry of ASSOCIATION_TYPES.values()) {
    if (entry.from === from && entry.to === to && entry.isDefault) return entry;
  }
  return undefined;
}

const stage = (id: string, label: string, isClosed: boolean, probability: string) => ({
  id,
  label,
  metadata: { isClosed: String(isClosed), probability },
});

/** HubSpot's default deal pipeline ("default", "Sales Pipeline") and ticket pipeline ("0"). */
export const DEFAULT_PIPELINES: Record<"deals" | "tickets", readonly HubSpotPipelineSeed[]> = {
  deals: [
    {
      id: "default",
      label: "Sales Pipeline",
      stages: [
        stage("appointmentscheduled", "Appointment Scheduled", false, "0.2"),
        stage("qualifiedtobuy", "Qualified To Buy", false, "0.4"),
        stage("presentationscheduled", "Presentation Scheduled", false, "0.6"),
        stage("decisionmakerboughtin", "Decision Maker Bought-In", false, "0.8"),
        stage("contractsent", "Contract Sent", false, "0.9"),
        stage("closedwon", "Closed Won", true, "1.0"),
        stage("closedlost", "Closed Lost", true, "0.0"),
      ],
    },
  ],
  tickets: [
    {
      id: "0",
      label: "Support Pipeline",
      stages: [
        { id: "1", label: "New", metadata: { ticketState: "OPEN" } },
        { id: "2", label: "Waiting on contact", metadata: { ticketState: "OPEN" } },
        { id: "3", label: "Waiting on us", metadata: { ticketState: "OPEN" } },
        { id: "4", label: "Closed", metadata: { ticketState: "CLOSED" } },
      ],
    },
  ],
};
