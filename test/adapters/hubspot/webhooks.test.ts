import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseHubSpotWebhook } from "../../../src/adapters/hubspot/webhook-events.js";
import { hubSpotV3Uri, verifyHubSpotSignature } from "../../../src/adapters/hubspot/webhooks.js";

// Test vectors from vendor-facts §1.6.
const SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
const V1_BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const URI = "https://www.example.com/webhook_uri";
const EXAMPLE_BODY = '{"example_field":"example_value"}';
const TS = 1_700_000_000_000;

const verify = (overrides: Partial<Parameters<typeof verifyHubSpotSignature>[0]>) =>
  verifyHubSpotSignature({
    method: "POST",
    url: URI,
    rawBody: "",
    headers: {},
    clientSecret: SECRET,
    ...overrides,
  });

describe("verifyHubSpotSignature", () => {
  it("accepts HubSpot's v1 example", () => {
    const result = verify({
      rawBody: V1_BODY,
      headers: {
        "X-HubSpot-Signature": "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de",
        "X-HubSpot-Signature-Version": "v1",
      },
    });
    expect(result._unsafeUnwrap()).toEqual({ version: "v1" });
  });

  it("accepts the SDK's v2 vectors for GET with an empty body and POST with a body", () => {
    const get = verify({
      method: "get",
      headers: new Headers({
        "x-hubspot-signature": "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e",
        "x-hubspot-signature-version": "v2",
      }),
    });
    const post = verify({
      rawBody: Buffer.from(EXAMPLE_BODY),
      headers: {
        "x-hubspot-signature": "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900",
        "x-hubspot-signature-version": "v2",
      },
    });
    expect([get._unsafeUnwrap().version, post._unsafeUnwrap().version]).toEqual(["v2", "v2"]);
  });

  it("accepts the v3 vectors inside the 5-minute window", () => {
    const headers = (signature: string) => ({
      "X-HubSpot-Signature-v3": signature,
      "X-HubSpot-Request-Timestamp": String(TS),
    });
    const a = verify({
      rawBody: EXAMPLE_BODY,
      headers: headers("rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o="),
      now: TS + 299_000,
    });
    const b = verify({
      rawBody: V1_BODY,
      headers: headers("/pXDSgWeGksQpwCsgqd43P0eY6gBIse9UX0tfkudUrE="),
      now: TS,
    });
    expect([a._unsafeUnwrap().version, b._unsafeUnwrap().version]).toEqual(["v3", "v3"]);
  });

  it("rejects a v3 request older than 5 minutes as stale_timestamp, even with a valid signature", () => {
    const result = verify({
      rawBody: EXAMPLE_BODY,
      headers: {
        "X-HubSpot-Signature-v3": "rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=",
        "X-HubSpot-Request-Timestamp": String(TS),
      },
      now: TS + 300_001,
    });
    expect(result._unsafeUnwrapErr().code).toBe("stale_timestamp");
  });

  it("rejects tampered bodies, methods and URIs as invalid_signature for every version", () => {
    const v1 = verify({
      rawBody: V1_BODY.replace("123", "124"),
      headers: { "X-HubSpot-Signature": "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de" },
    });
    const v2 = verify({
      url: `${URI}?x=1`,
      rawBody: EXAMPLE_BODY,
      headers: {
        "X-HubSpot-Signature": "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900",
        "X-HubSpot-Signature-Version": "v2",
      },
    });
    const v3 = verify({
      method: "PUT",
      rawBody: EXAMPLE_BODY,
      headers: {
        "X-HubSpot-Signature-v3": "rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=",
        "X-HubSpot-Request-Timestamp": String(TS),
      },
      now: TS,
    });
    const wrongSecret = verify({
      rawBody: V1_BODY,
      clientSecret: "another-secret",
      headers: { "X-HubSpot-Signature": "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de" },
    });
    for (const result of [v1, v2, v3, wrongSecret])
      expect(result._unsafeUnwrapErr().code).toBe("invalid_signature");
  });

  it("rejects a signature of the wrong length or encoding without throwing", () => {
    const short = verify({ rawBody: V1_BODY, headers: { "X-HubSpot-Signature": "abcd" } });
    const notHex = verify({ rawBody: V1_BODY, headers: { "X-HubSpot-Signature": "zz".repeat(32) } });
    expect([short._unsafeUnwrapErr().code, notHex._unsafeUnwrapErr().code]).toEqual([
      "invalid_signature",
      "invalid_signature",
    ]);
  });

  it("rejects missing signatures, unknown versions and a missing v3 timestamp with their own codes", () => {
    expect(verify({})._unsafeUnwrapErr().code).toBe("missing_signature");
    expect(
      verify({
        headers: { "X-HubSpot-Signature": "ab", "X-HubSpot-Signature-Version": "v9" },
      })._unsafeUnwrapErr().code,
    ).toBe("unsupported_version");
    expect(verify({ headers: { "X-HubSpot-Signature-v3": "ab" } })._unsafeUnwrapErr().code).toBe(
      "invalid_timestamp",
    );
  });

  it("signs v3 over the URI with exactly the twelve documented escapes decoded", () => {
    const url = "https://hooks.example.com/hub%3Aspot%2Fpath?q=%40a%20b%2Cc%3B%21%24%27%28%29%2A%3F#fragment";
    expect(hubSpotV3Uri(url)).toBe("https://hooks.example.com/hub:spot/path?q=@a%20b,c;!$'()*?");
    const signature = createHmac("sha256", SECRET)
      .update(`POST${hubSpotV3Uri(url)}${EXAMPLE_BODY}${TS}`)
      .digest("base64");
    const result = verify({
      url,
      rawBody: EXAMPLE_BODY,
      headers: { "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": String(TS) },
      now: TS,
    });
    expect(result.isOk()).toBe(true);
  });

  it("never puts the client secret into its error messages", () => {
    const result = verify({ rawBody: V1_BODY, headers: { "X-HubSpot-Signature": "00".repeat(32) } });
    expect(result._unsafeUnwrapErr().message).not.toContain(SECRET);
  });
});

