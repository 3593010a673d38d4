import { describe, expect, it } from "vitest";
import { createOptionChecks, isTimeZone } from "../../src/adapter/index.js";

describe("createOptionChecks", () => {
  const check = createOptionChecks({ factory: "createAcmeAdapter" });

  it("names the factory and the option in every TypeError, and passes options that are not given", () => {
    expect(() => check.httpUrl("baseUrl", "ftp://x")).toThrow(
      new TypeError("createAcmeAdapter: option `baseUrl` must be an absolute http(s) URL"),
    );
    expect(() => check.nonEmptyString("apiToken", "  ")).toThrow(
      /option `apiToken` must be a non-empty string/,
    );
    expect(() => check.nonNegative({ timeoutMs: -1 })).toThrow(
      /option `timeoutMs` must be a finite number ≥ 0/,
    );
    expect(() => check.nonNegative({ timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
    expect(() => check.oneOf("apiVersion", "v9", ["v1", "v2"])).toThrow(/must be "v1" or "v2"/);
    expect(() => check.timeZone("timeZone", "Mars/Olympus")).toThrow(/not an IANA time zone: Mars\/Olympus/);
    expect(() => check.tokenProvider("tokenProvider", {} as never)).toThrow(/getToken\(\) method/);
    expect(() => check.object(null)).toThrow(/option `options` must be an object/);
    for (const pass of [
      () => check.httpUrl("baseUrl", undefined),
      () => check.nonEmptyString("apiToken", undefined),
      () => check.nonNegative({ timeoutMs: undefined, retries: 0 }),
      () => check.oneOf("apiVersion", undefined, ["v1"]),
      () => check.timeZone("timeZone", "Europe/Berlin"),
    ])
      expect(pass).not.toThrow();
  });

  it("wants exactly one credential and names the first in its message", () => {
    const message = /option `apiToken` — give exactly one of `apiToken` or `tokenProvider`/;
    expect(() => check.exactlyOne({ apiToken: undefined, tokenProvider: undefined })).toThrow(message);
    expect(() => check.exactlyOne({ apiToken: "t", tokenProvider: { getToken: () => "t" } })).toThrow(
      message,
    );
    expect(() => check.exactlyOne({ apiToken: "t", tokenProvider: undefined })).not.toThrow();
  });

  it("isTimeZone knows IANA zones and UTC, and refuses anything else", () => {
    expect([isTimeZone("UTC"), isTimeZone("America/New_York"), isTimeZone("Nowhere/Else")]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
