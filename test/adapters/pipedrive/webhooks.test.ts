import { describe, expect, it } from "vitest";
import { parsePipedriveWebhook, verifyPipedriveWebhook } from "../../../src/adapters/pipedrive/index.js";
import { createPipedriveEmulator } from "../../../src/testing/emulators/pipedrive/index.js";
import { createFakeClock } from "../../../src/testing/fake-clock.js";

const emulator = createPipedriveEmulator({ clock: createFakeClock({ start: "2026-03-02T09:00:00.000Z" }) });
const delivery = (input: Parameters<typeof emulator.webhookDelivery>[0]) => emulator.webhookDelivery(input);

describe("verifyPipedriveWebhook", () => {
  const hook = delivery({
    event: "create.person",
    data: { id: 7, name: "Ada" },
    username: "crmkit",
    password: "s3cret:pw",
  });

  it("accepts the Basic-auth credentials configured on the webhook", () => {
    const result = verifyPipedriveWebhook({
      headers: hook.headers,
      username: "crmkit",
      password: "s3cret:pw",
    });
    expect(result._unsafeUnwrap()).toEqual({ username: "crmkit" });
  });

  it("reads the header from a WHATWG Headers object and from any letter case", () => {
    expect(
      verifyPipedriveWebhook({
        headers: new Headers(hook.headers),
        username: "crmkit",
        password: "s3cret:pw",
      }).isOk(),
    ).toBe(true);
    const upper = { Authorization: hook.headers["authorization"] as string };
    expect(verifyPipedriveWebhook({ headers: upper, username: "crmkit", password: "s3cret:pw" }).isOk()).toBe(
      true,
    );
  });

  it("rejects a wrong password or user as invalid_credentials without echoing either", () => {
    for (const [username, password] of [
      ["crmkit", "wrong"],
      ["other", "s3cret:pw"],
      ["crmkit", "s3cret:pw "],
    ] as const) {
      const error = verifyPipedriveWebhook({ headers: hook.headers, username, password })._unsafeUnwrapErr();
      expect(error.code).toBe("invalid_credentials");
      expect(error.message).not.toContain("s3cret");
    }
  });

  it("rejects a delivery without Basic auth as missing_credentials", () => {
    const bare = delivery({ event: "create.person", data: { id: 7 } });
    expect(
      verifyPipedriveWebhook({ headers: bare.headers, username: "u", password: "p" })._unsafeUnwrapErr().code,
    ).toBe("missing_credentials");
    expect(
      verifyPipedriveWebhook({
        headers: { authorization: "Bearer abc" },
        username: "u",
        password: "p",
      })._unsafeUnwrapErr().code,
    ).toBe("missing_credentials");
  });

  it("refuses empty expected credentials instead of accepting an empty header", () => {
    expect(
      verifyPipedriveWebhook({ headers: hook.headers, username: "", password: "" })._unsafeUnwrapErr().code,
    ).toBe("invalid_input");
  });
});

describe("parsePipedriveWebhook", () => {
  it("parses a v2 create delivery into a typed event with crmkit's object type", () => {
    const hook = delivery({ event: "create.person", data: { id: 7, name: "Ada" }, attempt: 2, webhookId: 9 });
    const event = parsePipedriveWebhook(hook.text)._unsafeUnwrap();
    expect(event).toMatchObject({
      action: "create",
      entity: "person",
      objectType: "contact",
      entityId: "7",
      occurredAt: "2026-03-02T09:00:00.000Z",
      changeSource: "api",
      isBulkEdit: false,
      data: { id: 7, name: "Ada" },
      delivery: { attempt: 2, webhookId: "9" },
    });
    expect(event.eventId).toBe(hook.body.meta["id"]);
  });

  it("parses change events with previous values and delete events with the removed record", () => {
    const change = parsePipedriveWebhook(
      delivery({ event: "change.deal", data: { id: 3, status: "won" }, previous: { status: "open" } }).body,
    )._unsafeUnwrap();
    expect(change.action === "change" && [change.objectType, change.previous]).toEqual([
      "deal",
      { status: "open" },
    ]);
    const removed = parsePipedriveWebhook(
      delivery({ event: "delete.organization", previous: { id: 4, name: "Gone" } }).text,
    )._unsafeUnwrap();
    expect(removed.action === "delete" && [removed.objectType, removed.entityId, removed.previous]).toEqual([
      "company",
      "4",
      { id: 4, name: "Gone" },
    ]);
  });

  it("accepts bytes and keeps entities crmkit does not model", () => {
    const hook = delivery({ event: "create.lead", data: { id: "a1b2" }, entityId: "a1b2" });
    const event = parsePipedriveWebhook(new TextEncoder().encode(hook.text))._unsafeUnwrap();
    expect([event.entity, event.objectType, event.entityId]).toEqual(["lead", undefined, "a1b2"]);
  });

  it("reports every problem with its path, and rejects v1 payloads and invalid JSON", () => {
    const issues = parsePipedriveWebhook({ meta: { action: "explode", version: "2.0" } })._unsafeUnwrapErr()
      .issues;
    expect(issues.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["meta.action", "meta.entity", "meta.entity_id"]),
    );
    const v1 = parsePipedriveWebhook({ meta: { action: "added", object: "person", v: 1 }, current: {} });
    expect(v1.isErr()).toBe(true);
    expect(parsePipedriveWebhook("{nope")._unsafeUnwrapErr().issues[0]?.code).toBe("invalid_json");
    const noData = parsePipedriveWebhook({
      meta: { action: "create", entity: "deal", entity_id: "1", version: "2.0" },
      data: null,
    });
    expect(noData._unsafeUnwrapErr().issues.map((i) => i.path)).toEqual([["data"]]);
  });
});
