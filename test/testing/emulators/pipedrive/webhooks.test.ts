import { describe, expect, it } from "vitest";
import { createPipedriveEmulator } from "../../../../src/testing/emulators/pipedrive/index.js";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";

describe("Pipedrive emulator webhookDelivery", () => {
  it("builds a v2 delivery with Basic auth and the meta block", () => {
    const clock = createFakeClock({ start: "2026-04-01T12:00:00.000Z" });
    const emulator = createPipedriveEmulator({ clock, companyId: 42 });
    const delivery = emulator.webhookDelivery({
      event: "change.deal",
      data: { id: 7, title: "New title" },
      previous: { title: "Old title" },
      username: "hook",
      password: "s3cret",
      attempt: 2,
    });
    expect(delivery.headers).toEqual({
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from("hook:s3cret").toString("base64")}`,
    });
    expect(delivery.body.meta).toMatchObject({
      action: "change",
      entity: "deal",
      entity_id: "7",
      company_id: "42",
      timestamp: "2026-04-01T12:00:00.000Z",
      version: "2.0",
      attempt: 2,
      user_id: "1",
      webhook_id: "1",
    });
    expect(delivery.body.meta["id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivery.body.data).toEqual({ id: 7, title: "New title" });
    expect(delivery.body.previous).toEqual({ title: "Old title" });
    expect(JSON.parse(delivery.text)).toEqual(delivery.body);
  });

  it("takes the entity id of a delete from previous and omits auth without credentials", () => {
    const emulator = createPipedriveEmulator();
    const delivery = emulator.webhookDelivery({ event: "delete.person", previous: { id: 3, name: "Gone" } });
    expect(delivery.body.meta["entity_id"]).toBe("3");
    expect(delivery.body.data).toBeNull();
    expect(delivery.headers["authorization"]).toBeUndefined();
  });

  it("throws naming the option for malformed input", () => {
    const emulator = createPipedriveEmulator();
    expect(() => emulator.webhookDelivery({ event: "added.person", data: { id: 1 } })).toThrow(/`event`/);
    expect(() => emulator.webhookDelivery({ event: "create.person" })).toThrow(/`entityId`/);
    expect(() =>
      emulator.webhookDelivery({ event: "create.person", data: { id: 1 }, username: "u" }),
    ).toThrow(/`username` and `password`/);
  });
});
