import {
  createPipedriveEmulator,
  type PipedriveEmulator,
  type PipedriveEmulatorOptions,
} from "../../../../src/testing/emulators/pipedrive/index.js";
import { type Harness as EmulatorHarness, startHarness, type Transport } from "../common-helpers.js";

export { type Reply, TRANSPORTS, type Transport } from "../common-helpers.js";

/** How a request authenticates: an API token header (default `"test-token"`), a bearer token, or nothing. */
export type Credential = { apiToken: string } | { bearer: string } | { basic: string } | null;

/** A started Pipedrive emulator plus a JSON client. */
export type Harness = EmulatorHarness<PipedriveEmulator, { auth?: Credential }>;

/** Creates an emulator and a client for `transport`. */
export async function start(transport: Transport, options: PipedriveEmulatorOptions = {}): Promise<Harness> {
  return startHarness(transport, createPipedriveEmulator(options), {
    apiBase: "https://api.pipedrive.com",
    authorize(init, headers) {
      const auth = init?.auth === undefined ? { apiToken: "test-token" } : init.auth;
      if (auth === null) return;
      if ("apiToken" in auth) headers["x-api-token"] = auth.apiToken;
      else if ("bearer" in auth) headers["authorization"] = `Bearer ${auth.bearer}`;
      else headers["authorization"] = `Basic ${auth.basic}`;
    },
  });
}

/** A 40-hex custom field key for tests. */
export const KEY = {
  tier: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  tags: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
  budget: "cccccccccccccccccccccccccccccccccccccccc",
  domain: "dddddddddddddddddddddddddddddddddddddddd",
  score: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
} as const;

/** Custom fields used across tests. */
export const CUSTOM_FIELDS: PipedriveEmulatorOptions["customFields"] = {
  person: [
    {
      name: "Tier",
      type: "enum",
      key: KEY.tier,
      options: [
        { id: 11, label: "Gold" },
        { id: 12, label: "Silver" },
      ],
    },
    {
      name: "Tags",
      type: "set",
      key: KEY.tags,
      options: [
        { id: 21, label: "vip" },
        { id: 22, label: "beta" },
      ],
    },
    { name: "Score", type: "int", key: KEY.score },
  ],
  organization: [{ name: "Domain", type: "varchar", key: KEY.domain }],
  deal: [{ name: "Budget", type: "monetary", key: KEY.budget }],
};
