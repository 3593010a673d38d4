import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CrmError, redact } from "../../src/errors/index.js";
import { type AuditJson, toAuditJson } from "../../src/journal/index.js";
import { toAuditJsonSharing } from "../../src/journal/json.js";

// The conversion as it was first written, in two passes (convert to JSON, then redact the copy): toAuditJson does
// both in one walk with shortcuts and must store exactly what this stores.
function reference(input: unknown, secrets: readonly string[] = []): AuditJson {
  const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  const text = (value: string) => value.replaceAll(String.fromCharCode(0), "\uFFFD").replace(LONE, "\uFFFD");
  const plain = (raw: unknown, depth: number, stack: Set<object>): AuditJson | undefined => {
    let value = raw;
    if (value instanceof Uint8Array) return text(new TextDecoder().decode(value));
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (
      typeof value === "object" &&
      value !== null &&
      typeof (value as { toJSON?: unknown }).toJSON === "function"
    )
      value = (value as { toJSON(): unknown }).toJSON();
    if (value instanceof Error) value = { name: value.name, message: value.message };
    switch (typeof value) {
      case "string":
        return text(value);
      case "number":
        return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
      case "boolean":
        return value;
      case "bigint":
        return value.toString();
      case "undefined":
      case "function":
      case "symbol":
        return undefined;
    }
    if (value === null) return null;
    const object = value as object;
    if (stack.has(object)) return "[Circular]";
    if (depth >= 64) return "[Truncated]";
    stack.add(object);
    try {
      if (Array.isArray(object)) return object.map((item) => plain(item, depth + 1, stack) ?? null);
      if (object instanceof Map) return plain(Object.fromEntries(object), depth + 1, stack);
      if (object instanceof Set) return plain([...object], depth + 1, stack);
      const out: { [key: string]: AuditJson } = {};
      for (const [key, item] of Object.entries(object)) {
        const converted = plain(item, depth + 1, stack);
        if (converted === undefined) continue;
        Object.defineProperty(out, text(key), {
          value: converted,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    } finally {
      stack.delete(object);
    }
  };
  return redact(plain(input, 0, new Set()) ?? null, { secrets, maxDepth: 66 });
}

// Text that exercises every rule of redaction and of the text clean-up, pieced together at random.
const fragment = fc.constantFrom(
  "Bearer ",
  "bearer\t",
  "Basic ",
  "Zoho-oauthtoken ",
  "Token ",
  "token\n",
  "abc.DEF-123",
  "=",
  "?",
  "&",
  "api_token=",
  "hapikey=",
  "access_token=",
  "refresh_token=",
  "client_secret=",
  "token=",
  "apikey=",
  "api_key=",
  "code=",
  "password=",
  "PASSWORD=",
  "s3cr3t-value",
  "[REDACTED]",
  "email = a@b.test",
  String.fromCharCode(0),
  "\uD800",
  "\uDC00",
  "\uD83D\uDE00",
  " ",
  "x",
);
const tricky = fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join(""));
const key = fc.oneof(
  tricky,
  fc.constantFrom("authorization", "X-API-Token", "apiToken", "password", "__proto__", "name", "token"),
);
const { value: anyValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    tricky,
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt(),
    fc.date({ noInvalidDate: false }),
    tricky.map((text) => new TextEncoder().encode(text)),
    tricky.map((message) => new Error(message)),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4 }),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 3 }).map((entries) => new Map(entries)),
    fc.array(tie("value"), { maxLength: 3 }).map((items) => new Set(items)),
  ),
}));

describe("toAuditJson", () => {
  it("keeps a CrmError's reason and action by serializing it with toJSON", () => {
    const json = toAuditJson(new CrmError({ reason: "rate_limited", provider: "hubspot", status: 429 }));
    expect(json).toMatchObject({ name: "CrmError", reason: "rate_limited", action: "retry", status: 429 });
  });

  it("converts dates, bytes, bigints, maps, sets and non-finite numbers to JSON", () => {
    expect(
      toAuditJson({
        at: new Date(0),
        bytes: new TextEncoder().encode("héllo"),
        big: 12n,
        map: new Map([["a", 1]]),
        set: new Set([1, 2]),
        nan: Number.NaN,
        gone: undefined,
        fn: () => 1,
        list: [undefined, 1],
      }),
    ).toEqual({
      at: "1970-01-01T00:00:00.000Z",
      bytes: "héllo",
      big: "12",
      map: { a: 1 },
      set: [1, 2],
      nan: null,
      list: [null, 1],
    });
  });

  it("turns cycles into [Circular] and never changes an object's prototype through __proto__", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic["self"] = cyclic;
    expect(toAuditJson(cyclic)).toEqual({ name: "loop", self: "[Circular]" });
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const stored = toAuditJson(hostile) as Record<string, unknown>;
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.hasOwn(stored, "__proto__")).toBe(true);
  });

  it("redacts credential keys and bearer tokens", () => {
    expect(toAuditJson({ Authorization: "Bearer abc.def", note: "Bearer xyz123", api_key: 42 })).toEqual({
      Authorization: "[REDACTED]",
      note: "Bearer [REDACTED]",
      api_key: "[REDACTED]",
    });
  });

  it("stores exactly what converting to JSON and then redacting stores, for any value and any secrets", () => {
    fc.assert(
      fc.property(
        anyValue,
        fc.array(fc.oneof(tricky, fc.constant("s3cr3t-value")), { maxLength: 2 }),
        (value, secrets) => {
          expect(toAuditJson(value, { secrets })).toStrictEqual(reference(value, secrets));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("stores cycles, deep nesting, sparse arrays and text made from non-strings as the two-pass conversion did", () => {
    const cyclic: Record<string, unknown> = { token: "x" };
    cyclic["self"] = { back: cyclic, list: [cyclic] };
    let deep: unknown = "bottom";
    for (let i = 0; i < 70; i++) deep = i % 2 === 0 ? { next: deep } : [deep];
    // biome-ignore lint/suspicious/noSparseArray: holes are the point of this case
    const sparse = [1, , 3];
    const secrets = ["Circular", "Truncated", "234567", "1970-01"];
    const values = [cyclic, deep, sparse, new Map([[1, cyclic]]), { toJSON: () => "Bearer abc" }];
    for (const value of [...values, { big: 1234567n, at: new Date(0) }]) {
      expect(toAuditJson(value, { secrets })).toStrictEqual(reference(value, secrets));
    }
  });

  it("converts a value and one of its parts as converting each alone would, however deep or cyclic", () => {
    fc.assert(
      fc.property(anyValue, fc.nat(70), fc.boolean(), (part, depth, cyclic) => {
        let inner: unknown = { part };
        for (let i = 0; i < depth; i++) inner = i % 2 === 0 ? { next: inner } : [inner];
        const outer: Record<string, unknown> = { before: part, trace: inner, after: [inner] };
        if (cyclic) (inner as Record<string, unknown>)["back"] = outer;
        const [outerJson, innerJson] = toAuditJsonSharing(outer, inner, { secrets: ["s3cr3t-value"] });
        expect(outerJson).toStrictEqual(toAuditJson(outer, { secrets: ["s3cr3t-value"] }));
        expect(innerJson).toStrictEqual(toAuditJson(inner, { secrets: ["s3cr3t-value"] }));
      }),
      { numRuns: 300 },
    );
  });

  it("is idempotent and its output survives a JSON round trip unchanged, for any JSON input", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = toAuditJson(value);
        expect(toAuditJson(once)).toEqual(once);
        expect(JSON.parse(JSON.stringify(once))).toEqual(once);
      }),
    );
  });
});
