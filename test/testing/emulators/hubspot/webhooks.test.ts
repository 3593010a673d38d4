import { describe, expect, it } from "vitest";
import {
  createHubSpotEmulator,
  signHubSpotWebhook,
} from "../../../../src/testing/emulators/hubspot/index.js";
import { createFakeClock } from "../../../../src/testing/fake-clock.js";

// Test vectors from vendor-facts §1.6.
const secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
const v1Body =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const exampleBody = '{"example_field":"example_value"}';
const uri = "https://www.example.com/webhook_uri";

describe("HubSpot webhook signing", () => {
  it("matches the v1 vector", () => {
    expect(signHubSpotWebhook({ version: "v1", clientSecret: secret, body: v1Body })).toEqual({
      "X-HubSpot-Signature": "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de",
      "X-HubSpot-Signature-Version": "v1",
    });
  });

  it("matches both v2 vectors", () => {
    expect(
      signHubSpotWebhook({ version: "v2", clientSecret: secret, method: "GET", url: uri })[
        "X-HubSpot-Signature"
      ],
    ).toBe("eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e");
    expect(
      signHubSpotWebhook({
        version: "v2",
        clientSecret: secret,
        method: "POST",
        url: uri,
        body: exampleBody,
      })["X-HubSpot-Signature"],
    ).toBe("9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900");
  });

  it("matches both v3 vectors and sends the timestamp header", () => {
    expect(
      signHubSpotWebhook({
        version: "v3",
        clientSecret: secret,
        method: "POST",
        url: uri,
        body: exampleBody,
        timestamp: 1700000000000,
      }),
    ).toEqual({
      "X-HubSpot-Signature-v3": "rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=",
      "X-HubSpot-Request-Timestamp": "1700000000000",
    });
    expect(
      signHubSpotWebhook({
        version: "v3",
        clientSecret: secret,
        method: "POST",
        url: uri,
        body: v1Body,
        timestamp: 1700000000000,
      })["X-HubSpot-Signature-v3"],
    ).toBe("/pXDSgWeGksQpwCsgqd43P0eY6gBIse9UX0tfkudUrE=");
  });

  it("signs v3 URIs with the twelve reserved escapes decoded and others kept", () => {
    const encoded = signHubSpotWebhook({
      version: "v3",
      clientSecret: secret,
      url: `${uri}?a=b%3Ac%20d`,
      timestamp: 1,
    });
    const decoded = signHubSpotWebhook({
      version: "v3",
      clientSecret: secret,
      url: `${uri}?a=b:c%20d`,
      timestamp: 1,
    });
    const other = signHubSpotWebhook({
      version: "v3",
      clientSecret: secret,
      url: `${uri}?a=b:c d`,
      timestamp: 1,
    });
    expect(encoded).toEqual(decoded);
    expect(other["X-HubSpot-Signature-v3"]).not.toBe(decoded["X-HubSpot-Signature-v3"]);
  });

  it("defaults to the emulator's client secret and clock", () => {
    const clock = createFakeClock({ start: 1700000000000 });
    const emulator = createHubSpotEmulator({ clock, oauth: { clientId: "c", clientSecret: secret } });
    expect(
      emulator.signWebhook({ version: "v3", method: "POST", url: uri, body: exampleBody })[
        "X-HubSpot-Signature-v3"
      ],
    ).toBe("rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=");
    expect(() => createHubSpotEmulator().signWebhook({ version: "v1" })).toThrow(/`clientSecret`/);
  });
});
