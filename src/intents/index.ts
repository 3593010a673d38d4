// The intents module: default recipes that turn a canonical event into the desired CRM state (intents), and
// defineRecipe for user event types. Pure; the planner decides what of it to write.
export {
  associationIntent,
  body,
  companyIntent,
  contactIntent,
  dueAfter,
  eventMeta,
  line,
  majorUnits,
  noteAttachments,
  routingSignal,
  taskTiming,
} from "./build.js";
export type {
  BookingScheduledEvent,
  DefaultRecipeEvent,
  EventCompany,
  EventContact,
  EventPayment,
  EventRouting,
  LeadSubmittedEvent,
  OnboardingStartedEvent,
  PaymentEvent,
  RecipeEvent,
  SupportRequestedEvent,
} from "./events.js";
export { defineRecipe, type Recipe, type RecipeContext, type RecipeOutput } from "./recipe.js";
export { bookingScheduledRecipe } from "./recipes/booking-scheduled.js";
export { leadSubmittedRecipe } from "./recipes/lead-submitted.js";
export { onboardingStartedRecipe } from "./recipes/onboarding-started.js";
export { paymentFailedRecipe, paymentSucceededRecipe } from "./recipes/payment.js";
export { supportRequestedRecipe } from "./recipes/support-requested.js";
export { defaultRecipes, type ToIntentsOptions, toIntents } from "./to-intents.js";
export type {
  AssociationIntent,
  Attachment,
  EventMeta,
  Intent,
  Intents,
  NoteIntent,
  OwnerIntent,
  RecordIntent,
  RecordMatch,
  RecordObjectType,
  RoutingSignal,
  StageIntent,
  StepRef,
  TaskIntent,
  TaskRequirement,
} from "./types.js";
