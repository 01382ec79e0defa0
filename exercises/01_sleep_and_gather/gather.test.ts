/**
 * Visible tests for exercise 01. Read them: they show what each task must do.
 *
 * Every test runs on the workbook's virtual clock (`withClock`): a "2 s" sleep takes no real
 * time, and `clock.now()` tells how many virtual milliseconds have passed since the test began.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { gather, runConcurrent, runSequential, sleep } from "./gather.ts";

/** A promise that resolves with `value` after `ms` of virtual time (the test's own timer). */
function after<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

/** A promise that rejects with `error` after `ms` of virtual time. */
function failAfter(ms: number, error: Error): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(error), ms));
}

describe("task 1: sleep()", () => {
  it(
    "sleep() resolves after the given virtual time",
    withClock(async (clock) => {
      await sleep(1500);
      assert.equal(
        clock.now(),
        1500,
        `sleep(1500) should take 1500 ms of virtual time; yours took ${clock.now()} ms`,
      );
    }),
  );

  it(
    "sleep() rejects with the signal's reason when aborted",
    withClock(async (clock) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const error = await rejectsWith(
        sleep(1000, { signal: controller.signal }),
        { name: "AbortError" },
        "sleep(1000, { signal }) aborted at t=300",
      );
      assert.equal(
        error,
        controller.signal.reason,
        "sleep() should reject with signal.reason itself, not a copy of it",
      );
      assert.equal(
        clock.now(),
        300,
        `an aborted sleep should stop at the abort (t=300); yours stopped at t=${clock.now()}`,
      );
    }),
  );

  it(
    "sleep(0) lets a waiting timer run: a loop of sleep(0) does not starve it",
    withClock(async () => {
      // `while (!fired) await null;` would spin forever: an await of a settled value only lets
      // microtasks run. sleep(0) must go through the timer queue, like asyncio.sleep(0).
      let fired = false;
      setTimeout(() => (fired = true), 0);
      let turns = 0;
      while (!fired && turns < 100) {
        await sleep(0);
        turns++;
      }
      assert.ok(
        fired,
        "after 100 turns of `await sleep(0)` the 0 ms timer set before the loop had still not fired: " +
          "sleep(0) must wait for a 0 ms setTimeout (a macrotask), not resolve in a microtask",
      );
    }),
  );

  it(
    "sleep(NaN) rejects with a RangeError instead of throwing",
    withClock(async () => {
      let slept: Promise<void> | undefined;
      try {
        slept = sleep(NaN);
      } catch (error) {
        assert.fail(
          `sleep(NaN) should return a rejected promise, not throw; it threw ${String(error)}`,
        );
      }
      await rejectsWith(slept!, { name: "RangeError" }, "sleep(NaN)");
    }),
  );
});

describe("task 2: runSequential()", () => {
  it(
    "runSequential() runs a 1 s job then a 2 s job in 3 s",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const results = await runSequential([
        async () => {
          log.record("one starts");
          await after(1000, null);
          return "one";
        },
        async () => {
          log.record("two starts");
          await after(2000, null);
          return "two";
        },
      ]);
      assert.deepEqual(
        results,
        ["one", "two"],
        "runSequential() resolves with the jobs' results, in order",
      );
      assert.equal(
        log.firstAt("two starts"),
        1000,
        `the second job should start when the first ends (t=1000); yours started it at t=${
          log.firstAt("two starts")
        }`,
      );
      assert.equal(
        clock.now(),
        3000,
        `one after the other, 1 s + 2 s should take 3 s; yours took ${clock.now()} ms`,
      );
    }),
  );

  it(
    "runSequential() stops at a failing job and never starts the rest",
    withClock(async () => {
      let thirdStarted = false;
      await rejectsWith(
        runSequential([
          () => after(100, 1),
          () => failAfter(100, new RangeError("job 2 failed")),
          () => {
            thirdStarted = true;
            return after(100, 3);
          },
        ]),
        { name: "RangeError", message: "job 2 failed" },
        "runSequential([ok, failing, ok])",
      );
      assert.equal(
        thirdStarted,
        false,
        "the job after a failure should never start; yours started it",
      );
    }),
  );

  it(
    "runSequential() rejects, never throws, when its first job throws",
    withClock(async () => {
      const oops = new TypeError("job 1 threw");
      let secondStarted = false;
      let run: Promise<unknown>;
      try {
        run = runSequential([
          () => {
            throw oops;
          },
          () => {
            secondStarted = true;
            return after(100, 2);
          },
        ]);
      } catch (error) {
        assert.fail(
          `runSequential() should report a job's throw by returning a rejected promise; yours threw ${
            String(error)
          } at the caller`,
        );
      }
      await rejectsWith(run, { is: oops }, "runSequential([throws, ok])");
      assert.equal(secondStarted, false, "the job after one that threw should never start");
    }),
  );
});

