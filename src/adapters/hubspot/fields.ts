import type {
  AdapterCallContext,
  CrmObjectType,
  CrmPipeline,
  CrmProperties,
  FieldMeta,
} from "../../adapter/index.js";
import { CrmError } from "../../errors/index.js";
import type { HubSpotClient } from "./client.js";
import {
  createPropertyMap,
  type HubSpotProperty,
  type PropertyMap,
  toFieldMeta,
  toHubSpotProperties,
} from "./mapping.js";
import type { HubSpotMetadata } from "./metadata.js";

/** Canonical key → HubSpot property label or internal name, per object type. */
export type HubSpotFieldMap = Readonly<Partial<Record<CrmObjectType, Readonly<Record<string, string>>>>>;

// Validated by HubSpot against owners and pipelines, not against the property's static options.
const DYNAMIC_ENUMS = new Set([
  "hubspot_owner_id",
  "pipeline",
  "dealstage",
  "hs_pipeline",
  "hs_pipeline_stage",
]);

/** Field resolution that needs the properties and pipelines APIs. */
export interface HubSpotFields {
  /** The canonical ↔ HubSpot name table of a type, with `fieldMap` labels resolved. */
  map(type: CrmObjectType, ctx?: AdapterCallContext): Promise<PropertyMap>;
  /** The HubSpot names to request on reads. */
  readNames(type: CrmObjectType, ctx?: AdapterCallContext): Promise<string[]>;
  /**
   * Canonical properties → HubSpot properties ready to send: names mapped, pipeline and stage labels resolved
   * to ids, enum labels resolved to values, and unknown properties or options rejected before the write.
   */
  prepareWrite(
    type: CrmObjectType,
    properties: CrmProperties,
    ctx?: AdapterCallContext,
    options?: { readonly creating?: boolean },
  ): Promise<Record<string, string>>;
  /** Field metadata keyed by canonical key. */
  describe(type: CrmObjectType, ctx?: AdapterCallContext): Promise<FieldMeta[]>;
}

/** Options of {@link createHubSpotFields}. */
export interface HubSpotFieldsOptions {
  readonly fieldMap: HubSpotFieldMap;
  readonly externalRefProperty: string;
  /** Minimum time between two forced refreshes of a type's properties after an unknown name or option. */
  readonly refreshAfterMissMs: number;
}

const review = (reason: "invalid_property" | "invalid_enum", message: string, fields: string[]): CrmError =>
  new CrmError({ reason, provider: "hubspot", message, fields });

function findProperty(properties: readonly HubSpotProperty[], wanted: string): HubSpotProperty | undefined {
  const lower = wanted.toLowerCase();
  return (
    properties.find((p) => p.name === wanted) ??
    properties.find((p) => (p.label ?? "").toLowerCase() === lower)
  );
}

function resolvePipelineValues(
  type: "deal" | "ticket",
  properties: Record<string, unknown>,
  pipelines: readonly CrmPipeline[],
  creating: boolean,
): void {
  const byIdOrLabel = <T extends { id: string; label: string }>(items: readonly T[], value: unknown) =>
    typeof value !== "string"
      ? undefined
      : (items.find((i) => i.id === value) ??
        items.find((i) => i.label.toLowerCase() === value.toLowerCase()));
  let pipeline = byIdOrLabel(pipelines, properties["pipeline_id"]);
  if (pipeline !== undefined) properties["pipeline_id"] = pipeline.id;
  const stageValue = properties["stage_id"];
  if (typeof stageValue === "string") {
    const candidates = pipeline === undefined ? pipelines : [pipeline];
    const matches = candidates.flatMap((p) => {
      const stage = byIdOrLabel(p.stages, stageValue);
      return stage === undefined ? [] : [{ pipeline: p, stage }];
    });
    // A label shared by several pipelines ("Closed Won") is resolved only inside a known pipeline.
    const match = matches.length === 1 ? matches[0] : undefined;
    if (match !== undefined) {
      properties["stage_id"] = match.stage.id;
      pipeline ??= match.pipeline;
      if (properties["pipeline_id"] === undefined) properties["pipeline_id"] = match.pipeline.id;
    }
  } else if (type === "ticket" && creating && stageValue === undefined) {
    // HubSpot requires a stage on every new ticket; the first open stage is the one its UI picks.
    const target = pipeline ?? pipelines[0];
    const first = target?.stages.find((s) => !s.closed) ?? target?.stages[0];
    if (target !== undefined && first !== undefined) {
      properties["pipeline_id"] = target.id;
      properties["stage_id"] = first.id;
    }
  }
}

