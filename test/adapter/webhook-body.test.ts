import { describe, expect, it } from "vitest";
import { parseWebhookJson } from "../../src/adapter/index.js";

describe("parseWebhookJson", () => {
  it("parseWebhookJson takes text, UTF-8 bytes or parsed JSON and reports bad JSON as a ContractError", () => {
    expect(parseWebhookJson('{"a":1}')._unsafeUnwrap()).toEqual({ a: 1 });
    expect(parseWebhookJson(new TextEncoder().encode('[{"a":"é"}]'))._unsafeUnwrap()).toEqual([{ a: "é" }]);
    expect(parseWebhookJson({ a: 1 })._unsafeUnwrap()).toEqual({ a: 1 });
    const error = parseWebhookJson("{nope")._unsafeUnwrapErr();
    expect(error.issues[0]?.code).toBe("invalid_json");
  });
});
