import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";
import { type Harness, type Reply, start, TRANSPORTS_AND_VERSIONS } from "./helpers.js";

const get = (h: Harness) => h.call("GET", "/crm/v3/objects/contacts?limit=1");
const searchCall = (h: Harness) => h.call("POST", "/crm/v3/objects/contacts/search", { limit: 1 });
const count429 = (replies: Reply[]) => replies.filter((r) => r.status === 429).length;

describe.each(TRANSPORTS_AND_VERSIONS)("HubSpot emulator rate limits over %s on %s", (transport, version) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("never answers 429 to a client that stays under the 10-second limit", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, tier: "starter" }, version);
    const replies: Reply[] = [];
    for (let i = 0; i < 300; i++) {
      replies.push(await get(h));
      await clock.advance(100);
    }
    expect(count429(replies)).toBe(0);
  });

  it("answers exactly the excess with the TEN_SECONDLY_ROLLING body and headers", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, tier: "starter" }, version);
    const replies = await Promise.all(Array.from({ length: 130 }, () => get(h)));
    expect(count429(replies)).toBe(30);
    const refused = replies.find((r) => r.status === 429) as Reply;
    expect(refused.body).toMatchObject({
      status: "error",
      message: "You have reached your ten_secondly_rolling limit.",
      errorType: "RATE_LIMIT",
      policyName: "TEN_SECONDLY_ROLLING",
    });
    expect(refused.body.groupName).toMatch(/^publicapi:/);
    expect(refused.headers.get("x-hubspot-ratelimit-remaining")).toBe("0");
    await clock.advance(10_000);
    expect((await get(h)).status).toBe(200);
  });

  it("reports remaining budget in the rate-limit headers (daily ones only for private apps)", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, tier: "professional" }, version);
    const first = await get(h);
    expect(first.headers.get("x-hubspot-ratelimit-max")).toBe("190");
    expect(first.headers.get("x-hubspot-ratelimit-remaining")).toBe("189");
    expect(first.headers.get("x-hubspot-ratelimit-interval-milliseconds")).toBe("10000");
    expect(first.headers.get("x-hubspot-ratelimit-daily")).toBe("625000");
    expect(first.headers.get("x-hubspot-ratelimit-daily-remaining")).toBe("624999");
    await h.close();
    h = await start(transport, { clock, appType: "public" }, version);
    const pub = await get(h);
    expect(pub.headers.get("x-hubspot-ratelimit-max")).toBe("110");
    expect(pub.headers.get("x-hubspot-ratelimit-daily")).toBeNull();
  });

  it("resets the daily limit at midnight in the account time zone, not UTC", async () => {
    const clock = createFakeClock({ start: "2026-01-14T23:50:00.000Z" }); // 18:50 in New York
    h = await start(transport, { clock, timeZone: "America/New_York", limits: { daily: 3 } }, version);
    const replies = [await get(h), await get(h), await get(h), await get(h)];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(replies[3]?.body).toMatchObject({
      message: "You have reached your daily limit.",
      policyName: "DAILY",
      errorType: "RATE_LIMIT",
    });
    expect(typeof replies[3]?.body.requestId).toBe("string");
    await clock.setTime(Date.parse("2026-01-15T00:10:00.000Z")); // past UTC midnight, 19:10 local
    expect((await get(h)).status).toBe(429);
    await clock.setTime(Date.parse("2026-01-15T05:00:00.000Z")); // local midnight
    expect((await get(h)).status).toBe(200);
    expect(h.emulator.limits.dailyUsed()).toBe(1);
  });

  it("limits search to 5 per second per account with the secondly body and no headers", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock }, version);
    const replies = await Promise.all(Array.from({ length: 7 }, () => searchCall(h)));
    expect(count429(replies)).toBe(2);
    const refused = replies.find((r) => r.status === 429) as Reply;
    expect(refused.body).toMatchObject({
      message: "You have reached your secondly limit.",
      errorType: "RATE_LIMIT",
    });
    expect(refused.headers.get("x-hubspot-ratelimit-remaining")).toBeNull();
    // Search does not spend the app's 10-second budget.
    expect((await get(h)).headers.get("x-hubspot-ratelimit-remaining")).toBe("189");
    await clock.advance(1000);
    expect((await searchCall(h)).status).toBe(200);
  });

  it("counts the 10-second limit per app, so two apps each get the full budget", async () => {
    const clock = createFakeClock();
    h = await start(
      transport,
      {
        clock,
        limits: { tenSecondly: 2 },
        tokens: [
          { token: "a", appId: "app-a" },
          { token: "b", appId: "app-b" },
        ],
      },
      version,
    );
    const statuses = [];
    for (const token of ["a", "a", "a", "b", "b", "b"])
      statuses.push((await h.call("GET", "/crm/v3/owners", undefined, { token })).status);
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });
});
