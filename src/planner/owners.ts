import type { CrmOwner } from "../adapter/index.js";
import type { RoutingSignal } from "../intents/index.js";
import type { PlanPolicy, RoutingRule } from "./policy.js";

/** The outcome of resolving an owner reference against the CRM's owners. */
export type OwnerResolution =
  | { readonly kind: "assigned"; readonly owner: CrmOwner; readonly message: string }
  | { readonly kind: "unassigned"; readonly message: string }
  | { readonly kind: "review"; readonly value: string; readonly message: string };

/**
 * 32-bit FNV-1a of a string: a stable, platform-independent hash, so round-robin picks survive restarts and
 * redeliveries (unlike a counter, which would hand a redelivered event to the next owner).
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function matches(condition: string | readonly string[] | undefined, value: string | undefined): boolean {
  if (condition === undefined) return true;
  if (value === undefined) return false;
  return typeof condition === "string" ? condition === value : condition.includes(value);
}

/** The owner reference the first matching rule picks, or `undefined` when no rule matches. */
export function routeOwner(
  rules: readonly RoutingRule[],
  routing: RoutingSignal | undefined,
  idempotencyKey: string,
): { readonly ref: string; readonly message: string } | undefined {
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (!matches(rule.tier, routing?.tier) || !matches(rule.role, routing?.role)) continue;
    if (typeof rule.owner === "string")
      return { ref: rule.owner, message: `routing rule ${index} picks ${rule.owner}` };
    if (rule.owner.length === 0) continue;
    const pick = stableHash(idempotencyKey) % rule.owner.length;
    const ref = rule.owner[pick]!;
    return {
      ref,
      message: `routing rule ${index} picks ${ref} (round robin ${pick + 1} of ${rule.owner.length})`,
    };
  }
  return undefined;
}

const indexes = new WeakMap<readonly CrmOwner[], Map<string, CrmOwner>>();

function ownerIndex(owners: readonly CrmOwner[]): Map<string, CrmOwner> {
  let index = indexes.get(owners);
  if (index === undefined) {
    index = new Map();
    // Emails first, then ids, so an id always wins over an email that happens to look like it.
    for (const owner of owners) if (owner.email !== undefined) index.set(owner.email.toLowerCase(), owner);
    for (const owner of owners) index.set(owner.id, owner);
    indexes.set(owners, index);
  }
  return index;
}

/** The owner with this id, or this email (case-insensitive). */
export function findOwner(owners: readonly CrmOwner[] | undefined, ref: string): CrmOwner | undefined {
  if (owners === undefined) return undefined;
  const index = ownerIndex(owners);
  return index.get(ref) ?? index.get(ref.toLowerCase());
}

function describe(owners: readonly CrmOwner[] | undefined, ref: string): string {
  const owner = findOwner(owners, ref);
  if (owner === undefined) return `owner ${ref} is not among the CRM's owners`;
  return owner.active ? `owner ${ref} is active` : `owner ${ref} is inactive`;
}

/**
 * Resolves `candidate` (from a rule or a record) to an active owner, falling back to `policy.fallbackOwner`.
 * Without a candidate and a fallback the record stays unassigned; an inactive or unknown owner with no usable
 * fallback is a review (`inactive_owner`), never a silent assignment.
 */
export function resolveOwner(
  owners: readonly CrmOwner[] | undefined,
  candidate: string | undefined,
  policy: PlanPolicy,
  source: string,
): OwnerResolution {
  if (candidate !== undefined) {
    const owner = findOwner(owners, candidate);
    if (owner?.active === true)
      return { kind: "assigned", owner, message: `${source}: ${candidate} is active` };
  }
  const problem =
    candidate === undefined ? `${source}: no owner` : `${source}: ${describe(owners, candidate)}`;
  const fallback = policy.fallbackOwner;
  if (fallback === undefined) {
    if (candidate === undefined)
      return { kind: "unassigned", message: `${problem} and no fallbackOwner is set` };
    return { kind: "review", value: candidate, message: `${problem} and no fallbackOwner is set` };
  }
  const owner = findOwner(owners, fallback);
  if (owner?.active === true) {
    return { kind: "assigned", owner, message: `${problem}; using fallbackOwner ${fallback}` };
  }
  return {
    kind: "review",
    value: candidate ?? fallback,
    message: `${problem}, and fallbackOwner ${fallback}: ${describe(owners, fallback).replace(`owner ${fallback} `, "")}`,
  };
}
