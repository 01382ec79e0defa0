// VirtualClock: its state before, during and after run(), each method (sleep, flush, advance,
// pending, trace, track, random, onDiagnose), nesting and abandonment; currentClock().
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DeadlockError, DEFAULT_EPOCH, lastRun, LeakedTimersError, seededRandom } from "../mod.ts";
import { currentClock, VirtualClock } from "./virtual_clock.ts";
import { real, realTurn } from "./real.ts";

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
const run = <T>(body: (clock: VirtualClock) => T | Promise<T>, options = {}) =>
  new VirtualClock(options).run(body);
const ORIGIN = /^lib\/clock\/virtual_clock\.test\.ts:\d+$/;

describe("VirtualClock", () => {
  it("new VirtualClock() takes its epoch from the options, 2030-01-01 by default", () => {
    assert.equal(new VirtualClock().epoch, DEFAULT_EPOCH);
    assert.equal(new VirtualClock({ epoch: 123 }).epoch, 123);
  });

  it("new VirtualClock() throws a RangeError naming a bad option", () => {
    assert.throws(() => new VirtualClock({ maxRealMs: 0 }), {
      name: "RangeError",
      message: "Cannot create the virtual clock: 'maxRealMs' must be a number >= 1; received 0",
    });
  });

  it("VirtualClock instances, the class and its prototype are frozen", () => {
    const clock = new VirtualClock();
    assert.ok(Object.isFrozen(clock) && Object.isFrozen(VirtualClock.prototype));
    assert.throws(() => {
      (clock as unknown as { now: () => number }).now = () => 5;
    }, TypeError);
    assert.equal(clock.now(), 0);
  });

  it("VirtualClock before run(): now() 0, nothing pending or fired, its shuffle seed in schedule", () => {
    const clock = new VirtualClock({ shuffle: 5 });
    assert.deepEqual([clock.now(), clock.pending(), clock.trace, clock.timersFired], [
      0,
      [],
      [],
      0,
    ]);
    assert.deepEqual(clock.schedule, { seed: 5, choices: 0, total: 0, swaps: [] });
    assert.equal(new VirtualClock({ shuffle: false }).schedule.seed, 0);
  });

  it("VirtualClock.run() resolves with the body's value; the clock keeps the run's end after it", async () => {
    const clock = new VirtualClock({ shuffle: false });
    const value = await clock.run(async (c) => {
      assert.equal(c, clock, "the body gets this clock");
      await c.sleep(100);
      await c.sleep(50);
      return "done";
    });
    assert.equal(value, "done");
    assert.deepEqual([clock.now(), clock.timersFired, clock.trace.length], [150, 2, 2]);
    assert.deepEqual(clock.pending(), []);
  });

  it("VirtualClock.run() fails with a LeakedTimersError for a timer left pending", async () => {
    const error = await failure(run(() => {
      setInterval(() => {}, 70);
    }));
    assert.ok(error instanceof LeakedTimersError, `expected a leak, got ${error}`);
    assert.deepEqual(error.timers.map((t) => [t.kind, t.delay]), [["setInterval", 70]]);
  });

  it("VirtualClock.sleep() waits in virtual time on the clock's own setTimeout, shown in the trace", async () => {
    const trace = await run(async (clock) => {
      const saved = globalThis.setTimeout;
      globalThis.setTimeout = (() => 0) as unknown as typeof setTimeout; // a stub's replacement
      try {
        await clock.sleep(1500);
      } finally {
        globalThis.setTimeout = saved;
      }
      assert.equal(clock.now(), 1500);
      return clock.trace;
    });
    assert.equal(trace.length, 1);
    assert.deepEqual([trace[0].at, trace[0].kind, trace[0].delay], [1500, "setTimeout", 1500]);
    assert.match(trace[0].origin, ORIGIN);
  });

  it("VirtualClock.flush() runs pending microtasks without moving time or firing a timer", async () => {
    const seen = await run(async (clock) => {
      let steps = 0;
      let fired = false;
      setTimeout(() => (fired = true), 10);
      let p: Promise<unknown> = Promise.resolve();
      for (let i = 0; i < 20; i++) p = p.then(() => steps++);
      await clock.flush();
      const at = [steps, fired, clock.now()];
      await clock.advance(10);
      return [...at, fired];
    }, { autoAdvance: false });
    assert.deepEqual(seen, [20, false, 0, true]);
  });

  it("VirtualClock.advance() fires the timers due on the way, microtasks between, and stops at the target", async () => {
    const seen = await run(async (clock) => {
      const order: string[] = [];
      for (const ms of [30, 10, 20]) {
        setTimeout(() => {
          order.push(`t${ms}@${clock.now()}`);
          queueMicrotask(() => order.push(`micro${ms}`));
        }, ms);
      }
      await clock.advance(25);
      const at = clock.now();
      await clock.advance(5);
      return { order, at, end: clock.now() };
    }, { autoAdvance: false });
    assert.deepEqual(seen, {
      order: ["t10@10", "micro10", "t20@20", "micro20", "t30@30", "micro30"],
      at: 25,
      end: 30,
    });
  });

  it("VirtualClock.advance() pauses auto-advance while it runs", async () => {
    const seen = await run(async (clock) => {
      let fired = false;
      const t = setTimeout(() => (fired = true), 10);
      await clock.advance(5);
      clearTimeout(t);
      return [clock.now(), fired];
    });
    assert.deepEqual(seen, [5, false], "the timer at t=10 must not fire during advance(5)");
  });

  it("VirtualClock.advance() moves whole ms and carries a fraction to the next advance", async () => {
    const times = await run(async (clock) => {
      const at: number[] = [];
      for (const ms of [0.5, 0.5, 2.3, 0.7, 0]) {
        await clock.advance(ms);
        at.push(clock.now());
      }
      return at;
    });
    assert.deepEqual(times, [0, 1, 3, 4, 4]);
  });

  it("VirtualClock.advance() rejects a negative, NaN or non-number ms with a RangeError", async () => {
    const received = await run(async (clock) => {
      const messages: string[] = [];
      for (const ms of [-1, NaN, "5", undefined]) {
        const e = await failure(clock.advance(ms as number));
        assert.ok(
          e instanceof RangeError,
          `advance(${String(ms)}) should reject with a RangeError`,
        );
        messages.push(e.message);
      }
      return messages;
    });
    assert.deepEqual(received, [
      "clock.advance(ms) needs ms >= 0; received -1",
      "clock.advance(ms) needs ms >= 0; received NaN",
      "clock.advance(ms) needs ms >= 0; received 5",
      "clock.advance(ms) needs ms >= 0; received undefined",
    ]);
  });

  it("VirtualClock.pending() lists unfired timers in firing order; a cleared one is gone", async () => {
    const pending = await run((clock) => {
      const a = setTimeout(() => {}, 300);
      setInterval(() => {}, 100);
      setImmediate(() => {});
      const before = clock.pending().length;
      clearTimeout(a);
      const after = clock.pending();
      clock.pending().length = 0; // a snapshot: changing it changes nothing
      return { before, after, again: clock.pending().length };
    }, { allowLeaks: true });
    assert.equal(pending.before, 3);
    assert.deepEqual(pending.after.map((p) => [p.kind, p.delay, p.dueAt]), [
      ["setImmediate", 0, 0],
      ["setInterval", 100, 100],
    ]);
    assert.match(pending.after[1].origin, ORIGIN);
    assert.equal(pending.again, 2);
  });

  it("VirtualClock.trace and timersFired follow every fired timer; trace is a copy", async () => {
    const seen = await run(async (clock) => {
      let n = 0;
      const i = setInterval(() => n++, 40);
      await clock.sleep(130);
      clearInterval(i);
      clock.trace.push({ at: 1, kind: "setTimeout", delay: 1, origin: "x" });
      return [n, clock.timersFired, clock.trace.map((e) => `${e.at}:${e.kind}`)];
    });
    assert.deepEqual(seen, [3, 4, [
      "40:setInterval",
      "80:setInterval",
      "120:setInterval",
      "130:setTimeout",
    ]]);
  });

  it("VirtualClock.track() returns the same settlement and waits for real work past graceMs", async () => {
    const seen = await run(async (clock) => {
      const work = new Promise<string>((resolve) => real.setTimeout(() => resolve("real"), 30));
      const tracked = clock.track(work);
      assert.equal(tracked, work, "a native promise comes back as itself");
      const value = await tracked;
      const reason = new Error("refused");
      const rejected = await failure(clock.track(Promise.reject(reason)));
      return [value, rejected === reason, clock.now(), clock.timersFired];
    }, { graceMs: 1 });
    assert.deepEqual(seen, ["real", true, 0, 0], "virtual time does not move for real work");
  });

  it("VirtualClock.random() follows the seed and shares its sequence with Math.random in a run", async () => {
    const expected = seededRandom(7);
    const draws = await run((clock) => [clock.random(), Math.random(), clock.random()], {
      seed: 7,
    });
    assert.deepEqual(draws, [expected(), expected(), expected()]);
    const one = seededRandom(1);
    assert.equal(new VirtualClock().random(), one(), "the default seed is 1");
  });

  it("VirtualClock.onDiagnose() puts a describer's lines into a deadlock; its return unregisters", async () => {
    const error = await failure(run((clock) => {
      clock.onDiagnose(() => ["Queue: empty", "2 getters waiting"]);
      const off = clock.onDiagnose(() => "gone");
      clock.onDiagnose(() => undefined);
      off();
      off(); // twice is harmless
      return new Promise(() => {});
    }, { graceMs: 1 }));
    assert.ok(error instanceof DeadlockError, `expected a deadlock, got ${error}`);
    assert.deepEqual(error.diagnosis.details, ["Queue: empty", "2 getters waiting"]);
    assert.match(error.message, /^deadlock at t=0 ms: Queue: empty; 2 getters waiting\./);
  });

  it("VirtualClock.run() refuses to nest inside a running body", async () => {
    const error = await run(() => failure(new VirtualClock().run(() => "inner")));
    assert.ok(error instanceof Error);
    assert.match(error.message, /^withClock\/runWithClock cannot be nested: .*use the clock you/);
  });

  it("VirtualClock.run() started outside a live run abandons it: its timers are cleared, it never settles", async () => {
    const first = new VirtualClock({ autoAdvance: false, graceMs: 10_000 });
    let settled = false;
    let fired = false;
    void first.run(async () => {
      setTimeout(() => (fired = true), 10);
      await new Promise(() => {});
    }).finally(() => (settled = true));
    await realTurn();
    assert.equal(first.pending().length, 1, "the first run's body has armed its timer");
    const seen = await run(async (clock) => {
      await clock.sleep(50);
      return [currentClock() === clock, clock.now()];
    });
    assert.deepEqual(seen, [true, 50]);
    await realTurn();
    await realTurn();
    assert.deepEqual([first.pending(), fired, settled], [[], false, false]);
    assert.equal(lastRun()?.virtualMs, 50, "the abandoned run leaves no record");
  });
});

describe("currentClock()", () => {
  it("currentClock() is undefined outside a run and the running clock inside", async () => {
    assert.equal(currentClock(), undefined);
    const clock = new VirtualClock();
    assert.equal(await clock.run(() => currentClock()), clock);
    assert.equal(currentClock(), undefined);
  });
});
