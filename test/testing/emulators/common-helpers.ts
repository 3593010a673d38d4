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

/** A started emulator plus a tiny JSON client bound to one transport; `A` is how a call names its credential. */
export interface Harness<E, A> {
  emulator: E;
  call(method: string, path: string, body?: unknown, init?: A & { form?: boolean }): Promise<Reply>;
  close(): Promise<void>;
}

/** What {@link startHarness} needs from a vendor emulator. */
interface Startable {
  readonly fetch: typeof fetch;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Options for {@link startHarness}. */
export interface HarnessOptions<A> {
  /** Where the `"fetch"` transport sends requests: the vendor's real API origin. */
  apiBase: string;
  /** Adds the credential headers for a call's `init`; the vendors send credentials in different headers. */
  authorize(init: A | undefined, headers: Record<string, string>): void;
}

/**
 * Wraps a created emulator in a {@link Harness} for `transport`: over `"http"` it listens and uses the global
 * fetch, so both transports run the same assertions against one emulator implementation.
 */
export async function startHarness<E extends Startable, A>(
  transport: Transport,
  emulator: E,
  options: HarnessOptions<A>,
): Promise<Harness<E, A>> {
  const base = transport === "http" ? await emulator.listen() : options.apiBase;
  const doFetch = transport === "http" ? globalThis.fetch : emulator.fetch;
  return {
    emulator,
    async call(method, path, body, init) {
      const headers: Record<string, string> = {};
      options.authorize(init, headers);
      let payload: string | undefined;
      if (body !== undefined) {
        if (init?.form === true) {
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
