import type { TokenProvider } from "./token-provider.js";

/**
 * Construction-time checks of an adapter factory's options. Each throws a `TypeError` naming the factory and the
 * option (`createHubSpotAdapter: option \`baseUrl\` must be …`), and passes when the option is not given.
 */
export interface OptionChecks {
  /** Throws the construction error naming `option`. */
  fail(option: string, problem: string): never;
  /** The options argument itself is an object. */
  object(value: unknown): void;
  /**
   * Exactly one of the credential options is given; the error names the first of them.
   * @example check.exactlyOne({ apiToken: options.apiToken, tokenProvider: options.tokenProvider })
   */
  exactlyOne(credentials: Readonly<Record<string, unknown>>): void;
  /** A string with more than white space. */
  nonEmptyString(option: string, value: unknown): void;
  /** An object with a `getToken()` method. */
  tokenProvider(option: string, value: TokenProvider | undefined): void;
  /** An absolute `http:` or `https:` URL. */
  httpUrl(option: string, value: string | undefined): void;
  /** Each of the named durations is a finite number ≥ 0. */
  nonNegative(values: Readonly<Record<string, number | undefined>>): void;
  /** One of the `allowed` values. */
  oneOf(option: string, value: string | undefined, allowed: readonly string[]): void;
  /** A time zone `Intl` knows (`"Europe/Berlin"`, `"UTC"`). */
  timeZone(option: string, value: string | undefined): void;
}

/** Whether `Intl` knows `value` as a time zone (`"Europe/Berlin"`, `"UTC"`). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// Messages list alternatives as prose: `a`, `b` or `c`.
const orList = (items: readonly string[]): string =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;

/** Options of {@link createOptionChecks}. */
export interface OptionChecksOptions {
  /** The public factory whose options are checked, e.g. `"createHubSpotAdapter"`; it prefixes every message. */
  readonly factory: string;
}

/**
 * Creates the option checks of one adapter factory. Misconfiguration throws while the adapter is being built, so
 * it fails at its setup line instead of with a vendor error at the first request.
 *
 * @example
 * const check = createOptionChecks({ factory: "createAcmeAdapter" });
 * check.httpUrl("baseUrl", options.baseUrl);
 */
export function createOptionChecks(options: OptionChecksOptions): OptionChecks {
  const { factory } = options;
  const fail = (option: string, problem: string): never => {
    throw new TypeError(`${factory}: option \`${option}\` ${problem}`);
  };
  return {
    fail,
    object(value) {
      if (typeof value !== "object" || value === null) fail("options", "must be an object");
    },
    exactlyOne(credentials) {
      const names = Object.keys(credentials);
      if (Object.values(credentials).filter((value) => value !== undefined).length !== 1)
        fail(names[0] ?? "options", `— give exactly one of ${orList(names.map((name) => `\`${name}\``))}`);
    },
    nonEmptyString(option, value) {
      if (value !== undefined && (typeof value !== "string" || value.trim() === ""))
        fail(option, "must be a non-empty string");
    },
    tokenProvider(option, value) {
      if (value !== undefined && typeof value?.getToken !== "function")
        fail(option, "must have a getToken() method");
    },
    httpUrl(option, value) {
      if (value !== undefined && !/^https?:\/\//i.test(value))
        fail(option, "must be an absolute http(s) URL");
    },
    nonNegative(values) {
      for (const [option, value] of Object.entries(values)) {
        if (value !== undefined && (!Number.isFinite(value) || value < 0))
          fail(option, "must be a finite number ≥ 0");
      }
    },
    oneOf(option, value, allowed) {
      if (value !== undefined && !allowed.includes(value))
        fail(option, `must be ${orList(allowed.map((item) => JSON.stringify(item)))}`);
    },
    timeZone(option, value) {
      if (value !== undefined && !isTimeZone(value)) fail(option, `is not an IANA time zone: ${value}`);
    },
  };
}