describe("task 3: runConcurrent()", () => {
  it(
    "runConcurrent() runs a 1 s job and a 2 s job in 2 s, not 3 s",
    withClock(async (clock) => {
      const results = await runConcurrent([() => after(1000, "one"), () => after(2000, "two")]);
      assert.deepEqual(
        results,
        ["one", "two"],
        "runConcurrent() resolves with the results in the order of jobs",
      );
      assert.equal(
        clock.now(),
        2000,
        `side by side, 1 s and 2 s should take 2 s; yours took ${clock.now()} ms (3000 means one after another)`,
      );
    }),
  );

  it(
    "runConcurrent() rejects at the first failure in time, while the others keep running",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const slow = () => after(500, "slow").then((v) => (log.record("slow finished"), v));
      await rejectsWith(
        runConcurrent([slow, () => failAfter(100, new Error("job 2 failed"))]),
        { message: "job 2 failed" },
        "runConcurrent([500 ms job, job failing at 100 ms])",
      );
      assert.equal(
        clock.now(),
        100,
        `runConcurrent() should reject when job 2 fails (t=100); yours rejected at t=${clock.now()}`,
      );
      await clock.sleep(500);
      assert.equal(
        log.firstAt("slow finished"),
        500,
        "nothing is cancelled: the slow job should still finish at t=500",
      );
    }),
  );

  it(
    "runConcurrent() counts a job that throws as failed, and still starts the jobs after it",
    withClock(async (clock) => {
      const started: string[] = [];
      const job = (name: string, ms: number) => () => {
        started.push(name);
        return after(ms, name);
      };
      const throwing = () => {
        throw new TypeError("bad job");
      };
      await rejectsWith(
        runConcurrent([job("a", 100), throwing, job("c", 50)]),
        { name: "TypeError", message: "bad job" },
        "runConcurrent([job, job that throws, job])",
      );
      assert.deepEqual(
        started,
        ["a", "c"],
        `every job should start, also after the one that threw; yours started ${
          JSON.stringify(started)
        }`,
      );
      assert.equal(
        clock.now(),
        0,
        `the throw is the first failure: runConcurrent() should reject at t=0; yours rejected at t=${clock.now()}`,
      );
      await clock.sleep(200); // let a and c finish
    }),
  );
});

describe("task 4: gather()", () => {
  it(
    "gather() keeps the input order, not the completion order",
    withClock(async () => {
      // "slow" finishes last but comes first in the list, so it comes first in the result.
      const results = await gather([after(300, "slow"), after(100, "fast"), after(200, "medium")]);
      assert.deepEqual(
        results,
        ["slow", "fast", "medium"],
        "results must follow the input order, not the completion order",
      );
    }),
  );

  it(
    "gather() with returnExceptions puts each error in its slot",
    withClock(async (clock) => {
      const boom = new Error("boom");
      const results = await gather([after(100, 1), failAfter(200, boom), after(300, 3)], {
        returnExceptions: true,
      });
      assert.deepEqual(results, [1, boom, 3], "the error belongs in slot 1, between the values");
      assert.equal(
        clock.now(),
        300,
        `with returnExceptions, gather waits for every item (t=300); yours returned at t=${clock.now()}`,
      );
    }),
  );

  it(
    "gather() rejects with the first error while the others keep running",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const slow = after(500, "slow").then((v) => {
        log.record("slow finished");
        return v;
      });
      await rejectsWith(
        gather([slow, failAfter(100, new TypeError("bad input"))]),
        { name: "TypeError", message: "bad input" },
        "gather([slow, failing])",
      );
      assert.equal(
        clock.now(),
        100,
        `gather should reject as soon as the first item fails (t=100); yours rejected at t=${clock.now()}`,
      );
      // Like asyncio.gather, nothing is cancelled: the slow one still finishes.
      assert.equal(await slow, "slow", "the slow item still finishes with its value");
      assert.equal(
        log.firstAt("slow finished"),
        500,
        "the other work keeps running after the rejection",
      );
    }),
  );

  it(
    "gather() with returnExceptions accepts plain values and thenables too",
    withClock(async () => {
      const boom = new Error("boom");
      const thenable: PromiseLike<number> = {
        then: (onFulfilled) => Promise.resolve(4).then(onFulfilled),
      };
      const results = await gather<unknown>([1, failAfter(100, boom), "three", thenable], {
        returnExceptions: true,
      });
      assert.deepEqual(
        results,
        [1, boom, "three", 4],
        'gather([1, failing, "three", thenable of 4], { returnExceptions: true }) should give ' +
          `[1, boom, "three", 4]: a plain value is its own result; yours: ${
            JSON.stringify(results)
          }`,
      );
    }),
  );

  it(
    "gather() fills both slots of a promise given twice",
    withClock(async () => {
      const p = after(100, "p");
      const q = after(50, "q");
      const results = await gather([p, q, p]);
      assert.deepEqual(
        results,
        ["p", "q", "p"],
        `gather([p, q, p]) should give ["p", "q", "p"]; yours gave ${JSON.stringify(results)}`,
      );
    }),
  );
});
