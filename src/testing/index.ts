/**
 * Test kit for crmkit users and adapter authors: fake clock, in-memory fakes, vendor emulators and the
 * conformance suites that specify every SPI.
 * @module
 */
export { createFakeClock, type FakeClock, type FakeClockOptions } from "./fake-clock.js";
