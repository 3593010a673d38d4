import type { PlanPolicy } from "../planner/index.js";
import type { RecipeEvent } from "./events.js";
import type { Intent, RoutingSignal } from "./types.js";

/** What a recipe sees besides the event. */
export interface RecipeContext {
  /** The policy in force: note and task settings, pipelines. */
  readonly policy: PlanPolicy;
}

/** What a recipe returns: the intents, and the routing signal the planner should trust or hold back. */
export interface RecipeOutput {
  readonly items: readonly Intent[];
  readonly routing?: RoutingSignal | undefined;
}

/**
 * Turns one event type into intents. Recipes are pure: no I/O, no clock, no randomness (due dates derive from
 * `occurred_at`), so the same event always yields the same intents.
 */
export interface Recipe<E extends RecipeEvent = RecipeEvent> {
  /** The `event_type` the recipe handles, e.g. `trial.started`. */
  readonly type: string;
  /** Builds the intents of one event. */
  toIntents(event: E, ctx: RecipeContext): RecipeOutput;
}

const EVENT_TYPE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;

/**
 * Declares a recipe for a user event type, or an override of a default recipe (same `type`). Pass it to
 * `toIntents(event, { recipes: [recipe] })`.
 *
 * @throws {TypeError} naming the option when `type` is not a dotted lower-case event type or `toIntents` is not a
 * function.
 * @example
 * const trialStarted = defineRecipe<TrialStarted>({
 *   type: "trial.started",
 *   toIntents: (event) => ({
 *     items: [{
 *       kind: "record", id: "contact", objectType: "contact", mode: "upsert",
 *       match: { by: "key", field: "email", value: event.contact.email },
 *       properties: { email: event.contact.email, lifecycle_stage: "lead" }, why: "the trial's user",
 *     }],
 *   }),
 * });
 */
export function defineRecipe<E extends RecipeEvent>(recipe: Recipe<E>): Recipe<E> {
  if (typeof recipe.type !== "string" || !EVENT_TYPE.test(recipe.type)) {
    throw new TypeError(
      `crmkit: defineRecipe option \`type\` must be a dotted lower-case event type such as "trial.started"; got ${JSON.stringify(recipe.type)}`,
    );
  }
  if (typeof recipe.toIntents !== "function") {
    throw new TypeError(
      `crmkit: defineRecipe option \`toIntents\` must be a function (recipe "${recipe.type}")`,
    );
  }
  return Object.freeze({ type: recipe.type, toIntents: recipe.toIntents });
}
