// The clock's ordering guarantees: what runs when, in virtual time, on both runtimes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_EPOCH, runWithClock, withClock } from "../mod.ts";

describe("virtual clock ordering", () => {
  it(
    "withClock() resumes code after await in the order timers fall due",
    withClock(async (clock) => {
      const order: string[] = [];
      const task = async (name: string, ms: number) => {
        await clock.sleep(ms);
        order.push(`${name}@${clock.now()}`);
      };
      await Promise.all([task("slow", 300), task("fast", 100), task("mid", 200)]);
      assert.deepEqual(order, ["fast@100", "mid@200", "slow@300"]);
    }),
  );

  it(
    "same-deadline timers let the first one's microtasks run before the second fires",
    withClock(async (clock) => {
      const order: string[] = [];
      setTimeout(() => {
        order.push("a");
        queueMicrotask(() => order.push("micro-after-a"));
        void Promise.resolve().then(() => order.push("promise-after-a"));
      }, 10);
      setTimeout(() => order.push("b"), 10);
      await clock.sleep(10);
      assert.deepEqual(order, ["a", "micro-after-a", "promise-after-a", "b"]);
    }),
  );

  it(
    "a timer that awaits and then schedules 10 ms fires at +10, not +20",
    withClock(async (clock) => {
      let firedAt = -1;
      setTimeout(async () => {
        await Promise.resolve();
        await Promise.resolve();
        setTimeout(() => (firedAt = clock.now()), 10);
      }, 100);
      await clock.sleep(200);
      assert.equal(firedAt, 110);
    }),
  );

  it(
    "a microtask-only prelude runs before the first timer is chosen",
    withClock(async (clock) => {
      let chain = Promise.resolve(0);
      for (let i = 0; i < 1000; i++) chain = chain.then((n) => n + 1);
      const n = await chain;
      assert.equal(n, 1000);
      assert.equal(clock.now(), 0, "no virtual time passes for microtasks");
      await clock.sleep(5);
      assert.equal(clock.now(), 5);
    }),
  );

  it(
    "queueMicrotask runs without any tick of the clock",
    withClock(async (clock) => {
      let ran = false;
      queueMicrotask(() => (ran = true));
      await Promise.resolve();
      assert.equal(ran, true);
      assert.equal(clock.timersFired, 0);
    }),
  );

  it(
    "setImmediate fires before a zero-delay timeout and takes no virtual time",
    withClock(async (clock) => {
      const order: string[] = [];
      setTimeout(() => order.push("timeout0"), 0);
      setImmediate(() => order.push("immediate"));
      await clock.sleep(1);
      assert.deepEqual(order, ["immediate", "timeout0"]);
    }),
  );

  it(
    "an exponential backoff of 100, 200, 400 ms lands at t=100, 300, 700",
    withClock(async (clock) => {
      const attempts: number[] = [clock.now()];
      for (const delay of [100, 200, 400]) {
        await clock.sleep(delay);
        attempts.push(clock.now());
      }
      assert.deepEqual(attempts, [0, 100, 300, 700]);
      assert.deepEqual(clock.trace.map((t) => [t.at, t.delay]), [[100, 100], [300, 200], [
        700,
        400,
      ]]);
    }),
  );

  it(
    "timers due at the same instant fire in the order they were scheduled",
    withClock(async (clock) => {
      const order: string[] = [];
      const id = setInterval(() => order.push(`interval@${clock.now()}`), 500); // rescheduled at 500
      setTimeout(() => order.push(`timeout@${clock.now()}`), 1000); // scheduled at 0: fires first
      await clock.sleep(1001);
      clearInterval(id);
      assert.deepEqual(order, ["interval@500", "timeout@1000", "interval@1000"]);
    }),
  );

  it(
    "setInterval fires at every period until cleared",
    withClock(async (clock) => {
      const ticks: number[] = [];
      const id = setInterval(() => ticks.push(clock.now()), 250);
      await clock.sleep(1100);
      clearInterval(id);
      assert.deepEqual(ticks, [250, 500, 750, 1000]);
    }),
  );

  it(
    "Date, performance and Intl move together with the clock",
    withClock(async (clock) => {
      assert.equal(Date.now(), DEFAULT_EPOCH);
      assert.equal(new Date().toISOString(), "2030-01-01T00:00:00.000Z");
      const perf0 = performance.now();
      await clock.sleep(90 * 60_000);
      assert.equal(Date.now(), DEFAULT_EPOCH + 90 * 60_000);
      assert.equal(performance.now() - perf0, 90 * 60_000);
      const hour = new Intl.DateTimeFormat("en-US", {
        timeZone: "UTC",
        hour: "numeric",
        hour12: false,
      }).format();
      assert.equal(hour, "01");
    }),
  );

  it(
    "Date.now() is never falsy under the clock (the epoch is not zero)",
    withClock(() => {
      assert.ok(Date.now() > 0);
    }),
  );

  it("clock.advance() fires due timers by hand, with autoAdvance off", async () => {
    await runWithClock(async (clock) => {
      const fired: number[] = [];
      setTimeout(() => fired.push(clock.now()), 100);
      setTimeout(() => fired.push(clock.now()), 300);
      await clock.advance(150);
      assert.deepEqual(fired, [100]);
      assert.equal(clock.now(), 150);
      await clock.advance(150);
      assert.deepEqual(fired, [100, 300]);
    }, { autoAdvance: false });
  });

  it(
    "clock.flush() lets pending work run without moving time",
    withClock(async (clock) => {
      let done = false;
      void Promise.resolve().then(() => Promise.resolve()).then(() => (done = true));
      await clock.flush();
      assert.equal(done, true);
      assert.equal(clock.now(), 0);
    }),
  );

  it(
    "a timer function captured before the clock started still runs on the clock",
    withClock(async (clock) => {
      const captured = capturedSetTimeout;
      await new Promise((resolve) => captured(resolve, 40));
      assert.equal(clock.now(), 40);
    }),
  );

  it("timers created in one run never fire in the next", async () => {
    let fired = false;
    await runWithClock(() => {
      setTimeout(() => (fired = true), 10);
    }, { allowLeaks: true });
    await runWithClock((clock) => clock.sleep(50));
    assert.equal(fired, false);
  });

  it("real timers work again after a run", async () => {
    await runWithClock((clock) => clock.sleep(1));
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2));
    assert.ok(Date.now() >= started, "Date is real again");
    assert.ok(Date.now() < DEFAULT_EPOCH, "Date.now() is the real time, not 2030");
  });

  it("runWithClock() returns what the body returns", async () => {
    const value = await runWithClock(async (clock) => {
      await clock.sleep(10);
      return "done";
    });
    assert.equal(value, "done");
  });

  it(
    "runWithClock() rejects when nested in another run's body",
    withClock(async () => {
      await assert.rejects(runWithClock(() => {}), /cannot be nested/);
    }),
  );
});

const capturedSetTimeout = setTimeout;
