import { afterEach, describe, expect, it } from "vitest";
import { PIPEDRIVE_FAULT_PRESETS } from "../../../../src/testing/emulators/pipedrive/index.js";
import { type Harness, start } from "./helpers.js";

describe("Pipedrive emulator faults", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("answers every preset with its status and Pipedrive envelope, then recovers", async () => {
    h = await start("fetch");
    const statuses: Record<string, number> = {};
    for (const preset of PIPEDRIVE_FAULT_PRESETS) {
      h.emulator.faults.inject({ match: { path: "/api/v2/persons" }, response: preset });
      const res = await h.call("GET", "/api/v2/persons");
      statuses[preset] = res.status;
      if (preset !== "cloudflare") expect(res.body.success).toBe(false);
    }
    expect(statuses).toEqual({
      server: 500,
      rateLimit: 429,
      dailyLimit: 429,
      cloudflare: 403,
      unauthorized: 401,
      scopeMismatch: 403,
      forbidden: 403,
      paymentRequired: 402,
      notFound: 404,
      gone: 410,
      validation: 400,
    });
    expect((await h.call("GET", "/api/v2/persons")).status).toBe(200);
    expect(h.emulator.requests.map((r) => r.fault).filter((f) => f !== undefined)).toEqual([
      ...PIPEDRIVE_FAULT_PRESETS,
    ]);
  });

  it("applies preset options: server status, retry-after and message", async () => {
    h = await start("fetch");
    h.emulator.faults.inject({ response: { preset: "server", status: 503 } });
    h.emulator.faults.inject({ response: { preset: "dailyLimit", retryAfterSeconds: 120 } });
    h.emulator.faults.inject({ response: { preset: "forbidden", message: "no deals for you" } });
    expect((await h.call("GET", "/api/v2/deals")).status).toBe(503);
    const daily = await h.call("GET", "/api/v2/deals");
    expect(daily.body).toEqual({ success: false, error: "daily request budget exceeded", errorCode: 429 });
    expect(daily.headers.get("retry-after")).toBe("120");
    expect((await h.call("GET", "/api/v2/deals")).body.error).toBe("no deals for you");
    expect(() => h.emulator.faults.inject({ response: { preset: "server", status: 418 } })).toThrow(/status/);
    expect(() => h.emulator.faults.inject({ response: "teapot" as "server" })).toThrow(/unknown preset/);
  });

  it("drops connections and parks requests until their signal aborts", async () => {
    h = await start("fetch");
    h.emulator.faults.inject({ match: { method: "POST" }, response: "network", times: 2 });
    await expect(h.call("POST", "/api/v2/persons", { name: "A" })).rejects.toThrow(/fetch failed/);
    await expect(h.call("POST", "/api/v2/persons", { name: "A" })).rejects.toThrow(/fetch failed/);
    expect((await h.call("POST", "/api/v2/persons", { name: "A" })).status).toBe(200);
    h.emulator.faults.inject({ response: "timeout" });
    const controller = new AbortController();
    const pending = h.emulator.fetch("https://api.pipedrive.com/api/v2/persons", {
      headers: { "x-api-token": "t" },
      signal: controller.signal,
    });
    // Abort only once the request is parked: the shared transport ignores a signal that aborted earlier.
    while (h.emulator.count({ status: "timeout" }) === 0)
      await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(h.emulator.list("persons")).toHaveLength(1);
  });

  it("leaves faulted requests uncharged", async () => {
    h = await start("fetch");
    h.emulator.faults.inject({ response: "server", times: 3 });
    for (let i = 0; i < 3; i++) await h.call("GET", "/api/v2/persons");
    expect(h.emulator.tokensUsed()).toBe(0);
  });
});
