import { describe, expect, it } from "vitest";
import { createMetadataCache } from "../../src/executor/metadata-cache.js";

describe("createMetadataCache", () => {
  it("reads each kind of metadata once, sharing an in-flight read between concurrent callers", async () => {
    const cache = createMetadataCache();
    let reads = 0;
    const read = async () => {
      reads++;
      return [];
    };
    await Promise.all([
      cache.owners(read),
      cache.owners(read),
      cache.fields("contact", read),
      cache.fields("deal", read),
    ]);
    await cache.owners(read);
    expect(reads).toBe(3);
  });

  it("forgets a failed read so the next caller tries again", async () => {
    const cache = createMetadataCache();
    await expect(cache.pipelines("deal", () => Promise.reject(new Error("502")))).rejects.toThrow("502");
    await expect(cache.pipelines("deal", async () => [])).resolves.toEqual([]);
  });
});
