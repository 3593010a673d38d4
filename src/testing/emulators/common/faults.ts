import type { RequestMatcher } from "./request-log.js";
import type { EmulatorResponse } from "./router.js";

/** A literal response to answer a matching request with. */
export interface FaultResponse {
  /** HTTP status. */
  status: number;
  /** JSON body (or a string sent as-is). */
  body?: unknown;
  /** Extra headers. */
  headers?: Record<string, string> | undefined;
}

/** A named, vendor-specific canned failure with optional knobs. */
export interface FaultPresetOptions<P extends string> {
  /** Preset name, e.g. `"locked"` or `"server"`. */
  preset: P;
  /** Overrides the preset's status (e.g. `503` for `"server"`). */
  status?: number | undefined;
  /** `Retry-After` in seconds, for presets that send one. */
  retryAfterSeconds?: number | undefined;
  /** Overrides the preset's message where it has one. */
  message?: string | undefined;
}

/**
 * A failure to inject. `response` is a literal response, a preset name (or preset with options), `"timeout"` (the
 * request never gets an answer; `fetch` rejects only when its signal aborts) or `"network"` (the connection drops:
 * `fetch` rejects with `TypeError("fetch failed")`).
 */
export interface EmulatorFault<P extends string = string> {
  /** Which requests the fault applies to; every request when omitted. */
  match?: Pick<RequestMatcher, "method" | "path"> | undefined;
  /**
   * How many matching requests fail before the fault is spent; `Infinity` for every one.
   * @default 1
   */
  times?: number | undefined;
  /** What the matching requests get. */
  response: FaultResponse | "timeout" | "network" | P | FaultPresetOptions<P>;
}

/** A fault as applied to one request. */
export type AppliedFault =
  | { kind: "timeout"; label: string }
  | { kind: "network"; label: string }
  | { kind: "response"; label: string; response: EmulatorResponse };

/** Handle returned by {@link FaultInjector.inject}. */
export interface FaultHandle {
  /** Matching requests this fault will still fail. */
  remaining(): number;
  /** Removes the fault before it is spent. */
  cancel(): void;
}

/** Queued faults, consulted by the emulator before it handles each request. */
export interface FaultInjector<P extends string = string> {
  /** Queues a fault; earlier faults win when several match. Throws on an unknown preset name or bad `times`. */
  inject(fault: EmulatorFault<P>): FaultHandle;
  /** Consumes one use of the first fault matching the request, if any. */
  take(method: string, path: string): AppliedFault | undefined;
  /** Faults not yet spent. */
  pending(): number;
  /** Removes every fault. */
  clear(): void;
}

/** Options for {@link createFaultInjector}. */
export interface FaultInjectorOptions<P extends string> {
  /** The preset names this vendor knows. */
  presets: readonly P[];
  /** Builds a preset's response at the moment it is applied (so ids and timestamps are fresh). */
  resolvePreset(options: FaultPresetOptions<P>): EmulatorResponse;
  /** Throws when a preset's options are invalid, so misuse fails at `inject` rather than mid-request. */
  validatePreset?: ((options: FaultPresetOptions<P>) => void) | undefined;
}

interface Entry<P extends string> {
  fault: EmulatorFault<P>;
  left: number;
}

/**
 * Creates a fault injector. Vendor emulators pass their presets; the matching and counting is shared.
 *
 * @example
 * const faults = createFaultInjector({ presets: ["locked"], resolvePreset: () => ({ status: 423 }) });
 * faults.inject({ match: { method: "POST", path: "/crm/v3/objects/contacts/batch" }, response: "locked" });
 */
export function createFaultInjector<P extends string>(options: FaultInjectorOptions<P>): FaultInjector<P> {
  const known = new Set<string>(options.presets);
  let entries: Entry<P>[] = [];

  const describe = (response: EmulatorFault<P>["response"]): string => {
    if (typeof response === "string") return response;
    if ("preset" in response) return response.preset;
    return `status ${response.status}`;
  };

  return {
    inject(fault) {
      const times = fault.times ?? 1;
      if (!(times > 0) || (Number.isFinite(times) && !Number.isInteger(times)))
        throw new RangeError(
          `faults.inject: option \`times\` must be a positive integer or Infinity, got ${times}`,
        );
      const { response } = fault;
      const preset =
        typeof response === "string" ? response : "preset" in response ? response.preset : undefined;
      if (preset !== undefined && preset !== "timeout" && preset !== "network" && !known.has(preset))
        throw new TypeError(
          `faults.inject: unknown preset "${preset}" in option \`response\`; known presets: ${[...known].join(", ")}`,
        );
      if (typeof response === "object" && "preset" in response) options.validatePreset?.(response);
      const entry: Entry<P> = { fault, left: times };
      entries.push(entry);
      return {
        remaining: () => entry.left,
        cancel() {
          entry.left = 0;
          entries = entries.filter((e) => e !== entry);
        },
      };
    },
    take(method, path) {
      const entry = entries.find((e) => {
        const match = e.fault.match;
        if (match === undefined) return true;
        if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
        if (match.path === undefined) return true;
        return typeof match.path === "string" ? path.startsWith(match.path) : match.path.test(path);
      });
      if (entry === undefined) return undefined;
      entry.left -= 1;
      if (entry.left <= 0) entries = entries.filter((e) => e !== entry);
      const { response } = entry.fault;
      const label = describe(response);
      if (response === "timeout") return { kind: "timeout", label };
      if (response === "network") return { kind: "network", label };
      if (typeof response === "string")
        return { kind: "response", label, response: options.resolvePreset({ preset: response }) };
      if ("preset" in response) return { kind: "response", label, response: options.resolvePreset(response) };
      return {
        kind: "response",
        label,
        response: { status: response.status, body: response.body, headers: response.headers },
      };
    },
    pending: () => entries.length,
    clear() {
      entries = [];
    },
  };
}
