import { readFileSync } from "node:fs";

/** Names of the JSON files under test/fixtures/events/. */
export type FixtureName =
  | "diagnostic-lead"
  | "broken-lead"
  | "payment-succeeded"
  | "payment-failed"
  | "booking-scheduled"
  | "support-requested"
  | "onboarding-started";

/** A fresh copy of a fixture event, safe to mutate. */
export function fixture(name: FixtureName): Record<string, unknown> {
  const url = new URL(`../fixtures/events/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
}

/** The diagnostic lead with `patch` applied to the named top-level blocks (shallow per block). */
export function lead(patch: Record<string, unknown> = {}): Record<string, unknown> {
  const base = fixture("diagnostic-lead");
  for (const [key, value] of Object.entries(patch)) {
    const current = base[key];
    base[key] =
      typeof value === "object" && value !== null && !Array.isArray(value) && typeof current === "object"
        ? { ...(current as object), ...value }
        : value;
  }
  return base;
}
