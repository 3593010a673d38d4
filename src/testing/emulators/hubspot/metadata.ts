import { fail } from "../common/router.js";
import { DEFAULT_PROPERTIES } from "./defaults.js";
import { notFoundError } from "./errors.js";
import { type HubSpotRouteMeta, type HubSpotRouter, limitParam, objectTypeOf, ok, page } from "./routing.js";
import { type HubSpotContext, iso, type StoredOwner } from "./store.js";
import type {
  HubSpotObjectType,
  HubSpotPipelineSeed,
  HubSpotPropertyDefinition,
  HubSpotPropertyOption,
} from "./types.js";
import { addVersioned } from "./versions.js";

const FIELD_TYPES: Record<string, string> = {
  string: "text",
  number: "number",
  enumeration: "select",
  date: "date",
  datetime: "date",
  bool: "booleancheckbox",
};

const ownersMeta: HubSpotRouteMeta = {
  scope: () => "crm.objects.owners.read",
  limit: "standard",
  auth: true,
};

const pipelineScope = (params: Record<string, string>): string =>
  params["type"] === "tickets" ? "tickets" : "crm.objects.deals.read";

const propertyScope = (params: Record<string, string>): string => {
  const type = params["type"] ?? "";
  if (type === "tickets") return "tickets";
  if (type === "contacts" || type === "companies" || type === "deals") return `crm.schemas.${type}.read`;
  return "crm.objects.contacts.read";
};

const ownerJson = (context: HubSpotContext, owner: StoredOwner) => ({
  id: owner.id,
  email: owner.email,
  firstName: owner.firstName,
  lastName: owner.lastName,
  // Deactivated users keep only userIdIncludingInactive.
  userId: owner.archived ? null : owner.userId,
  userIdIncludingInactive: owner.userId,
  type: owner.type,
  teams: owner.teams,
  createdAt: iso(context.clock.now()),
  updatedAt: iso(context.clock.now()),
  archived: owner.archived,
});

const pipelineJson = (context: HubSpotContext, pipeline: HubSpotPipelineSeed, index: number) => ({
  id: pipeline.id,
  label: pipeline.label,
  displayOrder: pipeline.displayOrder ?? index,
  archived: pipeline.archived ?? false,
  createdAt: iso(context.clock.now()),
  updatedAt: iso(context.clock.now()),
  stages: pipeline.stages.map((stage, i) => ({
    id: stage.id,
    label: stage.label,
    displayOrder: stage.displayOrder ?? i,
    metadata: { ...(stage.metadata ?? {}) },
    archived: stage.archived ?? false,
    writePermissions: "CRM_PERMISSIONS_ENFORCEMENT",
    createdAt: iso(context.clock.now()),
    updatedAt: iso(context.clock.now()),
  })),
});

function dynamicOptions(
  context: HubSpotContext,
  type: HubSpotObjectType,
  name: string,
): HubSpotPropertyOption[] | undefined {
  if (name === "hubspot_owner_id")
    return context.state.owners
      .filter((o) => !o.archived)
      .map((o, i) => ({
        label: `${o.firstName} ${o.lastName}`.trim() || o.email,
        value: o.id,
        displayOrder: i,
      }));
  if ((type === "deals" && name === "pipeline") || (type === "tickets" && name === "hs_pipeline"))
    return context.state.pipelines[type].map((p, i) => ({ label: p.label, value: p.id, displayOrder: i }));
  return undefined;
}

const propertyJson = (
  context: HubSpotContext,
  type: HubSpotObjectType,
  def: HubSpotPropertyDefinition,
  index: number,
) => {
  const kind = def.type ?? "string";
  const options = dynamicOptions(context, type, def.name) ?? def.options ?? [];
  return {
    name: def.name,
    label: def.label ?? def.name,
    type: kind,
    fieldType: def.fieldType ?? FIELD_TYPES[kind] ?? "text",
    description: def.description ?? "",
    groupName: def.groupName ?? `${type.replace(/s$/, "")}information`,
    options: options.map((o, i) => ({
      label: o.label,
      value: o.value,
      displayOrder: o.displayOrder ?? i,
      hidden: o.hidden ?? false,
    })),
    displayOrder: index,
    calculated: def.calculated ?? false,
    externalOptions: false,
    hasUniqueValue: def.hasUniqueValue ?? (type === "contacts" && def.name === "email"),
    hidden: false,
    hubspotDefined: DEFAULT_PROPERTIES[type].some((d) => d.name === def.name),
    modificationMetadata: {
      archivable: true,
      readOnlyDefinition: false,
      readOnlyValue: def.calculated ?? false,
    },
    formField: !def.calculated,
    archived: false,
  };
};

