import {
  createHubSpotEmulator,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
} from "../../../../src/testing/emulators/hubspot/index.js";

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

/** A started emulator plus a tiny JSON client bound to one transport. */
export interface Harness {
  emulator: HubSpotEmulator;
  call(
    method: string,
    path: string,
    body?: unknown,
    init?: { token?: string | null; form?: boolean },
  ): Promise<Reply>;
  close(): Promise<void>;
}

/** Creates an emulator and a client for `transport`; the token defaults to `"test-token"`. */
export async function start(transport: Transport, options: HubSpotEmulatorOptions = {}): Promise<Harness> {
  const emulator = createHubSpotEmulator(options);
  const base = transport === "http" ? await emulator.listen() : "https://api.hubapi.com";
  const doFetch = transport === "http" ? globalThis.fetch : emulator.fetch;
  return {
    emulator,
    async call(method, path, body, init = {}) {
      const headers: Record<string, string> = {};
      const token = init.token === undefined ? "test-token" : init.token;
      if (token !== null) headers["authorization"] = `Bearer ${token}`;
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
