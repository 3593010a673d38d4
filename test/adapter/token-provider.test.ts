import { describe, expect, it } from "vitest";
import { staticToken } from "../../src/adapter/index.js";
import { isTokenProvider } from "../../src/adapter/token-provider.js";

describe("staticToken", () => {
  it("always returns the same token, with Bearer unless a scheme is given, and cannot be invalidated", async () => {
    const plain = staticToken("pat-na1-123");
    expect(await plain.getToken()).toEqual({ value: "pat-na1-123" });
    expect(await staticToken("t0ken", { scheme: "Token" }).getToken()).toEqual({
      value: "t0ken",
      scheme: "Token",
    });
    expect(plain.invalidate).toBeUndefined();
  });

  it("throws at construction for an empty token", () => {
    expect(() => staticToken(" ")).toThrow(/`value`/);
  });
});

describe("isTokenProvider", () => {
  it("recognises objects with a getToken function", () => {
    expect(isTokenProvider(staticToken("abc"))).toBe(true);
    expect(isTokenProvider("abc")).toBe(false);
    expect(isTokenProvider({ getToken: "no" })).toBe(false);
  });
});
