import * as z from "zod";

type Compile = <T extends z.ZodType>(schema: T) => T;

// `z.compile` generates a parser for a schema once; valid input takes it and invalid input falls back to the
// regular parser, so issues are exactly the regular ones. It roughly halves the cost of parsing an event. Not
// every zod 4 release the peer range allows has it, so it is looked up rather than imported by name.
const compile = (z as unknown as { compile?: Compile }).compile;
const compiled = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The compiled form of `schema`, built on first use and then reused, or `schema` itself when this zod cannot
 * compile or `z.config({ jitless: true })` forbids generated code at that moment. Only for schemas whose checks
 * are pure: on invalid input they run twice (compiled path, then the regular parser), which is why the parser
 * uses it for the built-in event types and not for `defineEventType` schemas with the caller's own refinements.
 * @internal
 */
export function compiledSchema<T extends z.ZodType>(schema: T): T {
  const known = compiled.get(schema);
  if (known !== undefined) return known as T;
  if (compile === undefined || z.config().jitless === true) return schema;
  // `compile` never throws: a schema it cannot model comes back unchanged and keeps the regular parser.
  const fast = compile(schema);
  compiled.set(schema, fast);
  return fast;
}
