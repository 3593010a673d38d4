import { describe, expect, it } from "vitest";
import {
  CONTRACT_MAJOR_VERSION,
  CONTRACT_VERSION,
  isSupportedContractVersion,
} from "../../src/contract/index.js";

describe("CONTRACT_VERSION", () => {
  it("is a major.minor string whose major is CONTRACT_MAJOR_VERSION", () => {
    expect(CONTRACT_VERSION).toBe("1.0");
    expect(CONTRACT_VERSION.split(".")[0]).toBe(String(CONTRACT_MAJOR_VERSION));
  });

  it.each([
    ["1.0", true],
    ["1.12", true],
    ["2.0", false],
    ["0.9", false],
    ["01.0", false],
    ["1", false],
    ["1.0.0", false],
    ["v1.0", false],
  ])("isSupportedContractVersion(%j) is %s", (version, supported) => {
    expect(isSupportedContractVersion(version)).toBe(supported);
  });
});
