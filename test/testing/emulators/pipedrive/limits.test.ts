import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";
import { type Harness, type Reply, start, TRANSPORTS } from "./helpers.js";

const get = (h: Harness) => h.call("GET", "/api/v2/persons/1");
const list = (h: Harness) => h.call("GET", "/api/v2/persons?limit=1");
const search = (h: Harness) => h.call("GET", "/api/v2/persons/search?term=ab");
const count429 = (replies: Reply[]) => replies.filter((r) => r.status === 429).length;

describe.each(TRANSPORTS)("Pipedrive emulator rate limits over %s", (transport) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("never answers 429 to a client that stays under the Lite 2-second window", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, plan: "lite" });
    const replies: Reply[] = [];
    for (let i = 0; i < 200; i++) {
      replies.push(await list(h));
      await clock.advance(100);
    }
    expect(count429(replies)).toBe(0);
  });

  it("answers exactly the excess over the burst with the 429 envelope, retry-after and headers", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, plan: "lite" });
    const replies = await Promise.all(Array.from({ length: 27 }, () => list(h)));
    expect(count429(replies)).toBe(7);
    const refused = replies.find((r) => r.status === 429) as Reply;
    expect(refused.body).toEqual({ success: false, error: "Request over limit", errorCode: 429 });
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(refused.headers.get("x-ratelimit-limit")).toBe("20");
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(h.emulator.requests.filter((r) => r.status === 429).every((r) => r.cost === 0)).toBe(true);
    await clock.advance(2_000);
    expect((await list(h)).status).toBe(200);
  });

  it("sends the documented rate-limit headers and the daily token headers on every response", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, plan: "growth", seats: 3 });
    const first = await list(h);
    expect(first.headers.get("x-ratelimit-limit")).toBe("40");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("39");
    expect(first.headers.get("x-ratelimit-reset")).toBe("2");
    expect(first.headers.get("x-daily-ratelimit-token-limit")).toBe("180000");
    expect(first.headers.get("x-daily-ratelimit-token-remaining")).toBe("179990");
    await clock.advance(1_200);
    const second = await get(h);
    expect(second.headers.get("x-ratelimit-remaining")).toBe("38");
    expect(second.headers.get("x-ratelimit-reset")).toBe("1");
    expect(second.headers.get("x-daily-ratelimit-token-remaining")).toBe("179989");
    await h.close();
    h = await start(transport, { clock, dailyHeaders: false });
    expect((await list(h)).headers.get("x-daily-ratelimit-token-limit")).toBeNull();
  });

  it("gives OAuth tokens four times the API-token burst", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, plan: "lite" });
    const replies = await Promise.all(
      Array.from({ length: 85 }, () =>
        h.call("GET", "/api/v2/persons?limit=1", undefined, { auth: { bearer: "o" } }),
      ),
    );
    expect(count429(replies)).toBe(5);
    expect(replies[0]?.headers.get("x-ratelimit-limit")).toBe("80");
  });

  it("limits search to 10 per 2 seconds per token, also counting it in the general window", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, plan: "premium" });
    const replies = await Promise.all(Array.from({ length: 13 }, () => search(h)));
    expect(count429(replies)).toBe(3);
    expect(replies[0]?.headers.get("x-ratelimit-limit")).toBe("10");
    expect((await list(h)).headers.get("x-ratelimit-remaining")).toBe("89");
    const other = await h.call("GET", "/api/v2/persons/search?term=ab", undefined, {
      auth: { apiToken: "other" },
    });
    expect(other.status).toBe(200);
    await clock.advance(2_000);
    expect((await search(h)).status).toBe(200);
  });

  it("charges the daily budget by token cost and refuses with the daily body until local midnight", async () => {
    const clock = createFakeClock({ start: "2026-01-14T23:59:00.000Z" }); // 18:59 in New York
    h = await start(transport, { clock, timeZone: "America/New_York", limits: { dailyTokens: 25 } });
    const statuses = [(await list(h)).status, (await list(h)).status, (await get(h)).status];
    expect(statuses).toEqual([200, 200, 404]);
    expect(h.emulator.tokensUsed()).toBe(21);
    const refused = await list(h); // costs 10, only 4 left
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ success: false, error: "daily request budget exceeded", errorCode: 429 });
    // 05:00 UTC is midnight in New York, 5 h 1 min away.
    expect(refused.headers.get("retry-after")).toBe(String(5 * 3600 + 60));
    expect((await get(h)).status).toBe(404); // a 1-token read still fits
    await clock.setTime(Date.parse("2026-01-15T00:30:00.000Z")); // past UTC midnight only
    expect((await list(h)).status).toBe(429);
    await clock.setTime(Date.parse("2026-01-15T05:00:00.000Z"));
    expect((await list(h)).status).toBe(200);
    expect(h.emulator.tokensUsed()).toBe(10);
  });

  it("turns refusals into Cloudflare 403 HTML pages after the abuse threshold, until a request is admitted", async () => {
    const clock = createFakeClock();
    h = await start(transport, { clock, limits: { burst: 1 }, abuseAfter: 2 });
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await list(h));
    expect(replies.map((r) => r.status)).toEqual([200, 429, 429, 403, 403]);
    expect(replies[3]?.headers.get("content-type")).toMatch(/^text\/html/);
    expect(replies[3]?.body).toContain("Cloudflare Ray ID");
    await clock.advance(2_000);
    expect((await list(h)).status).toBe(200);
    expect((await list(h)).status).toBe(429);
  });
});
