import type { FaultInjector } from "./faults.js";
import { createRequestPipeline, type RequestPipelineOptions } from "./pipeline.js";
import { createRequestLog, type RecordedRequest, type RequestMatcher } from "./request-log.js";
import { createEmulatorTransport, type ListenOptions } from "./server.js";

/**
 * The members every vendor emulator has: two transports onto one state, the request log and fault injection.
 * `S` is the vendor's state, `P` its fault presets, `R` its recorded requests (wider when `annotate` adds fields).
 */
export interface EmulatorBase<S, P extends string, R extends RecordedRequest = RecordedRequest> {
  /** In-process `fetch` answering any absolute URL (and relative ones against `baseUrl`). */
  readonly fetch: typeof fetch;
  /** Starts a real server on 127.0.0.1 (same state as `fetch`) and resolves its URL. */
  listen(options?: ListenOptions): Promise<string>;
  /** Stops the server and fails requests parked by `"timeout"` faults. */
  close(): Promise<void>;
  /** The server URL while listening. */
  readonly url: string | undefined;
  /** The base URL relative `fetch` URLs resolve against. */
  readonly baseUrl: string;
  /** The emulated vendor data (read it for assertions; write through the API). */
  readonly state: S;
  /** Every request received, oldest first, credentials redacted. */
  readonly requests: readonly R[];
  /** How many recorded requests match. */
  count(matcher?: RequestMatcher): number;
  /** Fault injection: literal responses, presets, `"timeout"` and `"network"`. */
  readonly faults: FaultInjector<P>;
}

/** Options for {@link createEmulatorBase}: the request pipeline's, plus what the shared members expose. */
export interface EmulatorBaseOptions<C, M, S, P extends string>
  extends Omit<RequestPipelineOptions<C, M>, "log" | "faults"> {
  /** Absolute base URL relative `fetch` URLs resolve against. */
  baseUrl: string;
  /** The vendor's fault injector, with its presets. */
  faults: FaultInjector<P>;
  /** The current state; a function because `reset()` replaces it. */
  state(): S;
}

/** A vendor emulator's shared part, before the vendor adds its own members. */
export interface EmulatorCore<S, P extends string, R extends RecordedRequest = RecordedRequest> {
  /** The shared members; vendors extend this object with `Object.assign` so its accessors stay live. */
  readonly emulator: EmulatorBase<S, P, R>;
  /** Clears the request log and pending faults: the shared part of every vendor's `reset()`. */
  clear(): void;
}

/**
 * Creates the shared part of a vendor emulator: the request log, the {@link createRequestPipeline} flow and the
 * `fetch`/`listen` transports, exposed as {@link EmulatorBase}. Vendors keep their own public interface, which
 * extends `EmulatorBase`, and add their members to `core.emulator`.
 *
 * @example
 * const core = createEmulatorBase({ baseUrl, clock, faults, router, state: () => context.state, … });
 * const members: Omit<AcmeEmulator, keyof EmulatorBase<AcmeState, AcmePreset>> = { reset() { core.clear(); } };
 * return Object.assign(core.emulator, members);
 */
export function createEmulatorBase<C, M, S, P extends string, R extends RecordedRequest = RecordedRequest>(
  options: EmulatorBaseOptions<C, M, S, P>,
): EmulatorCore<S, P, R> {
  const { baseUrl, faults } = options;
  const log = createRequestLog();
  const transport = createEmulatorTransport(createRequestPipeline({ ...options, log }), { baseUrl });
  return {
    emulator: {
      fetch: transport.fetch,
      listen: (listenOptions) => transport.listen(listenOptions),
      close: () => transport.close(),
      get url() {
        return transport.url;
      },
      baseUrl,
      get state() {
        return options.state();
      },
      // Entries become `R` through `annotate`, which runs as each one is recorded.
      get requests() {
        return log.all as readonly R[];
      },
      count: (matcher) => log.count(matcher),
      faults,
    },
    clear() {
      log.clear();
      faults.clear();
    },
  };
}
