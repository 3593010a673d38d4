import { type ContractIssue, contractIssue } from "../errors/index.js";
import { CONTRACT_LIMITS } from "./bounds.js";

// Keys that can reach or replace an object's prototype when assigned. They are dropped everywhere, `raw`
// included: no schema field uses them, so dropping them is the same as stripping any other unknown key.
const BLOCKED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A prototype-safe, bounded copy of the input and the issues found while making it. */
export interface SafeInput {
  readonly value: unknown;
  readonly issues: ContractIssue[];
}

interface CopyState {
  nodes: number;
  tooMany: boolean;
  readonly issues: ContractIssue[];
  readonly path: (string | number)[];
  readonly ancestors: object[];
}

/**
 * Copies `input` into fresh plain objects and arrays without `__proto__`, `constructor` or `prototype` keys,
 * enforcing {@link CONTRACT_LIMITS.depth} and {@link CONTRACT_LIMITS.nodes} and turning a `Date` into its ISO
 * string. Only own enumerable string keys are read, as `JSON.stringify` does, so getters on prototypes and
 * symbol keys never run or leak. Whatever exceeds a limit is left out and reported once.
 */
export function toSafeInput(input: unknown): SafeInput {
  const state: CopyState = { nodes: 0, tooMany: false, issues: [], path: [], ancestors: [] };
  const value = copy(input, 1, state);
  return { value, issues: state.issues };
}

function copy(value: unknown, depth: number, state: CopyState): unknown {
  state.nodes += 1;
  if (state.nodes > CONTRACT_LIMITS.nodes) {
    if (!state.tooMany) {
      state.tooMany = true;
      state.issues.push(
        contractIssue(
          [],
          "too_big",
          `holds more than ${CONTRACT_LIMITS.nodes} values (CONTRACT_LIMITS.nodes); send only the fields the contract defines`,
        ),
      );
    }
    return undefined;
  }
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : value.toISOString();
  if (state.ancestors.includes(value)) {
    state.issues.push(
      contractIssue(state.path, "circular", "refers back to itself; send a tree of plain JSON values"),
    );
    return undefined;
  }
  if (depth > CONTRACT_LIMITS.depth) {
    state.issues.push(
      contractIssue(
        state.path,
        "too_deep",
        `is nested deeper than ${CONTRACT_LIMITS.depth} levels (CONTRACT_LIMITS.depth); flatten it or leave it out`,
      ),
    );
    return undefined;
  }
  state.ancestors.push(value);
  let result: unknown;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    // Stops at the node limit, so a sparse array with a huge length costs no more than a small one.
    for (let index = 0; index < value.length && !state.tooMany; index++) {
      state.path.push(index);
      out.push(copy(value[index], depth + 1, state));
      state.path.pop();
    }
    result = out;
  } else {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (state.tooMany) break;
      if (BLOCKED_KEYS.has(key)) continue;
      state.path.push(key);
      const child = copy((value as Record<string, unknown>)[key], depth + 1, state);
      state.path.pop();
      if (child !== undefined) out[key] = child;
    }
    result = out;
  }
  state.ancestors.pop();
  return result;
}
