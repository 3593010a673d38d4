import {
  createPipedriveEmulator,
  type PipedriveEmulator,
  type PipedriveEmulatorOptions,
} from "../../../../src/testing/emulators/pipedrive/index.js";

/** How a test reaches the emulator: its in-process fetch, or real HTTP through listen(). */
export type Transport = "fetch" | "http";

/** Both transports, for `describe.each`. */
export const TRANSPORTS: readonly Transport[] = ["fetch", "http"];

/** A parsed response. */
export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests index into arbitrary JSON bodies
  body: any;
  headers: Headers;
}

/** How a request authenticates: an API token header (default `"test-token"`), a bearer token, or nothing. */
export type Credential = { apiToken: string } | { bearer: string } | { basic: string } | null;

/** A started emulator plus a tiny JSON client bound to one transport. */
export interface Harness {
  emulator: PipedriveEmulator;
  call(
    method: string,
    path: string,
    body?: unknown,
    init?: { auth?: Credential; form?: boolean },
  ): Promise<Reply>;
  close(): Promise<void>;
}

/** Creates an emulator and a client for `transport`. */
export async function start(transport: Transport, options: PipedriveEmulatorOptions = {}): Promise<Harness> {
  const emulator = createPipedriveEmulator(options);
  const base = transport === "http" ? await emulator.listen() : "https://api.pipedrive.com";
  const doFetch = transport === "http" ? globalThis.fetch : emulator.fetch;
  return {
    emulator,
    async call(method, path, body, init = {}) {
      const headers: Record<string, string> = {};
      const auth = init.auth === undefined ? { apiToken: "test-token" } : init.auth;
      if (auth !== null) {
        if ("apiToken" in auth) headers["x-api-token"] = auth.apiToken;
        else if ("bearer" in auth) headers["authorization"] = `Bearer ${auth.bearer}`;
        else headers["authorization"] = `Basic ${auth.basic}`;
      }
      let payload: string | undefined;
      if (body !== undefined) {
        if (init.form === true) {
          headers["content-type"] = "application/x-www-form-urlencoded";
          payload = new URLSearchParams(body as Record<string, string>).toString();
        } else {
          headers["content-type"] = "application/json";
          payload = typeof body === "string" ? body : JSON.stringify(body);
        }
      }
      const res = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    close: () => emulator.close(),
  };
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
