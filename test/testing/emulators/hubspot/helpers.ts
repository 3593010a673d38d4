import { HUBSPOT_API_VERSIONS, type HubSpotApiVersion } from "../../../../src/adapters/hubspot/paths.js";
import {
  createHubSpotEmulator,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
} from "../../../../src/testing/emulators/hubspot/index.js";
import { atVersion } from "../../../adapters/hubspot/legacy-paths.js";
import {
  type Harness as EmulatorHarness,
  startHarness,
  TRANSPORTS,
  type Transport,
} from "../common-helpers.js";

export { type Reply, TRANSPORTS, type Transport } from "../common-helpers.js";

/**
 * A started HubSpot emulator plus a JSON client; `token: null` sends no `authorization` header. Calls name legacy
 * paths (`/crm/v3/…`, `/crm/v4/…`); they are sent in the harness's API `version`, and `path` rewrites one the same way
 * (for request-log matchers and fault matches).
 */
export type Harness = EmulatorHarness<HubSpotEmulator, { token?: string | null }> & {
  readonly version: HubSpotApiVersion;
  path(legacyPath: string): string;
};

/** Every transport in every API version, for `describe.each` with `"%s on %s"`. */
export const TRANSPORTS_AND_VERSIONS: readonly [Transport, HubSpotApiVersion][] = TRANSPORTS.flatMap(
  (transport) => HUBSPOT_API_VERSIONS.map((version): [Transport, HubSpotApiVersion] => [transport, version]),
);

/** Creates an emulator and a client for `transport` in `version`; the token defaults to `"test-token"`. */
export async function start(
  transport: Transport,
  options: HubSpotEmulatorOptions = {},
  version: HubSpotApiVersion = "v3",
): Promise<Harness> {
  const path = atVersion(version);
  const harness = await startHarness<HubSpotEmulator, { token?: string | null }>(
    transport,
    createHubSpotEmulator(options),
    {
      apiBase: "https://api.hubapi.com",
      authorize(init, headers) {
        const token = init?.token === undefined ? "test-token" : init.token;
        if (token !== null) headers["authorization"] = `Bearer ${token}`;
      },
    },
  );
  return {
    ...harness,
    version,
    path,
    call: (method, legacyPath, body, init) => harness.call(method, path(legacyPath), body, init),
  };
}
