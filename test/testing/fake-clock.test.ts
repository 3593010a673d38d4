import { describe, expect, it } from "vitest";
import { createFakeClock } from "../../src/testing/fake-clock.js";

describe("createFakeClock", () => {
  it("fires timers in due order only when time is moved, and reports the next due time", async () => {
    const clock = createFakeClock({ start: 1_000 });
    const fired: string[] = [];
    expect(clock.nextTimerAt()).toBeUndefined();
    clock.setTimeout(() => fired.push("b"), 200);
    const cancelled = clock.setTimeout(() => fired.push("x"), 50);
    clock.setTimeout(() => fired.push("a"), 100);
    expect(clock.nextTimerAt()).toBe(1_050);
    clock.clearTimeout(cancelled);
    expect(clock.nextTimerAt()).toBe(1_100);
    await clock.advance(150);
    expect(fired).toEqual(["a"]);
    expect(clock.now()).toBe(1_150);
    await clock.setTime(clock.nextTimerAt() ?? 0);
    expect(fired).toEqual(["a", "b"]);
    expect(clock.nextTimerAt()).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
  });

  it("rejects a start that is not a date, naming the option", () => {
    expect(() => createFakeClock({ start: "not a date" })).toThrow(/`start`/);
  });
});
