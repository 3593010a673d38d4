import type { CrmValue, LookupReport } from "../adapter/index.js";
import type { PlanAction, PlanStep, UpsertPlan } from "./types.js";

const SYMBOLS: Record<PlanAction, string> = { create: "+", update: "~", noop: "=", review: "!", skip: "·" };

function show(value: CrmValue | undefined): string {
  if (value === undefined || value === null || value === "") return "(empty)";
  if (Array.isArray(value)) return value.join(";");
  return String(value);
}

function quoted(value: CrmValue): string {
  return typeof value === "string" ? JSON.stringify(value) : show(value);
}

function firstLine(text: string): string {
  const end = text.indexOf("\n");
  const head = end === -1 ? text : `${text.slice(0, end)} …`;
  return head.length > 100 ? `${head.slice(0, 99)}…` : head;
}

function lines(step: PlanStep): string[] {
  const head = `${SYMBOLS[step.action]} ${step.action} ${step.summary}`;
  switch (step.action) {
    case "create":
      if (step.kind === "record") {
        return [
          head,
          ...Object.entries(step.properties).map(([field, value]) => `    ${field} = ${quoted(value)}`),
        ];
      }
      if (step.kind === "note") return [head, `    ${JSON.stringify(firstLine(step.body))}`];
      if (step.kind === "task") {
        const details = [`due ${step.dueAt}`];
        if (step.ownerId !== undefined) details.push(`owner ${step.ownerId}`);
        if (step.priority !== undefined) details.push(`priority ${step.priority}`);
        return [`${head} (${details.join(", ")})`];
      }
      return [step.label === undefined ? head : `${head} (${step.label})`];
    case "update": {
      const changes = step.changes.map(
        (change) =>
          `${change.field} ${change.fromLabel ?? show(change.from)} → ${change.toLabel ?? show(change.to)}`,
      );
      return [`${head}: ${changes.join(", ")}`];
    }
    case "review":
      return [`${head} (${step.errorReason})`];
    default:
      return [head];
  }
}

function lookupLine(lookup: LookupReport): string {
  const keys = `${lookup.keys} ${lookup.keys === 1 ? "key" : "keys"}`;
  const head = `${lookup.type} by ${lookup.field} (${keys}) via ${lookup.via}`;
  return lookup.detail === undefined ? head : `${head}: ${lookup.detail}`;
}

/**
 * Renders a plan as a terraform-style dry run a person can read: one line per step (`+` create, `~` update,
 * `=` unchanged, `!` review, `·` skip), created properties indented below, and a count line. When the adapter
 * reported how it answered its searches (`plan.lookups`), a `Lookups:` block comes first.
 *
 * @example
 * console.log(formatPlan(plan));
 * // Plan for lead.submitted evt_1 (idempotency key lead.submitted:webflow:sub_1)
 * //
 * // + create contact ops@example.com
 * //     email = "ops@example.com"
 * // ~ update deal 123: stage_id Qualified → Closed won
 * // ! review company example.com: 2 matches (ids 7, 9) (ambiguous_duplicate_match)
 * //
 * // Plan: 1 to create, 1 to update, 0 unchanged, 1 to review, 0 skipped.
 */
export function formatPlan(plan: UpsertPlan): string {
  const { event, counts } = plan;
  const out = [`Plan for ${event.type} ${event.id} (idempotency key ${event.idempotencyKey})`, ""];
  if (plan.lookups !== undefined && plan.lookups.length > 0) {
    out.push("Lookups:");
    for (const lookup of plan.lookups) out.push(`    ${lookupLine(lookup)}`);
    out.push("");
  }
  for (const step of plan.steps) out.push(...lines(step));
  if (plan.steps.length === 0) out.push("(nothing to do)");
  out.push(
    "",
    `Plan: ${counts.create} to create, ${counts.update} to update, ${counts.noop} unchanged, ${counts.review} to review, ${counts.skip} skipped.`,
  );
  return out.join("\n");
}
