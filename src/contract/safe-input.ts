import { type ContractIssue, contractIssue } from "../errors/index.js";
import { CONTRACT_LIMITS } from "./bounds.js";

/** A prototype-safe, bounded copy of the input and the issues found while making it. */
export interface SafeInput {
  readonly value: unknown;
  readonly issues: ContractIssue[];
}

// Keys that can reach or replace an object's prototype when assigned. They are dropped everywhere, `raw`
// included: no schema field uses them, so dropping them is the same as stripping any other unknown key.
// Compared directly rather than through a Set: this runs for every key of every event.
function isBlockedKey(key: string): boolean {
  return key === "__proto__" || key === "constructor" || key === "prototype";
}

interface CopyState {
  nodes: number;
  tooMany: boolean;
  readonly issues: ContractIssue[];
  // `keys[d - 1]` is the key under which the value at depth `d + 1` was found. Entries are overwritten rather
  // than pushed and popped, and a path array is sliced off only when an issue is reported.
  readonly keys: (string | number)[];
  readonly ancestors: object[];
}

/**
 * Copies `input` into fresh plain objects and arrays without `__proto__`, `constructor` or `prototype` keys,
 * enforcing {@link CONTRACT_LIMITS.depth} and {@link CONTRACT_LIMITS.nodes} and turning a `Date` into its ISO
 * string. Only own enumerable string keys are read, as `JSON.stringify` does, so getters on prototypes and
 * symbol keys never run or leak. Whatever exceeds a limit is left out and reported once.
 */
export function toSafeInput(input: unknown): SafeInput {
  const state: CopyState = { nodes: 0, tooMany: false, issues: [], keys: [], ancestors: [] };
  const value = copy(input, 1, state);
  return { value, issues: state.issues };
}

function pathTo(depth: number, state: CopyState): (string | number)[] {
  return state.keys.slice(0, depth - 1);
}

// Counts one value against the node limit; false (after reporting the limit once) when it is over.
function withinNodeLimit(state: CopyState): boolean {
  state.nodes += 1;
  if (state.nodes <= CONTRACT_LIMITS.nodes) return true;
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
  return false;
}

function copy(value: unknown, depth: number, state: CopyState): unknown {
  if (!withinNodeLimit(state)) return undefined;
  if (typeof value !== "object" || value === null) return value;
  return copyObject(value, depth, state);
}

// The children loops below handle primitives inline (most values are strings and numbers) and recurse only
// into objects, with the same order of checks as `copy`.
function copyObject(value: object, depth: number, state: CopyState): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : value.toISOString();
  if (state.ancestors.includes(value)) {
    state.issues.push(
      contractIssue(
        pathTo(depth, state),
        "circular",
        "refers back to itself; send a tree of plain JSON values",
      ),
    );
    return undefined;
  }
  if (depth > CONTRACT_LIMITS.depth) {
    state.issues.push(
      contractIssue(
        pathTo(depth, state),
        "too_deep",
        `is nested deeper than ${CONTRACT_LIMITS.depth} levels (CONTRACT_LIMITS.depth); flatten it or leave it out`,
      ),
    );
    return undefined;
  }
  state.ancestors.push(value);
  const result = Array.isArray(value)
    ? copyArray(value, depth, state)
    : copyRecord(value as Record<string, unknown>, depth, state);
  state.ancestors.pop();
  return result;
}

function copyArray(value: readonly unknown[], depth: number, state: CopyState): unknown[] {
  const out: unknown[] = [];
  // Stops at the node limit, so a sparse array with a huge length costs no more than a small one.
  for (let index = 0; index < value.length && !state.tooMany; index++) {
    const child = value[index];
    if (!withinNodeLimit(state)) {
      out.push(undefined);
    } else if (typeof child !== "object" || child === null) {
      out.push(child);
    } else {
      state.keys[depth - 1] = index;
      out.push(copyObject(child, depth + 1, state));
    }
  }
  return out;
}

function copyRecord(
  value: Record<string, unknown>,
  depth: number,
  state: CopyState,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (state.tooMany) break;
    if (isBlockedKey(key)) continue;
    const child = value[key];
    if (!withinNodeLimit(state)) continue;
    if (typeof child !== "object" || child === null) {
      if (child !== undefined) out[key] = child;
      continue;
    }
    state.keys[depth - 1] = key;
    const copied = copyObject(child, depth + 1, state);
    if (copied !== undefined) out[key] = copied;
  }
  return out;
}
