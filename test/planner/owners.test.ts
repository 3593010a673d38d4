import { describe, expect, it } from "vitest";
import { resolveOwner, routeOwner, stableHash } from "../../src/planner/owners.js";
import { createPlanPolicy } from "../../src/planner/policy.js";
import { owners } from "./builders.js";

describe("stableHash", () => {
  it("is the 32-bit FNV-1a of the text", () => {
    expect(stableHash("")).toBe(0x811c9dc5);
    expect(stableHash("a")).toBe(0xe40c292c);
    expect(stableHash("foobar")).toBe(0xbf9cf968);
  });
});

describe("routeOwner", () => {
  const rules = [
    { tier: "priority", role: ["ae", "se"], owner: "ann@acme.test" },
    { tier: ["standard", "nurture"], owner: ["7", "8", "10"] },
    { owner: "lead@acme.test" },
  ];

  it.each([
    [{ tier: "priority", role: "se" }, "ann@acme.test"],
    [{ tier: "priority", role: "csm" }, "lead@acme.test"],
    [{ tier: "priority" }, "lead@acme.test"],
    [undefined, "lead@acme.test"],
  ])("routes %o to %s (first matching rule)", (routing, owner) => {
    expect(routeOwner(rules, routing, "k")?.ref).toBe(owner);
  });

  it("picks round robin by the idempotency key's hash", () => {
    expect(routeOwner(rules, { tier: "standard" }, "k1")?.ref).toBe(["7", "8", "10"][stableHash("k1") % 3]);
  });

  it("returns nothing when no rule matches", () => {
    expect(routeOwner(rules.slice(0, 1), { tier: "nurture" }, "k")).toBeUndefined();
  });
});

describe("resolveOwner", () => {
  const withFallback = createPlanPolicy({ fallbackOwner: "lead@acme.test" });
  const inactiveFallback = createPlanPolicy({ fallbackOwner: "gone@acme.test" });
  const none = createPlanPolicy();

  it.each([
    ["an active owner by email", "ANN@acme.test", withFallback, "assigned", "7"],
    ["an active owner by id", "8", none, "assigned", "8"],
    ["an inactive owner with a fallback", "gone@acme.test", withFallback, "assigned", "10"],
    ["an unknown owner with a fallback", "who@acme.test", withFallback, "assigned", "10"],
    ["an inactive owner without a fallback", "9", none, "review", undefined],
    ["an inactive owner with an inactive fallback", "9", inactiveFallback, "review", undefined],
    ["no owner without a fallback", undefined, none, "unassigned", undefined],
    ["no owner with a fallback", undefined, withFallback, "assigned", "10"],
  ] as const)("%s → %s", (_, ref, policy, kind, id) => {
    const result = resolveOwner(owners, ref, policy, "test");
    expect(result.kind).toBe(kind);
    if (result.kind === "assigned") expect(result.owner.id).toBe(id);
  });

  it("reviews every owner when the snapshot has no owners", () => {
    expect(resolveOwner(undefined, "7", none, "test").kind).toBe("review");
  });
});
