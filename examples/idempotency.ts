// Idempotent webhook handling with crmkit: duplicates run once, redeliveries replay, crashes resume.
// Run: npx tsx examples/idempotency.ts
import { createMemoryIdempotencyStore, isIdempotencyError, runIdempotent } from "crmkit";

// Swap in createRedisIdempotencyStore (crmkit/redis) or createPostgresIdempotencyStore (crmkit/postgres) when
// more than one process receives the same events.
const store = createMemoryIdempotencyStore();

// A stand-in CRM that upserts by external id, as the real adapters do.
const crm = new Map<string, { email: string; amount: number }>();
let crmCalls = 0;

interface PaymentEvent {
  event_id: string;
  email: string;
  amount: number;
  attemptNumber?: number;
}

async function handle(event: PaymentEvent): Promise<string> {
  const outcome = await runIdempotent(
    store,
    "stripe:acct_123:payment.succeeded",
    event.event_id,
    event,
    async (ctx) => {
      // A take-over after a crash resumes from the checkpoint instead of writing again.
      if (ctx.lastCheckpoint?.step === "contact_upserted") return { contact: event.email, resumed: true };
      crmCalls++;
      crm.set(event.email, { email: event.email, amount: event.amount });
      await ctx.checkpoint("contact_upserted", { email: event.email });
      return { contact: event.email, resumed: false };
    },
    { leaseMs: 30_000, ttlMs: 24 * 60 * 60 * 1000 },
  );
  if (outcome.isOk()) return outcome.value.replayed ? "200 (replayed)" : "200 (ran)";
  const error = outcome.error;
  if (isIdempotencyError(error, "InProgress")) return `409 retry in ${error.retryAfterMs} ms`;
  if (isIdempotencyError(error, "FingerprintMismatch")) return "422 key reused with another payload";
  if (isIdempotencyError(error, "StoreUnavailable")) return "503 store down, nothing ran";
  return `500 ${error.type}`;
}

const event = { event_id: "evt_1", email: "ada@example.com", amount: 4200 };
const concurrent = await Promise.all([handle(event), handle({ ...event, attemptNumber: 1 })]);
console.log("two concurrent deliveries:", concurrent.join(" | "));
console.log("redelivery:", await handle({ ...event, attemptNumber: 2 }));
console.log("same key, different amount:", await handle({ ...event, amount: 1 }));
console.log(`CRM calls: ${crmCalls}, CRM records: ${crm.size}`);
