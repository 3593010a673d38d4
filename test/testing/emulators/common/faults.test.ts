import { describe, expect, it } from "vitest";
import { createFaultInjector } from "../../../../src/testing/emulators/common/faults.js";

const injector = () =>
  createFaultInjector<"locked">({
    presets: ["locked"],
    resolvePreset: (o) => ({ status: 423, body: { preset: o.preset } }),
  });

describe("createFaultInjector", () => {
  it("fails one matching request by default, then is spent", () => {
    const faults = injector();
    faults.inject({ match: { method: "post", path: "/crm" }, response: { status: 503 } });
    expect(faults.take("GET", "/crm/v3")).toBeUndefined();
    expect(faults.take("POST", "/crm/v3")).toMatchObject({ kind: "response", response: { status: 503 } });
    expect(faults.take("POST", "/crm/v3")).toBeUndefined();
    expect(faults.pending()).toBe(0);
  });

  it("matches paths by RegExp and honours times", () => {
    const faults = injector();
    const handle = faults.inject({ match: { path: /search$/ }, times: 2, response: "locked" });
    expect(faults.take("POST", "/crm/v3/objects/contacts/search")).toMatchObject({
      label: "locked",
      response: { status: 423 },
    });
    expect(handle.remaining()).toBe(1);
    expect(faults.take("POST", "/crm/v3/objects/contacts")).toBeUndefined();
    expect(faults.take("POST", "/x/search")).toBeDefined();
    expect(faults.take("POST", "/x/search")).toBeUndefined();
  });

  it("returns timeout and network outcomes", () => {
    const faults = injector();
    faults.inject({ response: "timeout" });
    faults.inject({ response: "network" });
    expect(faults.take("GET", "/")).toEqual({ kind: "timeout", label: "timeout" });
    expect(faults.take("GET", "/")).toEqual({ kind: "network", label: "network" });
  });

  it("can be cancelled and cleared", () => {
    const faults = injector();
    faults.inject({ response: { status: 500 } }).cancel();
    expect(faults.take("GET", "/")).toBeUndefined();
    faults.inject({ times: Number.POSITIVE_INFINITY, response: { status: 500 } });
    expect(faults.take("GET", "/")).toBeDefined();
    expect(faults.take("GET", "/")).toBeDefined();
    faults.clear();
    expect(faults.take("GET", "/")).toBeUndefined();
  });

  it("throws on an unknown preset or a bad times value, naming the option", () => {
    const faults = injector();
    // @ts-expect-error unknown preset name
    expect(() => faults.inject({ response: "nope" })).toThrow(/`response`/);
    expect(() => faults.inject({ times: 0, response: "locked" })).toThrow(/`times`/);
  });
});
