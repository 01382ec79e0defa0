// runWithClock() and withClock(): a body run on a fresh virtual clock, its result or its error
// handed back, options applied, and invalid arguments refused.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { currentClock, DEFAULT_EPOCH, LeakedTimersError, VirtualClock } from "../mod.ts";
import { runWithClock, withClock } from "./with_clock.ts";

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe("runWithClock()", () => {
  it("runWithClock() resolves with what a synchronous body returns, at t=0", async () => {
    assert.deepEqual(await runWithClock((clock) => ["value", clock.now()]), ["value", 0]);
  });

  it("runWithClock() resolves with an async body's value once its sleeps have passed", async () => {
    const t = await runWithClock(async (clock) => {
      await Promise.all([clock.sleep(1000), clock.sleep(2000)]);
      return clock.now();
    });
    assert.equal(t, 2000, "two concurrent sleeps end at the longer one");
  });

  it("runWithClock() hands the body a VirtualClock that is the current clock while it runs", async () => {
    let given: VirtualClock | undefined;
    const current = await runWithClock((clock) => {
      given = clock;
      return currentClock();
    });
    assert.ok(given instanceof VirtualClock);
    assert.equal(current, given);
    assert.equal(currentClock(), undefined, "no clock runs after the run");
  });

  it("runWithClock() gives every run a fresh clock starting at 0", async () => {
    const first = await runWithClock(async (clock) => {
      await clock.sleep(500);
      return clock;
    });
    const second = await runWithClock((clock) => [clock.now(), clock.trace.length, clock]);
    assert.deepEqual(second.slice(0, 2), [0, 0]);
    assert.notEqual(second[2], first);
  });

  it("runWithClock() rejects with the body's own error, thrown or rejected", async () => {
    const boom = new Error("boom");
    assert.equal(
      await failure(runWithClock(() => {
        throw boom;
      })),
      boom,
    );
    assert.equal(await failure(runWithClock(() => Promise.reject(boom))), boom);
    const late = await failure(runWithClock(async (clock) => {
      await clock.sleep(300);
      throw boom;
    }));
    assert.equal(late, boom, "an error after a sleep comes through too");
  });

  it("runWithClock() rejects invalid options (it never throws) and never calls the body", async () => {
    let called = false;
    const run = runWithClock(() => {
      called = true;
    }, { graceMs: -1 });
    assert.ok(run instanceof Promise, "runWithClock() returns a promise even for bad options");
    await assert.rejects(run, {
      name: "RangeError",
      message: "Cannot create the virtual clock: 'graceMs' must be a number >= 0; received -1",
    });
    assert.equal(called, false);
  });

  it("runWithClock() applies its options: epoch for Date.now(), seed for clock.random()", async () => {
    const at = await runWithClock(async (clock) => {
      await clock.sleep(25);
      return [Date.now(), clock.epoch];
    }, { epoch: 1_000_000 });
    assert.deepEqual(at, [1_000_025, 1_000_000]);
    const draw = (seed: number) => runWithClock((clock) => clock.random(), { seed });
    assert.equal(await draw(5), await draw(5));
    assert.notEqual(await draw(5), await draw(6));
  });

  it("runWithClock() without options uses the default epoch", async () => {
    assert.equal(await runWithClock(() => Date.now()), DEFAULT_EPOCH);
  });

  it("runWithClock() fails a body that leaves a timer, unless allowLeaks is set", async () => {
    const leaky = () => {
      setTimeout(() => {}, 100);
      return "done";
    };
    assert.ok(await failure(runWithClock(leaky)) instanceof LeakedTimersError);
    assert.equal(await runWithClock(leaky, { allowLeaks: true }), "done");
  });
});

describe("withClock()", () => {
  it("withClock(body) returns a test function and runs nothing until it is called", async () => {
    let runs = 0;
    const fn = withClock(() => {
      runs++;
    });
    assert.equal(typeof fn, "function");
    assert.equal(runs, 0);
    await fn();
    await fn();
    assert.equal(runs, 2, "each call runs the body once");
  });

  it("withClock(body)() resolves with undefined, not with the body's value", async () => {
    const fn = withClock(async (clock) => {
      await clock.sleep(10);
      return "value";
    });
    assert.equal(await fn(), undefined);
  });

  it("withClock(body)() runs the body in virtual time on a fresh clock per call", async () => {
    const seen: number[] = [];
    const fn = withClock(async (clock) => {
      seen.push(clock.now());
      await clock.sleep(60_000);
      seen.push(clock.now());
    });
    await fn();
    await fn();
    assert.deepEqual(seen, [0, 60_000, 0, 60_000]);
  });

  it("withClock(options, body) applies the options", async () => {
    let at: number[] = [];
    await withClock({ epoch: 42, seed: 3 }, (clock) => {
      at = [Date.now(), clock.epoch];
    })();
    assert.deepEqual(at, [42, 42]);
    await withClock({ allowLeaks: true }, () => {
      setTimeout(() => {}, 10);
    })();
  });

  it("withClock(body)() rejects with the body's error by identity", async () => {
    const boom = new Error("boom");
    const fn = withClock(async (clock) => {
      await clock.sleep(5);
      throw boom;
    });
    assert.equal(await failure(fn()), boom);
  });

  it("withClock(options, body)() rejects bad options when called, not when built", async () => {
    const fn = withClock({ maxTimers: 0 }, () => {});
    await assert.rejects(fn(), {
      name: "RangeError",
      message: /'maxTimers' must be a number >= 1; received 0$/,
    });
  });

  it("withClock() without a body function throws a TypeError at once", () => {
    const refused = {
      name: "TypeError",
      message: "withClock(options, body) needs a test body function",
    };
    const loose = withClock as unknown as (...args: unknown[]) => unknown;
    assert.throws(() => loose(), refused);
    assert.throws(() => loose({}), refused);
    assert.throws(() => loose({ seed: 1 }, "body"), refused);
    assert.throws(() => loose({}, undefined), refused);
  });
});