/** Registers owners, pipelines and properties routes in both families. */
export function registerMetadataRoutes(router: HubSpotRouter): void {
  addVersioned(router, "GET", "owners", "", ownersMeta, (req, context) => {
    const archived = req.query.get("archived") === "true";
    const email = req.query.get("email")?.toLowerCase();
    const limit = limitParam(context, req.query.get("limit"), 100, 500);
    const owners = context.state.owners.filter(
      (o) => o.archived === archived && (email === undefined || o.email.toLowerCase() === email),
    );
    const { slice, paging } = page(owners, req.query.get("after"), limit);
    const results = slice.map((o) => ownerJson(context, o));
    return ok(paging === undefined ? { results } : { results, paging });
  });

  addVersioned(router, "GET", "owners", "/:id", ownersMeta, (req, context) => {
    const id = req.params["id"] ?? "";
    const byUser = req.query.get("idProperty") === "userId";
    const archived = req.query.get("archived") === "true";
    const owner = context.state.owners.find(
      (o) => (byUser ? String(o.userId) === id : o.id === id) && o.archived === archived,
    );
    if (owner === undefined) fail(notFoundError(context.correlationId(), id));
    return ok(ownerJson(context, owner));
  });

  const pipelinesOf = (context: HubSpotContext, typeName: string | undefined, path: string) => {
    if (typeName !== "deals" && typeName !== "tickets") fail(notFoundError(context.correlationId(), path));
    return context.state.pipelines[typeName];
  };
  const pipelineMeta: HubSpotRouteMeta = { scope: pipelineScope, limit: "standard", auth: true };

  addVersioned(router, "GET", "pipelines", "/:type", pipelineMeta, (req, context) =>
    ok({
      results: pipelinesOf(context, req.params["type"], req.path).map((p, i) => pipelineJson(context, p, i)),
    }),
  );

  const findPipeline = (
    context: HubSpotContext,
    typeName: string | undefined,
    pipelineId: string,
    path: string,
  ) => {
    const pipelines = pipelinesOf(context, typeName, path);
    const index = pipelines.findIndex((p) => p.id === pipelineId);
    if (index < 0) fail(notFoundError(context.correlationId(), pipelineId));
    return pipelineJson(context, pipelines[index] as HubSpotPipelineSeed, index);
  };

  addVersioned(router, "GET", "pipelines", "/:type/:pipelineId", pipelineMeta, (req, context) =>
    ok(findPipeline(context, req.params["type"], req.params["pipelineId"] ?? "", req.path)),
  );

  addVersioned(router, "GET", "pipelines", "/:type/:pipelineId/stages", pipelineMeta, (req, context) =>
    ok({
      results: findPipeline(context, req.params["type"], req.params["pipelineId"] ?? "", req.path).stages,
    }),
  );

  const propertiesMeta: HubSpotRouteMeta = { scope: propertyScope, limit: "standard", auth: true };

  addVersioned(router, "GET", "properties", "/:type", propertiesMeta, (req, context) => {
    const type = objectTypeOf(context, req);
    const defs = [...context.state.properties[type].values()];
    return ok({ results: defs.map((def, i) => propertyJson(context, type, def, i)) });
  });

  addVersioned(router, "GET", "properties", "/:type/:name", propertiesMeta, (req, context) => {
    const type = objectTypeOf(context, req);
    const name = req.params["name"] ?? "";
    const defs = [...context.state.properties[type].values()];
    const index = defs.findIndex((d) => d.name === name);
    if (index < 0) fail(notFoundError(context.correlationId(), name));
    return ok(propertyJson(context, type, defs[index] as HubSpotPropertyDefinition, index));
  });
}
