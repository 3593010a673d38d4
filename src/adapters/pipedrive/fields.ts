import type { AdapterCallContext, CrmProperties, CrmValue, FieldMeta } from "../../adapter/index.js";
import { CrmError } from "../../errors/index.js";
import {
  type PipedriveFieldDef,
  type PipedriveObjectType,
  type ReadShape,
  STANDARD_FIELDS,
  toFieldMeta,
  UNSUPPORTED_UNLESS_MAPPED,
} from "./mapping.js";
import type { PipedriveMetadata } from "./metadata.js";
import type { PipedriveDomainStrategy, PipedriveFieldMap } from "./options.js";

/** A write split the way Pipedrive's v2 bodies want it. */
export interface PreparedWrite {
  /** Canonical keys with a standard Pipedrive field, values untouched (writes.ts shapes them). */
  readonly standard: Record<string, CrmValue>;
  /** Extra top-level fields named by `fieldMap` (standard field codes). */
  readonly top: Record<string, unknown>;
  /** `custom_fields` keyed by 40-hex hash, enum labels already resolved to option ids. */
  readonly custom: Record<string, unknown>;
}

/** Field resolution over the `*Fields` endpoints. */
export interface PipedriveFields {
  /** What reading a record of `type` needs: mapped custom fields and the organization domain field. */
  shape(type: PipedriveObjectType, ctx?: AdapterCallContext): Promise<ReadShape>;
  /**
   * Canonical properties → a Pipedrive write: labels resolved to hash keys, enum labels to option ids, unknown
   * properties rejected (`invalid_property`) and unknown options (`invalid_enum`) before anything is sent. A miss
   * refreshes the cached field list once, so a field or option added in Pipedrive a minute ago is found.
   */
  prepareWrite(
    type: PipedriveObjectType,
    properties: CrmProperties,
    ctx?: AdapterCallContext,
  ): Promise<PreparedWrite>;
  /** Field metadata keyed by canonical key (standard keys plus `fieldMap` keys). */
  describe(type: PipedriveObjectType, ctx?: AdapterCallContext): Promise<FieldMeta[]>;
  /** Forgets the field list of `type` (after Pipedrive rejected a write naming a field). */
  invalidate(type: PipedriveObjectType): void;
}

/** Options of {@link createPipedriveFields}. */
export interface PipedriveFieldsOptions {
  readonly fieldMap: PipedriveFieldMap;
  readonly domainStrategy: PipedriveDomainStrategy;
  readonly domainField: string;
  /** Minimum time between two forced refreshes of a type's fields after a miss. */
  readonly refreshAfterMissMs: number;
}

const review = (reason: "invalid_property" | "invalid_enum", message: string, fields: string[]): CrmError =>
  new CrmError({ reason, provider: "pipedrive", message, fields });

const findDef = (defs: readonly PipedriveFieldDef[], wanted: string): PipedriveFieldDef | undefined => {
  const lower = wanted.trim().toLowerCase();
  return (
    defs.find((d) => d.field_code === wanted) ?? defs.find((d) => d.field_name.trim().toLowerCase() === lower)
  );
};

class Miss extends Error {
  constructor(readonly problem: CrmError) {
    super(problem.message);
  }
}

/** A canonical value in the wire form of a custom field; throws {@link Miss} for an unknown enum option. */
function toCustomValue(key: string, def: PipedriveFieldDef, value: CrmValue): unknown {
  if (value === null) return null;
  const option = (item: string | number): number | undefined => {
    const text = String(item).trim().toLowerCase();
    return def.options?.find((o) => String(o.id) === text || o.label.trim().toLowerCase() === text)?.id;
  };
  const invalid = () =>
    new Miss(
      review("invalid_enum", `${JSON.stringify(value)} is not an option of "${def.field_name}"`, [key]),
    );
  switch (def.field_type) {
    case "enum": {
      const id = Array.isArray(value) ? undefined : option(value as string | number);
      if (id === undefined) throw invalid();
      return id;
    }
    case "set": {
      const items = Array.isArray(value) ? value : String(value).split(";");
      const ids = items.map((item) => option(item));
      if (ids.some((id) => id === undefined)) throw invalid();
      return ids;
    }
    case "int":
    case "double":
    case "user":
    case "org":
    case "people":
      return typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))
        ? Number(value)
        : value;
    case "monetary":
      return { value: Number(value) };
    case "address":
      return { value: String(value) };
    case "boolean":
      return value === true || value === "true";
    default:
      return Array.isArray(value) ? value.join(";") : typeof value === "string" ? value : String(value);
  }
}

