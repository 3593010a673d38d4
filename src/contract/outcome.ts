import { err, ok, type Result } from "neverthrow";
import { ContractError, contractIssue } from "../errors/index.js";

/**
 * What a normalizer returns internally: the canonical value, or a code and a message that says what to fix.
 * Cheaper than a `Result<_, ContractError>` on the hot path (no `Error` is built for valid values), and
 * converted to one by {@link toResult} at the public boundary.
 */
export type Normalized =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly code: string; readonly message: string };

export function normalized(value: string): Normalized {
  return { ok: true, value };
}

export function rejected(code: string, message: string): Normalized {
  return { ok: false, code, message };
}

export function toResult(outcome: Normalized): Result<string, ContractError> {
  return outcome.ok
    ? ok(outcome.value)
    : err(new ContractError([contractIssue([], outcome.code, outcome.message)]));
}

const QUOTE_LIMIT = 64;

/** Quotes a producer's value for a message, shortened so a huge value cannot flood logs. */
export function quote(value: string): string {
  return JSON.stringify(value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value);
}