/** Creates the field resolver over the metadata cache. */
export function createHubSpotFields(
  client: HubSpotClient,
  metadata: HubSpotMetadata,
  options: HubSpotFieldsOptions,
): HubSpotFields {
  const maps = new Map<CrmObjectType, Promise<PropertyMap>>();

  const map = (type: CrmObjectType, ctx?: AdapterCallContext): Promise<PropertyMap> => {
    const extra: Record<string, string> =
      type === "ticket" ? { external_ref: options.externalRefProperty } : {};
    const configured = options.fieldMap[type] ?? {};
    if (Object.keys(configured).length === 0) return Promise.resolve(createPropertyMap(type, extra));
    let pending = maps.get(type);
    if (pending === undefined) {
      pending = metadata.properties(type, ctx).then((properties) => {
        const resolved: Record<string, string> = { ...extra };
        for (const [key, wanted] of Object.entries(configured)) {
          const property = findProperty(properties, wanted);
          if (property === undefined)
            throw new CrmError({
              reason: "configuration_error",
              provider: "hubspot",
              message: `createHubSpotAdapter: option \`fieldMap.${type}.${key}\` names "${wanted}", which is neither the label nor the internal name of a HubSpot ${type} property`,
            });
          resolved[key] = property.name;
        }
        return createPropertyMap(type, resolved);
      });
      pending.catch(() => maps.delete(type));
      maps.set(type, pending);
    }
    return pending;
  };

  // Reads the properties, refreshing once when `missing` reports a gap and the cache is older than the window.
  const propertiesFor = async (
    type: CrmObjectType,
    ctx: AdapterCallContext | undefined,
    missing: (properties: readonly HubSpotProperty[]) => boolean,
  ): Promise<readonly HubSpotProperty[]> => {
    const properties = await metadata.properties(type, ctx);
    if (!missing(properties)) return properties;
    const fetchedAt = metadata.propertiesFetchedAt(type) ?? 0;
    if (client.clock.now() - fetchedAt < options.refreshAfterMissMs) return properties;
    return metadata.properties(type, ctx, true);
  };

  return {
    map,
    async readNames(type, ctx) {
      return [...new Set((await map(type, ctx)).toHubSpot.values())];
    },
    async prepareWrite(type, input, ctx, writeOptions = {}) {
      const propertyMap = await map(type, ctx);
      const properties: Record<string, unknown> = { ...input };
      if (
        (type === "deal" || type === "ticket") &&
        (properties["pipeline_id"] !== undefined ||
          properties["stage_id"] !== undefined ||
          (type === "ticket" && writeOptions.creating === true))
      ) {
        resolvePipelineValues(
          type,
          properties,
          await metadata.pipelines(type, ctx),
          writeOptions.creating === true,
        );
      }
      const wire = toHubSpotProperties(propertyMap, properties as CrmProperties);
      const invalidOption = (props: readonly HubSpotProperty[], name: string, value: string): boolean => {
        const def = props.find((p) => p.name === name);
        if (def?.type !== "enumeration" || DYNAMIC_ENUMS.has(name) || !def.options?.length || value === "")
          return false;
        return value
          .split(";")
          .some(
            (part) =>
              !def.options?.some((o) => o.value === part || o.label.toLowerCase() === part.toLowerCase()),
          );
      };
      const known = await propertiesFor(type, ctx, (props) =>
        Object.entries(wire).some(
          ([name, value]) => !props.some((p) => p.name === name) || invalidOption(props, name, value),
        ),
      );
      const unknown = Object.keys(wire).filter((name) => !known.some((p) => p.name === name));
      if (unknown.length > 0)
        throw review(
          "invalid_property",
          `HubSpot ${type} has no propert${unknown.length > 1 ? "ies" : "y"} ${unknown.join(", ")}`,
          unknown,
        );
      const badOptions: string[] = [];
      for (const [name, value] of Object.entries(wire)) {
        const def = known.find((p) => p.name === name);
        if (def?.type !== "enumeration" || DYNAMIC_ENUMS.has(name) || !def.options?.length || value === "")
          continue;
        // Enum values are written with the option's value; a label (any letter case) is accepted and translated.
        const parts = value
          .split(";")
          .map(
            (part) =>
              def.options?.find((o) => o.value === part || o.label.toLowerCase() === part.toLowerCase())
                ?.value,
          );
        if (parts.some((part) => part === undefined)) badOptions.push(name);
        else wire[name] = parts.join(";");
      }
      if (badOptions.length > 0)
        throw review("invalid_enum", `Value not among the options of ${badOptions.join(", ")}`, badOptions);
      return wire;
    },
    async describe(type, ctx) {
      const [propertyMap, properties] = await Promise.all([map(type, ctx), metadata.properties(type, ctx)]);
      const fields: FieldMeta[] = [];
      const covered = new Set<string>();
      for (const [key, name] of propertyMap.toHubSpot) {
        const property = properties.find((p) => p.name === name);
        if (property === undefined) continue;
        fields.push(toFieldMeta(key, property));
        covered.add(name);
      }
      for (const property of properties) {
        if (covered.has(property.name) || propertyMap.toHubSpot.has(property.name)) continue;
        fields.push(toFieldMeta(property.name, property));
      }
      return fields;
    },
  };
}
