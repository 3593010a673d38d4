import { isTimeZone } from "../../../adapter/index.js";
import { type Clock, systemClock } from "../../../internal/clock.js";

/** The options every vendor emulator takes (each vendor documents them on its own options type). */
export interface SharedEmulatorOptions {
  /** Clock for timestamps, limits, token expiry and search lag. @default systemClock */
  clock?: Clock | undefined;
  /** Base URL relative `fetch` URLs resolve against; the default is the vendor's API origin. */
  baseUrl?: string | undefined;
  /** How long after a write records become visible to search. @default 0 */
  searchLagMs?: number | undefined;
}

/** {@link SharedEmulatorOptions} with their defaults applied and checked. */
export interface SharedEmulatorSettings {
  /** The given clock, or the system clock. */
  clock: Clock;
  /** An absolute URL. */
  baseUrl: string;
  /** A lag ≥ 0 in milliseconds. */
  searchLagMs: number;
}

/**
 * Validators for emulator options (the adapters' own checks are `createOptionChecks` in `src/adapter`: they throw
 * `TypeError`s and answer nothing, these return the checked value and throw `RangeError`s for values out of range,
 * as the emulators always have). Each throws an error that names the factory and the option at fault. */
export interface EmulatorOptionChecks {
  /** Applies the defaults of the options every emulator takes (the base URL differs per vendor) and checks them. */
  shared(options: SharedEmulatorOptions, defaultBaseUrl: string): SharedEmulatorSettings;
  /** Returns `value` when it is a positive integer; throws a `RangeError` otherwise. */
  positiveInteger(option: string, value: number): number;
  /** Returns `timeZone` when `Intl` knows it as an IANA zone; throws a `RangeError` otherwise. */
  timeZone(timeZone: string): string;
}

/** Options for {@link createEmulatorOptionChecks}. */
export interface EmulatorOptionChecksOptions {
  /** The public factory whose options are checked, e.g. `"createHubSpotEmulator"`; it prefixes every message. */
  factory: string;
}

/**
 * Creates the option validators of one emulator factory. Misconfiguration throws while the emulator is being built,
 * so a test fails at its setup line instead of with a puzzling vendor error mid-request.
 *
 * @example
 * const check = createEmulatorOptionChecks({ factory: "createHubSpotEmulator" });
 * const daily = check.positiveInteger("limits.daily", options.limits?.daily ?? 250_000);
 */
export function createEmulatorOptionChecks(options: EmulatorOptionChecksOptions): EmulatorOptionChecks {
  const { factory } = options;
  return {
    shared(shared, defaultBaseUrl) {
      const baseUrl = shared.baseUrl ?? defaultBaseUrl;
      if (!URL.canParse(baseUrl))
        throw new TypeError(`${factory}: option \`baseUrl\` is not an absolute URL: ${baseUrl}`);
      const searchLagMs = shared.searchLagMs ?? 0;
      // Written so that NaN is refused too.
      if (!(searchLagMs >= 0))
        throw new RangeError(`${factory}: option \`searchLagMs\` must be ≥ 0, got ${searchLagMs}`);
      return { clock: shared.clock ?? systemClock, baseUrl, searchLagMs };
    },
    positiveInteger(option, value) {
      if (!Number.isInteger(value) || value <= 0)
        throw new RangeError(`${factory}: option \`${option}\` must be a positive integer, got ${value}`);
      return value;
    },
    timeZone(timeZone) {
      if (!isTimeZone(timeZone))
        throw new RangeError(`${factory}: option \`timeZone\` is not an IANA time zone: ${timeZone}`);
      return timeZone;
    },
  };
}
