// deno-lint-ignore-file require-await -- job handlers and start-ups are async functions that stand for real async work
/**
 * Visible tests for the Event exercise. Run them with `bun test exercises/09_event_start_signal`
 * or `deno test exercises/09_event_start_signal`. Time is virtual: `clock.sleep(100)` takes no
 * real time, and `clock.now()` says how many virtual ms have passed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EVENT, EventRecorder, rejectsWith, watched, withClock } from "../../lib/mod.ts";
import { Event as LearnerEvent, runServer } from "./event.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const Event = watched(LearnerEvent, EVENT);
type Event = LearnerEvent;

describe("task 1: Event.set(), isSet() and wait()", () => {
  it(
    "Event.wait() resolves once set() is called",
    withClock(async (clock) => {
      const ready = new Event();
      assert.equal(ready.isSet(), false, "a new Event starts unset");
      setTimeout(() => ready.set(), 100);
      const value = await ready.wait();
      assert.equal(value, true, "wait() resolves with true, like Python's Event.wait()");
      assert.equal(clock.now(), 100, "wait() should resolve when set() runs, at t=100");
      assert.equal(ready.isSet(), true, "isSet() is true after set()");
    }),
  );

  it(
    "Event.set() wakes every waiting task at the same instant",
    withClock(async (clock) => {
      const ready = new Event();
      const wokeAt: number[] = [];
      const waits = [1, 2, 3].map(() => ready.wait().then(() => wokeAt.push(clock.now())));
      await clock.sleep(250);
      ready.set();
      await Promise.all(waits);
      assert.deepEqual(
        wokeAt,
        [250, 250, 250],
        "set() at t=250 should wake all three waiters at t=250",
      );
    }),
  );

  it(
    "Event.wait() resolves at once when the event is already set",
    withClock(async (clock) => {
      const ready = new Event();
      ready.set();
      await ready.wait();
      assert.equal(clock.now(), 0, "waiting on a set event should not take any time");
    }),
  );

  it(
    "Event tasks released together run in lockstep: [1, 1, 1, 2, 2, 2, 3, 3, 3]",
    withClock(async (clock) => {
      // The classic asyncio example: three tasks wait for the event, then each appends 1, 2, 3
      // with a sleep between. Released together, they interleave (with a Lock, they would not).
      const ready = new Event();
      assert.equal(ready.isSet(), false, "a new Event starts unset");
      const results: number[] = [];
      const task = async () => {
        await ready.wait();
        for (const step of [1, 2, 3]) {
          results.push(step);
          await clock.sleep(10);
        }
      };
      const tasks = [task(), task(), task()];
      await clock.sleep(100);
      assert.deepEqual(results, [], "no task may run on before the event is set");
      ready.set();
      await Promise.all(tasks);
      assert.deepEqual(
        results,
        [1, 1, 1, 2, 2, 2, 3, 3, 3],
        "set() must wake all three tasks at once, so their steps interleave",
      );
      assert.equal(
        clock.now(),
        130,
        "set at t=100, then three 10 ms steps run side by side: done at t=130",
      );
    }),
  );
});

describe("task 2: Event.clear() and aborting a wait", () => {
  it(
    "Event.clear() makes later waits block until the next set()",
    withClock(async (clock) => {
      const ready = new Event();
      ready.set();
      ready.clear();
      assert.equal(ready.isSet(), false, "isSet() is false after clear()");
      setTimeout(() => ready.set(), 300);
      await ready.wait();
      assert.equal(clock.now(), 300, "a wait after clear() should block until set() at t=300");
    }),
  );

  it(
    "Event.wait() with an already aborted signal rejects at once with its reason",
    withClock(async (clock) => {
      const ready = new Event();
      const reason = new Error("gave up before waiting");
      await rejectsWith(
        ready.wait({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "ready.wait({ signal: AbortSignal.abort(reason) })",
      );
      assert.equal(
        clock.now(),
        0,
        `an aborted signal rejects at once; yours took ${clock.now()} ms`,
      );
    }),
  );

  it(
    "Event.set() then clear() at once still wakes the task that was waiting",
    withClock(async (clock) => {
      const ready = new Event();
      let wokeAt = -1;
      const waiting = ready.wait().then(() => (wokeAt = clock.now()));
      await clock.sleep(50);
      ready.set();
      ready.clear(); // too late to take the wake-up back
      await clock.sleep(1);
      assert.equal(
        wokeAt,
        50,
        "set() at t=50 woke the waiting task, even though clear() followed at once",
      );
      assert.equal(ready.isSet(), false, "after clear() the event is unset");
      await waiting;
    }),
  );

  it(
    "Event.wait() rejects with the signal's reason when aborted",
    withClock(async (clock) => {
      const ready = new Event();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const error = await rejectsWith(
        ready.wait({ signal: controller.signal }),
        { name: "AbortError" },
        "ready.wait({ signal }) aborted at t=50",
      );
      assert.equal(error, controller.signal.reason, "reject with signal.reason itself");
      assert.equal(clock.now(), 50, "the wait should end when the signal aborts, at t=50");
    }),
  );
});

describe("task 3: runServer()", () => {
  it(
    "runServer() rejects with the start-up error and handles no job",
    withClock(async (clock) => {
      let handled = 0;
      const boom = new Error("port 8080 already in use");
      await rejectsWith(
        runServer({
          workers: 2,
          jobs: [1, 2],
          startup: async () => {
            await clock.sleep(100);
            throw boom;
          },
          handle: async () => {
            handled++;
          },
        }),
        { is: boom },
        "runServer() whose start-up fails at t=100",
      );
      assert.equal(handled, 0, `no job may run when start-up failed; ${handled} ran`);
      assert.equal(
        clock.now(),
        100,
        `runServer() rejects when start-up fails, at t=100; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runServer() rejects with RangeError for fewer than one worker",
    withClock(async () => {
      await rejectsWith(
        () => runServer({ workers: 0, jobs: [1], startup: async () => {}, handle: async () => {} }),
        { name: "RangeError" },
        "runServer({ workers: 0 })",
      );
    }),
  );

  it(
    "runServer() handles no job before start-up has finished",
    withClock(async (clock) => {
      const log = new EventRecorder<string>();
      await runServer({
        workers: 2,
        jobs: ["a", "b"],
        startup: async () => {
          await clock.sleep(500); // open sockets, warm caches...
          log.record("ready");
        },
        handle: async (job) => {
          log.record("job", job);
          await clock.sleep(100);
        },
      });
      const first = log.firstAt("job");
      assert.equal(
        first,
        500,
        "the first job should start at t=500, when start-up ends:\n" + log.format(),
      );
      assert.equal(
        clock.now(),
        600,
        "two jobs of 100 ms on two workers after a 500 ms start-up end at t=600",
      );
    }),
  );

  it(
    "runServer() starts every worker at once when the server is ready",
    withClock(async (clock) => {
      const starts: Array<{ at: number; job: number; worker: number }> = [];
      await runServer({
        workers: 3,
        jobs: [1, 2, 3, 4, 5, 6],
        startup: () => clock.sleep(200),
        handle: async (job, worker) => {
          starts.push({ at: clock.now(), job, worker });
          await clock.sleep(100);
        },
      });
      const shown = starts.map((s) => `t=${s.at} job ${s.job} on worker ${s.worker}`).join("\n");
      // Which worker takes which job depends on the order in which workers resume at one instant,
      // which the code must not rely on: only the instants and the sets are checked.
      for (const [at, jobs] of [[200, [1, 2, 3]], [300, [4, 5, 6]]] as const) {
        const now = starts.filter((s) => s.at === at);
        assert.deepEqual(
          now.map((s) => s.job).sort(),
          [...jobs],
          `no job before start-up ends at t=200; then the 3 workers take jobs 1-3 at t=200 and 4-6 at t=300. Yours:\n${shown}`,
        );
        assert.deepEqual(
          now.map((s) => s.worker).sort(),
          [1, 2, 3],
          `at t=${at} each of the 3 workers (numbered 1, 2, 3) starts exactly one job. Yours:\n${shown}`,
        );
      }
      assert.equal(starts.length, 6, `each of the 6 jobs is handled once. Yours:\n${shown}`);
      assert.equal(
        clock.now(),
        400,
        `two rounds of 100 ms after a 200 ms start-up end at t=400; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runServer() takes no job from the jobs iterable before the server signals ready",
    withClock(async (clock) => {
      const log = new EventRecorder<string>();
      let ready = false;
      function* jobs() {
        for (const job of ["a", "b", "c", "d", "e"]) {
          log.record(ready ? "job taken after ready" : "job taken before ready", job);
          yield job;
        }
      }
      await runServer({
        workers: 3,
        jobs: jobs(),
        startup: async () => {
          await clock.sleep(500);
          ready = true;
        },
        handle: () => clock.sleep(100),
      });
      assert.deepEqual(
        log.events.filter((e) => e.name === "job taken before ready").map((e) => e.detail),
        [],
        "workers wait for the ready signal before they take a job from the iterable (a lazy generator runs only when a job is taken); yours took some during start-up:\n" +
          log.format(),
      );
      assert.deepEqual(
        log.times("job taken after ready"),
        [500, 500, 500, 600, 600],
        "three workers take a job each at t=500, then the other two at t=600:\n" + log.format(),
      );
    }),
  );
});
