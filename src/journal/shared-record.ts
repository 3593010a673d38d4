import type { AuditRecord } from "./types.js";

// Helpers of the memory journal. It never changes a stored record: a write stores a new version that shares every
// part the write did not replace (the raw payload, the event, the plan) with the version before, and callers only
// ever get copies. Nothing a caller passed in is stored by reference either: every part is converted afresh.

/** A mutable deep copy of stored JSON. */
export function copyJson<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  // map keeps holes as holes, as structuredClone did.
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    // defineProperty keeps a "__proto__" key an own property instead of a prototype change.
    if (key === "__proto__") {
      Object.defineProperty(out, key, {
        value: copyJson(source[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = copyJson(source[key]);
    }
  }
  return out as T;
}

// The stored record behind each handed-out copy whose nested parts have not all been copied yet.
const pending = new WeakMap<object, Record<string, unknown>>();
const accessors = new Map<string, PropertyDescriptor>();

function settle(target: object, key: string, value: unknown): unknown {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

// One getter/setter pair per key, shared by every copy (closures per copy cost more than copying small records).
function copyOnRead(key: string): PropertyDescriptor {
  let descriptor = accessors.get(key);
  if (descriptor === undefined) {
    descriptor = {
      get(this: object): unknown {
        // Read through an object inheriting from the copy, `this` is the heir: the part belongs to the copy.
        for (let owner: object | null = this; owner !== null; owner = Object.getPrototypeOf(owner)) {
          const stored = pending.get(owner);
          if (stored !== undefined) return settle(owner, key, copyJson(stored[key]));
        }
        return undefined;
      },
      set(this: object, value: unknown): void {
        settle(this, key, value);
      },
      enumerable: true,
      configurable: true,
    };
    accessors.set(key, descriptor);
  }
  return descriptor;
}

/**
 * The caller's own copy of a stored record, which it may change freely. Its nested parts are copied when first
 * read rather than up front: most callers (the executor among them) read only the status or the version, and
 * copying the payload, the event and the plan on every call cost more than all the journal's other work together.
 */
export function handOut(record: AuditRecord): AuditRecord {
  const out: Record<string, unknown> = {};
  const source = record as unknown as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === "object" && value !== null) Object.defineProperty(out, key, copyOnRead(key));
    else out[key] = value;
  }
  pending.set(out, source);
  return out as unknown as AuditRecord;
}
