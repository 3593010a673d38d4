import { afterEach, describe, expect, it } from "vitest";
import { type Harness, start, TRANSPORTS_AND_VERSIONS } from "./helpers.js";

describe.each(TRANSPORTS_AND_VERSIONS)(
  "HubSpot emulator fault injection over %s on %s",
  (transport, version) => {
    let h: Harness;
    afterEach(async () => {
      await h.close();
    });

    it("answers matching requests with a literal response, then recovers", async () => {
      h = await start(transport, {}, version);
      h.emulator.faults.inject({
        match: { method: "GET", path: h.path("/crm/v3/objects/contacts") },
        times: 2,
        response: { status: 502, body: "Bad Gateway", headers: { "x-test": "1" } },
      });
      const replies = [
        await h.call("GET", "/crm/v3/objects/contacts"),
        await h.call("GET", "/crm/v3/objects/contacts"),
      ];
      expect(replies.map((r) => [r.status, r.body, r.headers.get("x-test")])).toEqual([
        [502, "Bad Gateway", "1"],
        [502, "Bad Gateway", "1"],
      ]);
      expect((await h.call("GET", "/crm/v3/objects/contacts")).status).toBe(200);
      expect(h.emulator.count({ status: 502 })).toBe(2);
      expect(h.emulator.requests[0]?.fault).toBe("status 502");
    });

    it("serves a preset for every error class", async () => {
      h = await start(transport, {}, version);
      const cases: [
        Parameters<typeof h.emulator.faults.inject>[0]["response"],
        number,
        Record<string, unknown>,
      ][] = [
        ["locked", 423, { category: "LOCKED" }],
        [{ preset: "migration", retryAfterSeconds: 30 }, 477, { category: "MIGRATION_IN_PROGRESS" }],
        [{ preset: "server", status: 503 }, 503, { status: "error" }],
        ["rateLimit", 429, { policyName: "TEN_SECONDLY_ROLLING" }],
        ["dailyLimit", 429, { policyName: "DAILY" }],
        ["searchLimit", 429, { message: "You have reached your secondly limit." }],
        ["expired", 401, { category: "EXPIRED_AUTHENTICATION" }],
        ["invalidToken", 401, { category: "INVALID_AUTHENTICATION" }],
        ["missingScope", 403, { category: "MISSING_SCOPES" }],
        ["conflict", 409, { category: "CONFLICT", message: "Contact already exists. Existing ID: 1" }],
        ["notFound", 404, { category: "OBJECT_NOT_FOUND" }],
        ["validation", 400, { category: "VALIDATION_ERROR" }],
        ["invalidOption", 400, { category: "VALIDATION_ERROR" }],
      ];
      for (const [response, status, body] of cases) {
        h.emulator.faults.inject({ response });
        const res = await h.call("GET", "/crm/v3/owners");
        expect(res.status).toBe(status);
        expect(res.body).toMatchObject(body);
        if (status === 477) expect(res.headers.get("retry-after")).toBe("30");
      }
      expect(() => h.emulator.faults.inject({ response: { preset: "server", status: 418 } })).toThrow(
        /status/,
      );
      h.emulator.faults.inject({ response: "server" });
      expect((await h.call("GET", "/crm/v3/owners")).status).toBe(500);
    });

    it("drops the connection for a network fault", async () => {
      h = await start(transport, {}, version);
      h.emulator.faults.inject({ match: { path: h.path("/crm/v3/owners") }, response: "network" });
      await expect(h.call("GET", "/crm/v3/owners")).rejects.toThrow(TypeError);
      expect(h.emulator.requests[0]?.status).toBe("network");
      expect((await h.call("GET", "/crm/v3/owners")).status).toBe(200);
    });

    it("never answers a timeout fault; the caller's abort signal ends the request", async () => {
      h = await start(transport, {}, version);
      h.emulator.faults.inject({ response: "timeout" });
      const controller = new AbortController();
      const base = transport === "http" ? (h.emulator.url as string) : "https://api.hubapi.com";
      const doFetch = transport === "http" ? globalThis.fetch : h.emulator.fetch;
      const pending = doFetch(`${base}/crm/v3/owners`, {
        headers: { authorization: "Bearer t" },
        signal: controller.signal,
      });
      // Wait until the emulator has received the request, whatever the machine's load.
      while (h.emulator.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
      expect(h.emulator.requests[0]?.status).toBe("timeout");
    });
  },
);
