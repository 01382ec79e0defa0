// What the clock detects: deadlocks (fast), runaways, leaked timers, escapes, thrown callbacks.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DeadlockError,
  EscapedTimeError,
  LeakedTimersError,
  RunawayError,
  runWithClock,
  withClock,
} from "../mod.ts";
import { runtimeName } from "./real.ts";

/** The clock must name a deadlock in well under a second of real time on both runtimes. */
const DEADLOCK_REAL_MS_BOUND = 500;

async function failure(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the run to fail, but it succeeded");
}

describe("virtual clock detection", () => {
  it("runWithClock() names a deadlock fast, with the virtual time", async () => {
    const started = performance.now();
    const error = await failure(runWithClock(async (clock) => {
      await clock.sleep(2000);
      await new Promise(() => {}); // nothing will ever settle this
    }));
    const realMs = performance.now() - started;
    assert.ok(error instanceof DeadlockError, `expected a DeadlockError, got ${error}`);
    assert.equal(error.at, 2000);
    assert.match(error.message, /^deadlock at t=2000 ms: .*no timer is pending/);
    assert.ok(
      realMs < DEADLOCK_REAL_MS_BOUND,
      `deadlock took ${
        realMs.toFixed(0)
      } ms of real time to detect; the bound is ${DEADLOCK_REAL_MS_BOUND} ms`,
    );
  });

  it("runWithClock() adds what kit objects report to a deadlock message", async () => {
    const error = await failure(runWithClock((clock) => {
      clock.onDiagnose(() => "2 consumers wait on the queue");
      return new Promise(() => {});
    }));
    assert.match(error.message, /^deadlock at t=0 ms: 2 consumers wait on the queue\. /);
    assert.deepEqual((error as DeadlockError).diagnosis.details, ["2 consumers wait on the queue"]);
  });

  it("runWithClock() waits for tracked real work instead of calling it a deadlock", async () => {
    const value = await runWithClock((clock) =>
      clock.track(new Promise<string>((resolve) => realSetTimeout(() => resolve("real"), 150)))
    );
    assert.equal(value, "real");
  });

  it("runWithClock() stops an interval that never ends, by timer count", async () => {
    const error = await failure(runWithClock(async () => {
      setInterval(() => {}, 10);
      await new Promise(() => {});
    }, { maxTimers: 500 }));
    assert.ok(error instanceof RunawayError, String(error));
    assert.match(error.message, /runaway: 500 timers fired by t=5000 ms/);
    assert.match(error.message, /setInterval\(10\) at lib\/clock\/detection\.test\.ts:\d+/);
  });

  it("runWithClock() stops a loop of zero-delay timers", async () => {
    const error = await failure(runWithClock(async () => {
      const spin = () => setTimeout(spin, 0);
      spin();
      await new Promise(() => {});
    }, { maxTimers: 300 }));
    assert.ok(error instanceof RunawayError, String(error));
    // A zero delay inside a timer callback is clamped to 1 ms, as in Node.
    assert.match(error.message, /300 timers fired by t=299 ms/);
  });

  it("runWithClock() stops at the virtual-time budget", async () => {
    const error = await failure(
      runWithClock((clock) => clock.sleep(10_000), { maxVirtualMs: 5000 }),
    );
    assert.ok(error instanceof RunawayError, String(error));
    assert.match(
      error.message,
      /virtual-time budget exceeded: the next timer is due at t=10000 ms/,
    );
  });

  it("runWithClock() reports a leaked timer with its type, due time and creation site", async () => {
    const error = await failure(runWithClock(async (clock) => {
      await clock.sleep(100);
      leakyHelper(5000);
    }));
    assert.ok(error instanceof LeakedTimersError, String(error));
    assert.deepEqual(error.timers.map((t) => [t.kind, t.delay, t.dueAt]), [[
      "setTimeout",
      5000,
      5100,
    ]]);
    assert.match(error.timers[0].origin, /^lib\/clock\/detection\.test\.ts:\d+$/);
    assert.match(
      error.message,
      /1 timer still pending after the test finished at t=100 ms: setTimeout\(5000 ms\) due at t=5100 ms, created at lib\/clock\/detection\.test\.ts:\d+/,
    );
  });

  it("runWithClock() reports a leaked interval and a Promise.race loser", async () => {
    const error = await failure(runWithClock(async (clock) => {
      setInterval(() => {}, 1000);
      await Promise.race([clock.sleep(10), new Promise((r) => setTimeout(r, 3000))]);
    }));
    assert.ok(error instanceof LeakedTimersError, String(error));
    assert.deepEqual(error.timers.map((t) => t.kind).sort(), ["setInterval", "setTimeout"]);
  });

  it(
    "runWithClock() does not report cleared timers",
    withClock(async (clock) => {
      const t = setTimeout(() => {}, 100);
      const i = setInterval(() => {}, 100);
      const m = setImmediate(() => {});
      clearTimeout(t);
      clearInterval(i);
      clearImmediate(m);
      await clock.sleep(1);
      assert.deepEqual(clock.pending(), []);
    }),
  );

  it("runWithClock() accepts leaks when allowLeaks is set", async () => {
    await runWithClock(() => {
      setTimeout(() => {}, 100);
    }, { allowLeaks: true });
  });

  it("runWithClock() fails the run when a timer callback throws", async () => {
    const error = await failure(runWithClock(async (clock) => {
      setTimeout(() => {
        throw new Error("boom in a timer");
      }, 50);
      await clock.sleep(100);
    }));
    assert.equal(error.message, "boom in a timer");
  });

  it(
    "Bun.sleep runs in virtual time (Bun only)",
    { skip: runtimeName !== "bun" },
    withClock(async (clock) => {
      // deno-lint-ignore no-explicit-any
      await (globalThis as any).Bun.sleep(1500);
      assert.equal(clock.now(), 1500);
    }),
  );

  it(
    "Bun.sleepSync fails with an EscapedTimeError (Bun only)",
    { skip: runtimeName !== "bun" },
    async () => {
      const error = await failure(runWithClock(() => {
        // deno-lint-ignore no-explicit-any
        (globalThis as any).Bun.sleepSync(10);
      }));
      assert.ok(error instanceof EscapedTimeError, String(error));
      assert.match(error.message, /Bun\.sleepSync blocks the whole thread/);
    },
  );

  it("node:timers/promises sleeps are named as escapes (EscapedTimeError on Deno, a deadlock that lists them on Bun)", async () => {
    const { setTimeout: sleep } = await import("node:timers/promises");
    const error = await failure(runWithClock(async () => {
      await sleep(300);
    }));
    if (runtimeName === "deno") {
      assert.ok(error instanceof EscapedTimeError, String(error));
      assert.match(error.message, /setTimeout from node:timers\/promises keeps real time/);
    } else {
      assert.ok(error instanceof DeadlockError, String(error));
      assert.match(error.advice, /node:timers\/promises/);
    }
  });

  it("node:timers named sleeps keep real time on both runtimes: the deadlock's advice names them", async () => {
    const { setTimeout: later } = await import("node:timers");
    const error = await failure(runWithClock(() => new Promise<void>((res) => later(res, 300))));
    assert.ok(error instanceof DeadlockError, String(error));
    assert.match(error.advice, /`node:timers`/);
    assert.match(error.advice, /use the global setTimeout/);
  });

  it("new VirtualClock() rejects invalid options with a RangeError that names them", async () => {
    await assert.rejects(runWithClock(() => {}, { maxTimers: 0 }), {
      name: "RangeError",
      message: /'maxTimers' must be a number >= 1; received 0/,
    });
  });
});

function leakyHelper(ms: number): void {
  setTimeout(() => {}, ms);
}

const realSetTimeout = (await import("./real.ts")).real.setTimeout;
