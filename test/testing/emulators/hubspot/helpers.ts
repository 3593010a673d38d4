import {
  createHubSpotEmulator,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
} from "../../../../src/testing/emulators/hubspot/index.js";
import { type Harness as EmulatorHarness, startHarness, type Transport } from "../common-helpers.js";

export { type Reply, TRANSPORTS, type Transport } from "../common-helpers.js";

/** A started HubSpot emulator plus a JSON client; `token: null` sends no `authorization` header. */
export type Harness = EmulatorHarness<HubSpotEmulator, { token?: string | null }>;

/** Creates an emulator and a client for `transport`; the token defaults to `"test-token"`. */
export async function start(transport: Transport, options: HubSpotEmulatorOptions = {}): Promise<Harness> {
  return startHarness(transport, createHubSpotEmulator(options), {
    apiBase: "https://api.hubapi.com",
    authorize(init, headers) {
      const token = init?.token === undefined ? "test-token" : init.token;
      if (token !== null) headers["authorization"] = `Bearer ${token}`;
    },
  });
}
