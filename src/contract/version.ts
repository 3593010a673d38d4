/**
 * The version of the canonical event contract this crmkit understands, sent by producers as `contract_version`.
 * Minor versions only add optional fields, so any `1.x` is accepted; a different major version is an issue.
 *
 * @example
 * const event = { event_type: "lead.submitted", contract_version: CONTRACT_VERSION, ... };
 */
export const CONTRACT_VERSION = "1.0";

/** The major part of {@link CONTRACT_VERSION}: events whose `contract_version` starts with it are accepted. */
export const CONTRACT_MAJOR_VERSION = 1;

// `major.minor` with exactly this major: the same as reading the major with /^(\d+)\.\d+$/ and comparing it,
// without a match array per event.
const SUPPORTED_VERSION = new RegExp(`^${CONTRACT_MAJOR_VERSION}\\.\\d+$`);

/**
 * True when `version` is a `major.minor` string whose major equals {@link CONTRACT_MAJOR_VERSION}.
 *
 * @example
 * isSupportedContractVersion("1.3"); // true
 * isSupportedContractVersion("2.0"); // false
 */
export function isSupportedContractVersion(version: string): boolean {
  return SUPPORTED_VERSION.test(version);
}
