import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { RecordedRequest } from "../../src/testing/emulators/common/request-log.js";

// A small OpenAPI 3.0 reader for the vendor contract tests: path-template matching (under the spec's server path),
// declared query parameters and a JSON-schema subset validator (type, properties, required, additionalProperties,
// items, enum, allOf merged into one object, oneOf/anyOf, nullable, $ref). The specs are read from
// CRMKIT_VENDOR_SPECS at test time and never copied into the repo.

type Json = Record<string, unknown>;

/** One operation of a spec, ready to match recorded requests against. */
export interface SpecOperation {
  readonly file: string;
  readonly method: string;
  /** The path template with the server's path prefix (`/api/v2/persons/{id}`). */
  readonly template: string;
  readonly pattern: RegExp;
  readonly literalChars: number;
  readonly queryParams: ReadonlySet<string>;
  readonly bodySchema: Json | undefined;
  readonly spec: Json;
}

/** How {@link operationsOf} builds the operations of one spec. */
export interface OperationOptions {
  /** Prepended to every path template (the spec's server path, e.g. `/api/v2`). @default "" */
  readonly prefix?: string | undefined;
  /** Rewrites the regular-expression source of a template (aliases the vendor accepts for a path segment). */
  readonly rewritePattern?: ((source: string) => string) | undefined;
}

const asJson = (value: unknown): Json => (typeof value === "object" && value !== null ? (value as Json) : {});

