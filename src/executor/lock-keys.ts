import type { Intents } from "../intents/index.js";
import { findKey } from "../planner/index.js";
import type { ApplyProgress } from "./apply-plan.js";

// Which of an event's lock keys (`company:domain:acme.test`) may be shared or must outlast the event, worked out
// from its intents and what its steps did.

/**
 * The lock key of each keyed record step that guards nothing but its own record, by step id: once that record
 * exists the key can be shared. A contact whose open deal another step looks up guards that deal too (two events
 * about one contact must not both create its deal), so its key stays exclusive to the end of the event.
 */
export function shareableKeys(intents: Intents): Map<string, string> {
  const guarded = new Set<string>();
  for (const item of intents.items) {
    if (item.kind === "record" && item.match.by === "open_deal") guarded.add(item.match.contact.step);
  }
  const keys = new Map<string, string>();
  for (const item of intents.items) {
    if (item.kind !== "record" || item.match.by !== "key" || guarded.has(item.id)) continue;
    keys.set(item.id, findKey(item.objectType, item.match.field, item.match.value));
  }
  return keys;
}

/** The lock keys of the keyed records this run created: other workers must not search for them before the lag. */
export function createdKeys(intents: Intents, progress: ApplyProgress): Set<string> {
  const created = new Set(progress.objects.filter((o) => o.action === "create").map((o) => o.step));
  const keys = new Set<string>();
  for (const item of intents.items) {
    if (item.kind === "record" && item.match.by === "key" && created.has(item.id))
      keys.add(findKey(item.objectType, item.match.field, item.match.value));
  }
  return keys;
}