describe("parseHubSpotWebhook", () => {
  it("parses HubSpot's example delivery into a typed creation event with delivery metadata", () => {
    const [event] = parseHubSpotWebhook(V1_BODY)._unsafeUnwrap();
    expect(event).toEqual({
      eventId: "1",
      portalId: 62515,
      appId: 54321,
      subscriptionId: 12345,
      occurredAt: "2019-07-26T04:00:00.000Z",
      subscriptionType: "contact.creation",
      objectType: "contact",
      objectId: "123",
      changeSource: "CRM",
      delivery: { attemptNumber: 0 },
      action: "creation",
    });
  });

  it("types property changes, merges and association changes", () => {
    const base = { eventId: 2, portalId: 1, occurredAt: 0, attemptNumber: 3 };
    const events = parseHubSpotWebhook([
      {
        ...base,
        subscriptionType: "deal.propertyChange",
        objectId: 9,
        propertyName: "dealstage",
        propertyValue: "closedwon",
      },
      {
        ...base,
        subscriptionType: "contact.merge",
        objectId: 5,
        primaryObjectId: 5,
        mergedObjectIds: [6, 7],
        newObjectId: 8,
      },
      {
        ...base,
        subscriptionType: "contact.associationChange",
        associationType: "CONTACT_TO_COMPANY",
        fromObjectId: 1,
        toObjectId: 2,
        associationRemoved: true,
      },
      { ...base, subscriptionType: "ticket.somethingNew", objectId: 4 },
    ])._unsafeUnwrap();
    expect(events.map((e) => e.action)).toEqual(["propertyChange", "merge", "associationChange", "other"]);
    const [change, merge, association] = events;
    expect(
      change?.action === "propertyChange" && [
        change.objectType,
        change.propertyName,
        change.propertyValue,
        change.delivery.attemptNumber,
      ],
    ).toEqual(["deal", "dealstage", "closedwon", 3]);
    expect(merge?.action === "merge" && merge.mergedObjectIds).toEqual(["6", "7"]);
    expect(
      association?.action === "associationChange" && [
        association.fromObjectId,
        association.toObjectId,
        association.removed,
      ],
    ).toEqual(["1", "2", true]);
  });

  it("reports every invalid field with its path instead of throwing", () => {
    const result = parseHubSpotWebhook([
      { eventId: 1, occurredAt: "yesterday", subscriptionType: "contact.creation" },
      "nonsense",
    ]);
    const fields = result._unsafeUnwrapErr().issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(["0.portalId", "0.occurredAt", "1"]));
  });

  it("reports a body that is not JSON as one issue", () => {
    expect(
      parseHubSpotWebhook("{not json")
        ._unsafeUnwrapErr()
        .issues.map((i) => i.code),
    ).toEqual(["invalid_json"]);
  });
});
