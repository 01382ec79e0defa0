/**
 * Visible tests for the Event exercise. Run them with `bun test exercises/09_event_start_signal`
 * or `deno test exercises/09_event_start_signal`. Time is virtual: `clock.sleep(100)` takes no
 * real time, and `clock.now()` says how many virtual ms have passed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { Event, runServer } from "./event.ts";

describe("Event (task 1)", () => {
  it("Event.wait() resolves once set() is called", withClock(async (clock) => {
    const ready = new Event();
    assert.equal(ready.isSet(), false, "a new Event starts unset");
    setTimeout(() => ready.set(), 100);
    const value = await ready.wait();
    assert.equal(value, true, "wait() resolves with true, like Python's Event.wait()");
    assert.equal(clock.now(), 100, "wait() should resolve when set() runs, at t=100");
    assert.equal(ready.isSet(), true, "isSet() is true after set()");
  }));

  it("Event.set() wakes every waiting task at the same instant", withClock(async (clock) => {
    const ready = new Event();
    const wokeAt: number[] = [];
    const waits = [1, 2, 3].map(() => ready.wait().then(() => wokeAt.push(clock.now())));
    await clock.sleep(250);
    ready.set();
    await Promise.all(waits);
    assert.deepEqual(wokeAt, [250, 250, 250], "set() at t=250 should wake all three waiters at t=250");
  }));

  it("Event.wait() resolves at once when the event is already set", withClock(async (clock) => {
    const ready = new Event();
    ready.set();
    await ready.wait();
    assert.equal(clock.now(), 0, "waiting on a set event should not take any time");
  }));

  it("Event tasks released together run in lockstep: [1, 1, 1, 2, 2, 2, 3, 3, 3]", withClock(async (clock) => {
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
    assert.deepEqual(results, [1, 1, 1, 2, 2, 2, 3, 3, 3], "set() must wake all three tasks at once, so their steps interleave");
    assert.equal(clock.now(), 130, "set at t=100, then three 10 ms steps run side by side: done at t=130");
  }));
});

describe("Event.clear() and aborting a wait (task 2)", () => {
  it("Event.clear() makes later waits block until the next set()", withClock(async (clock) => {
    const ready = new Event();
    ready.set();
    ready.clear();
    assert.equal(ready.isSet(), false, "isSet() is false after clear()");
    setTimeout(() => ready.set(), 300);
    await ready.wait();
    assert.equal(clock.now(), 300, "a wait after clear() should block until set() at t=300");
  }));

  it("Event.wait() rejects with the signal's reason when aborted", withClock(async (clock) => {
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
  }));
});

describe("runServer() (task 3)", () => {
  it("runServer() handles no job before start-up has finished", withClock(async (clock) => {
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
    assert.equal(first, 500, "the first job should start at t=500, when start-up ends:\n" + log.format());
    assert.equal(clock.now(), 600, "two jobs of 100 ms on two workers after a 500 ms start-up end at t=600");
  }));

  it("runServer() starts every worker at once when the server is ready", withClock(async (clock) => {
    const starts: string[] = [];
    await runServer({
      workers: 3,
      jobs: [1, 2, 3, 4, 5, 6],
      startup: () => clock.sleep(200),
      handle: async (job, worker) => {
        starts.push(`t=${clock.now()} job ${job} on worker ${worker}`);
        await clock.sleep(100);
      },
    });
    assert.deepEqual(starts, [
      "t=200 job 1 on worker 1",
      "t=200 job 2 on worker 2",
      "t=200 job 3 on worker 3",
      "t=300 job 4 on worker 1",
      "t=300 job 5 on worker 2",
      "t=300 job 6 on worker 3",
    ], "no job before start-up ends at t=200; then the 3 workers take the jobs in turn");
  }));
});
