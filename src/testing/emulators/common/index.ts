/**
 * Plumbing shared by the vendor emulators: transport (fetch + node:http), router, request log, fault injection,
 * sliding-window limits and id generators.
 * @module
 */
export {
  type AppliedFault,
  createFaultInjector,
  type EmulatorFault,
  type FaultHandle,
  type FaultInjector,
  type FaultInjectorOptions,
  type FaultPresetOptions,
  type FaultResponse,
} from "./faults.js";
export {
  createNumericIdGenerator,
  createUuidGenerator,
  type IdGenerator,
  type NumericIdGeneratorOptions,
  type UuidGeneratorOptions,
} from "./ids.js";
export {
  createRequestLog,
  matchesRequest,
  type RecordedRequest,
  type RequestLog,
  type RequestMatcher,
} from "./request-log.js";
export {
  createRouter,
  type EmulatorResponse,
  fail,
  failureResponse,
  type Route,
  type RouteHandler,
  type RouteMatch,
  type RouteRequest,
  type Router,
} from "./router.js";
export {
  createEmulatorTransport,
  type EmulatorHandler,
  type EmulatorOutcome,
  type EmulatorTransport,
  type EmulatorTransportOptions,
  type ListenOptions,
} from "./server.js";
export {
  createKeyedSlidingLog,
  createSlidingLog,
  type KeyedSlidingLog,
  type SlidingLog,
  type SlidingLogOptions,
} from "./sliding-log.js";
