// Rate limiting with crmkit: stay under HubSpot's limits before HubSpot says 429, learn from its headers, and
// pause every caller of a portal after a 429.
// Run: npx tsx examples/rate-limiting.ts
import { createRateLimiter, hubspotLimits } from "crmkit";

// One limiter per CRM; the scope (here the portal id) keeps tenants' budgets apart. For several processes, pass
// `store: createRedisRateLimitStore({ client })` from crmkit/redis and every process shares the same windows.
const limiter = createRateLimiter({
  ...hubspotLimits({ tier: "professional", timeZone: "America/New_York" }),
  maxConcurrent: 10,
});

// A stand-in for HubSpot: answers with its rate-limit headers, and a 429 on the 25th call.
let calls = 0;
async function fakeHubSpot(): Promise<{ status: number; headers: Headers; body: unknown }> {
  calls++;
  const headers = new Headers({
    "X-HubSpot-RateLimit-Max": "190",
    "X-HubSpot-RateLimit-Remaining": String(190 - calls),
    "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
  });
  if (calls === 25) {
    return { status: 429, headers, body: { status: "error", policyName: "TEN_SECONDLY_ROLLING" } };
  }
  return { status: 200, headers, body: { id: String(calls) } };
}

const portal = "portal-123";
for (let i = 0; i < 25; i++) {
  const result = await limiter.schedule(portal, async () => {
    const response = await fakeHubSpot();
    // Feed every response back: remaining-budget headers tighten the window, a 429 pauses the portal.
    await limiter.observe(portal, response);
    return response.status;
  });
  if (result.isErr()) console.error(result.error.toJSON());
}

const stats = (await limiter.stats(portal))._unsafeUnwrap();
console.log(
  "cooldown until",
  stats.cooldownUntil === undefined ? "-" : new Date(stats.cooldownUntil).toISOString(),
);
for (const policy of stats.policies) {
  console.log(`${policy.id}: used ${policy.used} of ${policy.effectiveLimit} (published ${policy.limit})`);
}

// While the portal is paused, a caller that cannot wait fails fast with a retryable error instead of queueing.
const urgent = await limiter.acquire(portal, { maxWaitMs: 1_000 });
if (urgent.isErr()) console.log(urgent.error.reason, "retry in", urgent.error.retryAfterMs, "ms");

await limiter.close();
