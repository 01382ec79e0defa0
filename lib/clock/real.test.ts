// real, realTurn(), realDelay(), timerHandlesAreObjects, runtimeName: the runtime's own timers
// and time sources, which keep real time while a virtual clock runs.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_EPOCH, runWithClock } from "../mod.ts";
import { real, realDelay, realTurn, runtimeName, timerHandlesAreObjects } from "./real.ts";

describe("real", () => {
  it("real is frozen and holds a function for every timer and time source", () => {
    assert.ok(Object.isFrozen(real));
    assert.deepEqual(Object.keys(real).sort(), [
      "abortSignalTimeout",
      "clearImmediate",
      "clearInterval",
      "clearTimeout",
      "dateNow",
      "mathRandom",
      "perfNow",
      "setImmediate",
      "setInterval",
      "setTimeout",
    ]);
    for (const [name, fn] of Object.entries(real)) assert.equal(typeof fn, "function", name);
  });

  it("real.dateNow() and real.perfNow() keep real time while a clock runs", async () => {
    const low = real.dateNow();
    const perfLow = real.perfNow();
    const seen = await runWithClock(async (clock) => {
      await clock.sleep(60_000);
      return { date: real.dateNow(), perf: real.perfNow(), virtual: Date.now() };
    });
    assert.equal(seen.virtual, DEFAULT_EPOCH + 60_000);
    assert.ok(seen.date >= low && seen.date <= real.dateNow(), "real.dateNow() is real time");
    assert.ok(seen.perf >= perfLow && seen.perf <= real.perfNow(), "real.perfNow() is real time");
    assert.ok(seen.date < DEFAULT_EPOCH);
  });

  it("real.mathRandom is the runtime's Math.random, not the run's seeded one", async () => {
    const inRun = await runWithClock(() => Math.random);
    assert.notEqual(inRun, real.mathRandom);
    assert.equal(Math.random, real.mathRandom, "Math.random is the runtime's own again");
    const x = real.mathRandom();
    assert.ok(x >= 0 && x < 1);
  });

  it("real.setTimeout() schedules on the runtime even during a run: the clock does not see it", async () => {
    const seen = await runWithClock(async (clock) => {
      const value = await clock.track(
        new Promise<string>((resolve) => real.setTimeout(resolve, 1, "fired")),
      );
      return [value, clock.now(), clock.timersFired, clock.pending().length];
    });
    assert.deepEqual(seen, ["fired", 0, 0, 0]);
  });

  it("real.setImmediate() runs its callback on a later turn; real.clearImmediate() cancels it", async () => {
    const order: string[] = [];
    const kept = real.setImmediate(() => order.push("kept"));
    const dropped = real.setImmediate(() => order.push("dropped"));
    real.clearImmediate(dropped);
    order.push("sync");
    await realTurn();
    await realTurn();
    assert.deepEqual(order, ["sync", "kept"]);
    void kept;
  });

  it("real.setInterval() repeats until real.clearInterval()", async () => {
    let n = 0;
    let stop: () => void = () => {};
    const done = new Promise<void>((resolve) => (stop = resolve));
    const handle = real.setInterval(() => {
      if (++n === 3) stop();
    }, 1);
    await done;
    real.clearInterval(handle);
    const at = n;
    await realDelay(5);
    assert.equal(n, at, "no tick after clearInterval");
    assert.equal(at, 3);
  });

  it("real.clearTimeout() cancels a real timer", async () => {
    let fired = false;
    const handle = real.setTimeout(() => (fired = true), 1);
    real.clearTimeout(handle);
    await realDelay(5);
    assert.equal(fired, false);
  });

  it("real.abortSignalTimeout() aborts in real time, outside the clock", async () => {
    const seen = await runWithClock(async (clock) => {
      const signal = real.abortSignalTimeout(0);
      const pending = clock.pending().length;
      await clock.track(
        new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true })),
      );
      return [pending, signal.reason?.name, clock.now()];
    });
    assert.deepEqual(seen, [0, "TimeoutError", 0]);
  });

  it("timerHandlesAreObjects says what shape this runtime's timer handles take", async () => {
    const handle = real.setTimeout(() => {}, 0);
    real.clearTimeout(handle);
    assert.equal(timerHandlesAreObjects, typeof handle === "object");
    const virtual = await runWithClock(() => {
      const h = setTimeout(() => {}, 10);
      clearTimeout(h);
      return typeof h;
    });
    assert.equal(virtual === "object", timerHandlesAreObjects, "the clock's handles match");
  });

  it("runtimeName names the runtime this test runs on", () => {
    const g = globalThis as { Deno?: unknown; Bun?: unknown };
    const expected = g.Deno !== undefined ? "deno" : g.Bun !== undefined ? "bun" : "node";
    assert.equal(runtimeName, expected);
    assert.ok(runtimeName === "deno" || runtimeName === "bun", "lib runs on Deno and Bun");
  });
});

describe("realTurn()", () => {
  it("realTurn() resolves after every microtask queued before it has run", async () => {
    let steps = 0;
    let p: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < 50; i++) p = p.then(() => steps++);
    const turn = realTurn();
    assert.ok(turn instanceof Promise);
    await turn;
    assert.equal(steps, 50);
  });

  it("realTurn() inside a run is no virtual timer", async () => {
    const seen = await runWithClock(async (clock) => {
      await realTurn();
      return [clock.now(), clock.timersFired, clock.trace.length];
    });
    assert.deepEqual(seen, [0, 0, 0]);
  });
});

describe("realDelay()", () => {
  it("realDelay(ms) resolves with undefined after at least ms of real time", async () => {
    const started = real.perfNow();
    assert.equal(await realDelay(10), undefined);
    assert.ok(real.perfNow() - started >= 9, "realDelay(10) waited under 10 ms");
  });

  it("realDelay() inside a run moves no virtual time", async () => {
    const seen = await runWithClock(async (clock) => {
      await clock.track(realDelay(5));
      return [clock.now(), clock.timersFired];
    });
    assert.deepEqual(seen, [0, 0]);
  });
});
