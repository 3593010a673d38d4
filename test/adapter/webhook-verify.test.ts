import { describe, expect, it } from "vitest";
import { readHeader, safeEqual } from "../../src/adapter/index.js";

describe("webhook helpers", () => {
  it("readHeader reads WHATWG Headers and Node-style records, case-insensitively, first of repeated values", () => {
    expect(readHeader(new Headers({ "X-Sig": "a" }), "x-sig")).toBe("a");
    expect(readHeader({ "X-Sig": ["a", "b"] }, "x-sig")).toBe("a");
    expect(readHeader({ other: "x" }, "x-sig")).toBeUndefined();
  });

  it("safeEqual compares digests and treats a length mismatch as a mismatch instead of throwing", () => {
    const digest = new Uint8Array([1, 2, 3]);
    expect(safeEqual(digest, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(safeEqual(digest, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(safeEqual(digest, new Uint8Array([1, 2]))).toBe(false);
  });
});
