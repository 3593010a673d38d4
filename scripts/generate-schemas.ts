import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BUILTIN_EVENT_TYPES, canonicalEventJsonSchema, eventJsonSchema } from "../src/contract/index.js";

/** Where the committed JSON Schema files live. */
export const SCHEMAS_DIR = fileURLToPath(new URL("../schemas/", import.meta.url));

/**
 * The committed schema files, by file name: one `<event_type>.schema.json` per built-in type and
 * `canonical-event.schema.json` for the union. The staleness test compares this with `schemas/`.
 */
export function renderSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const definition of BUILTIN_EVENT_TYPES) {
    files.set(
      `${definition.type}.schema.json`,
      `${JSON.stringify(eventJsonSchema(definition.type), null, 2)}\n`,
    );
  }
  files.set("canonical-event.schema.json", `${JSON.stringify(canonicalEventJsonSchema(), null, 2)}\n`);
  return files;
}

// Run as a script (`npm run schemas`): rewrite schemas/ so it holds exactly the rendered files.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  const files = renderSchemaFiles();
  for (const existing of readdirSync(SCHEMAS_DIR)) {
    if (existing.endsWith(".schema.json") && !files.has(existing)) rmSync(join(SCHEMAS_DIR, existing));
  }
  for (const [name, content] of files) writeFileSync(join(SCHEMAS_DIR, name), content);
  process.stdout.write(`wrote ${files.size} schemas to schemas/\n`);
}
