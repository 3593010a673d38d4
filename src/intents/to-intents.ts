import { err, ok, type Result } from "neverthrow";
import { ContractError, contractIssue } from "../errors/index.js";
import { defaultPolicy, type PlanPolicy } from "../planner/index.js";
import { eventMeta } from "./build.js";
import type { RecipeEvent } from "./events.js";
import type { Recipe } from "./recipe.js";
import { bookingScheduledRecipe } from "./recipes/booking-scheduled.js";
import { leadSubmittedRecipe } from "./recipes/lead-submitted.js";
import { onboardingStartedRecipe } from "./recipes/onboarding-started.js";
import { paymentFailedRecipe, paymentSucceededRecipe } from "./recipes/payment.js";
import { supportRequestedRecipe } from "./recipes/support-requested.js";
import type { Intents } from "./types.js";

/** The built-in recipes, one per canonical event type. */
export const defaultRecipes: readonly Recipe[] = Object.freeze([
  leadSubmittedRecipe as unknown as Recipe,
  paymentSucceededRecipe as unknown as Recipe,
  paymentFailedRecipe as unknown as Recipe,
  bookingScheduledRecipe as unknown as Recipe,
  supportRequestedRecipe as unknown as Recipe,
  onboardingStartedRecipe as unknown as Recipe,
]);

/** Options of {@link toIntents}. */
export interface ToIntentsOptions {
  /** Recipes for user event types and overrides of the defaults (same `type` wins). @default [] */
  readonly recipes?: readonly Recipe[] | undefined;
  /** @default defaultPolicy */
  readonly policy?: PlanPolicy | undefined;
}

const defaults = new Map(defaultRecipes.map((recipe) => [recipe.type, recipe]));
const registries = new WeakMap<readonly Recipe[], Map<string, Recipe>>();

function registry(recipes: readonly Recipe[] | undefined): Map<string, Recipe> {
  if (recipes === undefined || recipes.length === 0) return defaults;
  let map = registries.get(recipes);
  if (map === undefined) {
    map = new Map(defaults);
    for (const recipe of recipes) map.set(recipe.type, recipe);
    registries.set(recipes, map);
  }
  return map;
}

/**
 * Turns a parsed event into the desired CRM state: picks the recipe by `event_type` (user recipes first, then the
 * defaults) and runs it. Pure and synchronous.
 *
 * @returns the intents, or a `ContractError` (`unknown_event_type`) when no recipe handles the event type.
 * @example
 * const parsed = parseEvent(body);
 * const intents = parsed.andThen((event) => toIntents(event, { policy }));
 */
export function toIntents(
  event: RecipeEvent,
  options: ToIntentsOptions = {},
): Result<Intents, ContractError> {
  const recipe = registry(options.recipes).get(event.event_type);
  if (recipe === undefined) {
    return err(
      new ContractError(
        [
          contractIssue(
            ["event_type"],
            "unknown_event_type",
            `no recipe handles ${JSON.stringify(event.event_type)}; add one with defineRecipe and pass it in \`recipes\``,
          ),
        ],
        { eventType: event.event_type },
      ),
    );
  }
  const output = recipe.toIntents(event, { policy: options.policy ?? defaultPolicy });
  const meta = eventMeta(event);
  return ok(
    output.routing === undefined
      ? { event: meta, items: output.items }
      : { event: meta, routing: output.routing, items: output.items },
  );
}
