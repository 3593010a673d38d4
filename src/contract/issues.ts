import type * as z from "zod";
import { type ContractIssue, contractIssue } from "../errors/index.js";
import { quote } from "./outcome.js";

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false (a JSON boolean)",
  object: "an object",
  array: "an array",
};

/** How a producer's value reads in a message, without echoing large or nested content. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case "string":
      return `the string ${quote(value)}`;
    case "number":
      return `the number ${String(value)}`;
    case "boolean":
      return String(value);
    case "object":
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}

/** The value at `path` inside `root`, or `undefined` when the path leaves the tree. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = Object.hasOwn(current, key) ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return current;
}

function typeIssue(path: (string | number)[], expected: string, value: unknown): ContractIssue {
  const want = EXPECTED[expected] ?? expected;
  if (value === undefined) return contractIssue(path, "required", `is required; send ${want}`);
  if (expected === "int" && typeof value === "number") {
    return contractIssue(path, "invalid_type", `must be a whole number; got ${String(value)}`);
  }
  return contractIssue(path, "invalid_type", `must be ${want}; got ${describeValue(value)}`);
}

function sizeIssue(
  path: (string | number)[],
  issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall,
  value: unknown,
) {
  const big = issue.code === "too_big";
  const bound = Number(big ? issue.maximum : issue.minimum);
  if (typeof value === "string") {
    if (!big && bound === 1) return contractIssue(path, "too_small", "is empty; send a non-empty value");
    const relation = big ? "the limit is" : "the minimum is";
    return contractIssue(path, issue.code, `is ${value.length} characters long; ${relation} ${bound}`);
  }
  if (Array.isArray(value)) {
    const relation = big ? "the limit is" : "the minimum is";
    return contractIssue(path, issue.code, `has ${value.length} entries; ${relation} ${bound}`);
  }
  const relation = big ? "at most" : "at least";
  return contractIssue(path, issue.code, `must be ${relation} ${bound}; got ${describeValue(value)}`);
}

/**
 * Turns one zod issue into a {@link ContractIssue} whose message says what to fix. `input` is the (prototype-safe)
 * input that was parsed, used to describe the offending value.
 */
export function toContractIssue(issue: z.core.$ZodIssue, input: unknown): ContractIssue {
  const path = issue.path.map((key) => (typeof key === "number" ? key : String(key)));
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case "invalid_type":
      return typeIssue(path, issue.expected, value);
    case "too_big":
    case "too_small":
      return sizeIssue(path, issue, value);
    case "invalid_value":
      return contractIssue(
        path,
        "invalid_value",
        `${value === undefined ? "is required" : `${describeValue(value)} is not allowed`}; send one of: ${issue.values.map(String).join(", ")}`,
      );
    case "invalid_format":
      return contractIssue(path, "invalid_format", `${describeValue(value)} is not a valid ${issue.format}`);
    case "custom": {
      const code = typeof issue.params?.["code"] === "string" ? issue.params["code"] : "custom";
      return contractIssue(path, code, issue.message);
    }
    default:
      return contractIssue(path, issue.code, issue.message);
  }
}