/** Creates the field resolver over the metadata cache. */
export function createPipedriveFields(
  metadata: PipedriveMetadata,
  clockNow: () => number,
  options: PipedriveFieldsOptions,
): PipedriveFields {
  // Resolves `fieldMap` labels against one field list; `undefined` entries are labels the list lacks.
  const resolve = (type: PipedriveObjectType, defs: readonly PipedriveFieldDef[]) => {
    const mapped = new Map<string, PipedriveFieldDef>();
    const missing: string[] = [];
    for (const [key, label] of Object.entries(options.fieldMap[type] ?? {})) {
      const def = findDef(defs, label);
      if (def === undefined) missing.push(key);
      else mapped.set(key, def);
    }
    let domainField: PipedriveFieldDef | undefined;
    if (type === "company") {
      domainField = mapped.get("domain");
      if (domainField === undefined && options.domainStrategy !== "website")
        domainField = defs.find(
          (d) =>
            d.is_custom_field === true &&
            d.field_name.trim().toLowerCase() === options.domainField.toLowerCase(),
        );
      if (domainField === undefined && options.domainStrategy === "custom_field") missing.push("domain");
    }
    return { mapped, missing, domainField };
  };

  const defsFor = async (type: PipedriveObjectType, ctx: AdapterCallContext | undefined, fresh = false) =>
    metadata.fields(type, ctx, fresh);

  // Runs `use` over the field list, refreshing it once when `use` reports a miss and the list is old enough.
  const withRefresh = async <T>(
    type: PipedriveObjectType,
    ctx: AdapterCallContext | undefined,
    use: (defs: readonly PipedriveFieldDef[]) => T,
  ): Promise<T> => {
    const defs = await defsFor(type, ctx);
    try {
      return use(defs);
    } catch (error) {
      if (!(error instanceof Miss)) throw error;
      const fetchedAt = metadata.fieldsFetchedAt(type) ?? 0;
      if (clockNow() - fetchedAt < options.refreshAfterMissMs) throw error.problem;
      try {
        return use(await defsFor(type, ctx, true));
      } catch (again) {
        throw again instanceof Miss ? again.problem : again;
      }
    }
  };

  const configurationMiss = (type: PipedriveObjectType, missing: readonly string[]): Miss =>
    new Miss(
      new CrmError({
        reason: "configuration_error",
        provider: "pipedrive",
        message:
          missing[0] === "domain" && type === "company" && options.fieldMap.company?.["domain"] === undefined
            ? `createPipedriveAdapter: option \`domainStrategy\` is "custom_field" but Pipedrive has no organization field labelled "${options.domainField}"`
            : `createPipedriveAdapter: option \`fieldMap.${type}.${missing[0]}\` names "${options.fieldMap[type]?.[missing[0] as string]}", which is no ${type} field label in Pipedrive`,
      }),
    );

  const shapeOf = (
    type: PipedriveObjectType,
    defs: readonly PipedriveFieldDef[],
  ): ReadShape & { mapped: Map<string, PipedriveFieldDef> } => {
    const { mapped, missing, domainField } = resolve(type, defs);
    if (missing.length > 0) throw configurationMiss(type, missing);
    const custom = new Map(
      [...mapped].filter(
        ([key, def]) => def.is_custom_field === true && !(type === "company" && key === "domain"),
      ),
    );
    return { mapped, custom, ...(domainField === undefined ? {} : { domainField }) };
  };

  return {
    shape: (type, ctx) =>
      withRefresh(type, ctx, (defs) => {
        const { custom, domainField } = shapeOf(type, defs);
        return { custom, ...(domainField === undefined ? {} : { domainField }) };
      }),
    prepareWrite: (type, properties, ctx) =>
      withRefresh(type, ctx, (defs) => {
        const { mapped, domainField } = shapeOf(type, defs);
        const standard: Record<string, CrmValue> = {};
        const top: Record<string, unknown> = {};
        const custom: Record<string, unknown> = {};
        const unknown: string[] = [];
        for (const [key, value] of Object.entries(properties)) {
          if (value === undefined) continue;
          if (type === "company" && key === "domain") {
            if (domainField === undefined) standard[key] = value;
            else custom[domainField.field_code] = value;
            continue;
          }
          const def = mapped.get(key);
          if (def !== undefined) {
            if (def.is_custom_field === true) custom[def.field_code] = toCustomValue(key, def, value);
            else top[def.field_code] = value;
          } else if (key in STANDARD_FIELDS[type]) standard[key] = value;
          else if (!(UNSUPPORTED_UNLESS_MAPPED[type] ?? []).includes(key)) unknown.push(key);
        }
        if (unknown.length > 0)
          throw new Miss(
            review(
              "invalid_property",
              `Pipedrive ${type} has no field for ${unknown.join(", ")} (map custom fields by label in \`fieldMap.${type}\`)`,
              unknown,
            ),
          );
        return { standard, top, custom };
      }),
    async describe(type, ctx) {
      const defs = await defsFor(type, ctx);
      const { mapped, domainField } = shapeOf(type, defs);
      const out: FieldMeta[] = [];
      for (const [key, code] of Object.entries(STANDARD_FIELDS[type])) {
        if (mapped.has(key)) continue;
        const def = defs.find((d) => d.field_code === code) ?? {
          field_code: code,
          field_name: key,
          field_type: "varchar",
        };
        out.push(toFieldMeta(key, def));
      }
      if (type === "company" && !mapped.has("domain"))
        out.push(
          toFieldMeta(
            "domain",
            domainField ??
              defs.find((d) => d.field_code === "website") ?? {
                field_code: "website",
                field_name: "Website",
                field_type: "varchar",
              },
          ),
        );
      for (const [key, def] of mapped) out.push(toFieldMeta(key, def));
      return out;
    },
    invalidate: (type) => metadata.forgetFields(type),
  };
}