function resolve(spec: Json, node: unknown): Json {
  let current = asJson(node);
  for (let depth = 0; typeof current["$ref"] === "string" && depth < 20; depth++) {
    const path = (current["$ref"] as string).replace(/^#\//, "").split("/");
    let target: unknown = spec;
    for (const part of path) target = asJson(target)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    current = asJson(target);
  }
  return current;
}

/** Reads a JSON or YAML spec file. */
export function readSpec(path: string): Json {
  const text = readFileSync(path, "utf8");
  return asJson(path.endsWith(".json") ? JSON.parse(text) : parse(text, { maxAliasCount: -1 }));
}

/** Every operation of one parsed spec. */
export function operationsOf(file: string, spec: Json, options: OperationOptions = {}): SpecOperation[] {
  const operations: SpecOperation[] = [];
  const prefix = options.prefix ?? "";
  for (const [path, rawItem] of Object.entries(asJson(spec["paths"]))) {
    const template = `${prefix}${path}`;
    const item = resolve(spec, rawItem);
    const shared = Array.isArray(item["parameters"]) ? item["parameters"] : [];
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      const op = item[method];
      if (op === undefined) continue;
      const params = [
        ...shared,
        ...(Array.isArray(asJson(op)["parameters"]) ? (asJson(op)["parameters"] as unknown[]) : []),
      ].map((p) => resolve(spec, p));
      const content = asJson(resolve(spec, asJson(op)["requestBody"])["content"]);
      const media = asJson(content["application/json"] ?? content["application/x-www-form-urlencoded"]);
      const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
      operations.push({
        file,
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${options.rewritePattern?.(source) ?? source}$`),
        literalChars: template.replace(/\{[^}]+\}/g, "").length,
        queryParams: new Set(params.filter((p) => p["in"] === "query").map((p) => String(p["name"]))),
        bodySchema: media["schema"] === undefined ? undefined : asJson(media["schema"]),
        spec,
      });
    }
  }
  return operations;
}

/** Every operation of every `*.json` spec in `dir`. */
export function loadOperations(dir: string, options: OperationOptions = {}): SpecOperation[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .flatMap((file) => operationsOf(file, readSpec(join(dir, file)), options));
}

// `allOf` members describe one object together: a key declared by any member is declared, so they are merged
// instead of validated one by one (each member alone would reject the keys the others declare).
function merged(spec: Json, schema: Json): Json {
  if (!Array.isArray(schema["allOf"])) return schema;
  const parts = (schema["allOf"] as unknown[]).map((s) => merged(spec, resolve(spec, s)));
  const objects = parts.filter((p) => p["type"] === "object" || p["properties"] !== undefined);
  if (objects.length === 0) return { ...schema, ...Object.assign({}, ...parts), allOf: undefined };
  const additional = objects.some((p) => p["additionalProperties"] === true);
  return {
    type: "object",
    nullable: parts.some((p) => p["nullable"] === true) || schema["nullable"] === true,
    properties: Object.assign({}, ...objects.map((p) => asJson(p["properties"]))),
    required: objects.flatMap((p) => (Array.isArray(p["required"]) ? (p["required"] as string[]) : [])),
    ...(additional ? { additionalProperties: true } : {}),
  };
}

/** Problems of `value` against `schema` (empty when valid), each with its JSON path. */
export function validate(spec: Json, rawSchema: unknown, value: unknown, path = "$"): string[] {
  const schema = merged(spec, resolve(spec, rawSchema));
  if (value === null) return schema["nullable"] === true ? [] : [`${path}: null is not allowed`];
  for (const key of ["oneOf", "anyOf"]) {
    const options = schema[key];
    if (Array.isArray(options)) {
      return options.some((s) => validate(spec, s, value, path).length === 0)
        ? []
        : [`${path}: matches none of ${key}`];
    }
  }
  if (Array.isArray(schema["enum"]) && !schema["enum"].includes(value))
    return [`${path}: ${JSON.stringify(value)} is not in the enum`];
  const type = schema["type"];
  const actual = Array.isArray(value) ? "array" : typeof value;
  if (type === "integer") return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
  if (type === "number") return typeof value === "number" ? [] : [`${path}: expected a number`];
  if (type === "string" || type === "boolean")
    return actual === type ? [] : [`${path}: expected a ${type}, got ${actual}`];
  if (type === "array") {
    if (!Array.isArray(value)) return [`${path}: expected an array`];
    return value.flatMap((item, i) => validate(spec, schema["items"], item, `${path}[${i}]`));
  }
  if (type === "object" || schema["properties"] !== undefined) {
    if (actual !== "object") return [`${path}: expected an object, got ${actual}`];
    const record = value as Json;
    const properties = asJson(schema["properties"]);
    const problems: string[] = [];
    for (const name of Array.isArray(schema["required"]) ? (schema["required"] as string[]) : []) {
      if (!(name in record)) problems.push(`${path}.${name}: required`);
    }
    for (const [key, item] of Object.entries(record)) {
      if (key in properties) problems.push(...validate(spec, properties[key], item, `${path}.${key}`));
      else if (typeof schema["additionalProperties"] === "object")
        problems.push(...validate(spec, schema["additionalProperties"], item, `${path}.${key}`));
      else if (schema["additionalProperties"] !== true && Object.keys(properties).length > 0)
        problems.push(`${path}.${key}: not declared by the schema`);
    }
    return problems;
  }
  return [];
}

/** What the contract check found for one request. */
export interface ContractResult {
  readonly request: string;
  readonly operation?: string | undefined;
  readonly problems: readonly string[];
}

/** Checks one recorded request: a matching path template and method, declared query parameters, a valid body. */
export function checkRequest(operations: readonly SpecOperation[], request: RecordedRequest): ContractResult {
  const label = `${request.method} ${request.path}`;
  const candidates = operations
    .filter((op) => op.method === request.method && op.pattern.test(request.path))
    .sort((a, b) => b.literalChars - a.literalChars);
  const best = candidates[0];
  if (best === undefined)
    return { request: label, problems: ["no operation in the specs matches this method and path"] };
  const sameTemplate = candidates.filter((op) => op.template === best.template);
  // Each operation is checked in every spec file that declares it; the request must satisfy one of them.
  const outcomes = sameTemplate.map((op) => {
    const problems: string[] = [];
    const query = new URL(request.url, "http://x").searchParams;
    for (const name of new Set(query.keys()))
      if (!op.queryParams.has(name)) problems.push(`query parameter "${name}" is not declared`);
    if (request.body !== undefined && op.bodySchema !== undefined)
      problems.push(...validate(op.spec, op.bodySchema, request.body));
    if (request.body !== undefined && op.bodySchema === undefined)
      problems.push("the operation takes no request body");
    return { request: label, operation: `${op.file} ${op.method} ${op.template}`, problems };
  });
  return outcomes.find((o) => o.problems.length === 0) ?? (outcomes[0] as ContractResult);
}
