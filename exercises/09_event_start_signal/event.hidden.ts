// deno-lint-ignore-file require-await -- job handlers and start-ups are async functions that stand for real async work
/**
 * Hidden tests for the Event exercise: run by the grader only.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  ConcurrencyProbe,
  EVENT,
  EventRecorder,
  isNotImplemented,
  rejectsWith,
  watched,
  withClock,
} from "../../lib/mod.ts";
import { Event as LearnerEvent, runServer } from "./event.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const Event = watched(LearnerEvent, EVENT);
type Event = LearnerEvent;

/**
 * Wraps an AbortSignal so tests can count the abort listeners left on it: added and not removed
 * (a listener added with `{ once: true }` counts as removed once the signal has aborted).
 */
function countingSignal(signal: AbortSignal): { signal: AbortSignal; listeners: () => number } {
  const live = new Map<unknown, boolean>(); // listener -> added with { once: true }
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") {
        live.set(listener, typeof opts === "object" && !!(opts as AddEventListenerOptions)?.once);
      }
      add(type, listener, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
  signal.removeEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, opts as EventListenerOptions);
    }) as typeof signal.removeEventListener;
  const listeners = () => [...live.values()].filter((once) => !(once && signal.aborted)).length;
  return { signal, listeners };
}

/** Calls `start()` and fails in the learner's terms if it throws synchronously instead of returning a promise. */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    assert.fail(
      `${what} must return a rejected promise, not throw synchronously; it threw ${String(error)}`,
    );
  }
}

/** A job handler that takes `ms`, ends early when its signal aborts (after `stopMs` of cleanup), and records what happened. */
function slowJob(
  ms: number,
  stopMs: number,
  log: string[],
  fail?: { job: unknown; after: number; error: unknown },
) {
  return (job: unknown, _worker: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        log.push(`job ${String(job)} saw the abort`);
        setTimeout(() => {
          log.push(`job ${String(job)} stopped`);
          reject(new Error(`job ${String(job)} was stopped`));
        }, stopMs);
      };
      const done = () => {
        signal.removeEventListener("abort", onAbort);
        if (fail && fail.job === job) reject(fail.error);
        else resolve();
      };
      const timer = setTimeout(done, fail && fail.job === job ? fail.after : ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
}

describe("task 1: Event", () => {
  it(
    "Event.set() wakes all current waiters at the instant it is called",
    withClock(async (clock) => {
      const ev = new Event();
      const wokeAt: number[] = [];
      const waits = Array.from({ length: 5 }, () => ev.wait().then(() => wokeAt.push(clock.now())));
      await clock.sleep(700);
      ev.set();
      await Promise.all(waits);
      assert.deepEqual(
        wokeAt,
        [700, 700, 700, 700, 700],
        "set() at t=700 should wake all five waiters at t=700",
      );
    }),
  );

  it(
    "Event.wait() resolves with true",
    withClock(async () => {
      const ev = new Event();
      const pending = ev.wait();
      ev.set();
      assert.equal(await pending, true, "a woken wait() resolves with true");
      assert.equal(await ev.wait(), true, "wait() on a set event resolves with true");
    }),
  );

  it(
    "Event.isSet() follows set() and clear()",
    withClock(() => {
      const ev = new Event();
      assert.equal(ev.isSet(), false, "a new Event is unset");
      ev.set();
      assert.equal(ev.isSet(), true, "set() sets it");
      ev.clear();
      assert.equal(ev.isSet(), false, "clear() unsets it");
      ev.clear();
      assert.equal(ev.isSet(), false, "clearing an unset event keeps it unset");
    }),
  );

  it(
    "Event.set() is idempotent",
    withClock(async (clock) => {
      const ev = new Event();
      let wakes = 0;
      const waiting = ev.wait().then(() => wakes++);
      ev.set();
      ev.set();
      await waiting;
      assert.equal(
        wakes,
        1,
        `set() twice wakes the waiting task once; yours woke it ${wakes} times`,
      );
      assert.equal(ev.isSet(), true, "set() twice leaves the event set");
      await ev.wait();
      ev.clear();
      let woke = false;
      const again = ev.wait().then(() => (woke = true));
      await clock.sleep(10);
      assert.equal(woke, false, "after set(), set() and clear(), a new wait() must block");
      ev.set();
      await again;
    }),
  );

  it(
    "Event tasks released together run in lockstep: [1, 1, 1, 2, 2, 2, 3, 3, 3]",
    withClock(async (clock) => {
      const ev = new Event();
      assert.equal(ev.isSet(), false, "a new Event starts unset");
      const results: number[] = [];
      const stampAt: number[] = [];
      const task = async () => {
        await ev.wait();
        for (const step of [1, 2, 3]) {
          results.push(step);
          stampAt.push(clock.now());
          await clock.sleep(1000);
        }
      };
      const tasks = [task(), task(), task()];
      setTimeout(() => ev.set(), 500);
      await Promise.all(tasks);
      assert.deepEqual(
        results,
        [1, 1, 1, 2, 2, 2, 3, 3, 3],
        `set() wakes the three tasks together, so their steps interleave; yours: [${results}]`,
      );
      assert.deepEqual(
        stampAt,
        [500, 500, 500, 1500, 1500, 1500, 2500, 2500, 2500],
        `set at t=500, then 1 s steps side by side; yours stamped [${stampAt}]`,
      );
    }),
  );

  it(
    "Event.wait() blocks without polling timers",
    withClock(async (clock) => {
      const ev = new Event();
      const waits = [ev.wait(), ev.wait()];
      await clock.flush();
      assert.deepEqual(
        clock.pending().map((t) => `${t.kind}(${t.delay}) at ${t.origin}`),
        [],
        "waiting on an Event should not need any timer (no setInterval polling of isSet())",
      );
      ev.set();
      await Promise.all(waits);
      assert.equal(
        clock.now(),
        0,
        `set() at t=0 wakes the waits at t=0; yours ended at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 2: Event.clear() and wait({ signal })", () => {
  it(
    "Event.set() then clear() in one tick still releases the tasks that were waiting",
    withClock(async (clock) => {
      const ev = new Event();
      const woke: string[] = [];
      const early = [ev.wait().then(() => woke.push("a")), ev.wait().then(() => woke.push("b"))];
      await clock.sleep(100);
      ev.set();
      ev.clear();
      let lateWoke = false;
      const late = ev.wait().then(() => (lateWoke = true));
      await clock.sleep(1);
      assert.deepEqual(
        woke.sort(),
        ["a", "b"],
        "tasks waiting when set() ran must wake even if clear() follows at once",
      );
      assert.equal(
        lateWoke,
        false,
        "a task that waits after clear() must block until the next set()",
      );
      await Promise.all(early);
      ev.set();
      await late;
      assert.equal(lateWoke, true, "the task that waited after clear() wakes at the next set()");
    }),
  );

  it(
    "Event.clear() on an unset event keeps earlier waiters waiting for the next set()",
    withClock(async (clock) => {
      const ev = new Event();
      let wokeAt = -1;
      const waiting = ev.wait().then(() => (wokeAt = clock.now()));
      await clock.sleep(100);
      ev.clear(); // unset already: the earlier waiter must not be stranded
      await clock.sleep(100);
      ev.set();
      await waiting;
      assert.equal(
        wokeAt,
        200,
        "a waiter from before clear() should wake at the next set(), at t=200",
      );
    }),
  );

  it(
    "Event.wait() aborted removes only that waiter",
    withClock(async (clock) => {
      const ev = new Event();
      const controller = new AbortController();
      const reason = new Error("client went away");
      const woke: string[] = [];
      const a = ev.wait().then(() => woke.push("a"));
      const b = ev.wait({ signal: controller.signal });
      const c = ev.wait().then(() => woke.push("c"));
      await clock.sleep(10);
      controller.abort(reason);
      await rejectsWith(b, { is: reason }, "ev.wait({ signal }) aborted with a custom reason");
      assert.deepEqual(woke, [], "aborting one wait must not wake or reject the others");
      await clock.sleep(10);
      ev.set();
      await Promise.all([a, c]);
      assert.deepEqual(woke.sort(), ["a", "c"], "the other waiters still wake on set()");
    }),
  );

  it(
    "Event.wait() with an already-aborted signal rejects at once with its reason",
    withClock(async (clock) => {
      const ev = new Event();
      const controller = new AbortController();
      const reason = new DOMException("gave up", "AbortError");
      controller.abort(reason);
      await rejectsWith(
        ev.wait({ signal: controller.signal }),
        { is: reason },
        "ev.wait({ signal }) with an aborted signal",
      );
      assert.equal(
        clock.now(),
        0,
        `an aborted signal rejects at once; yours took ${clock.now()} ms`,
      );
      ev.set();
      await rejectsWith(
        ev.wait({ signal: controller.signal }),
        { is: reason },
        "ev.wait({ signal }) with an aborted signal on an event that is already set",
      );
    }),
  );

  it(
    "Event.wait() removes its abort listener when set() wakes it",
    withClock(async () => {
      const ev = new Event();
      const controller = new AbortController();
      const { signal, listeners } = countingSignal(controller.signal);
      const waits = [ev.wait({ signal }), ev.wait({ signal }), ev.wait({ signal })];
      ev.set();
      await Promise.all(waits);
      assert.equal(
        listeners(),
        0,
        "every abort listener should be removed once the wait is over; " + listeners() + " left",
      );
      controller.abort();
      await Promise.all(waits); // still resolved: a late abort changes nothing
    }),
  );

  it(
    "Event.wait() removes its abort listener when aborted",
    withClock(async () => {
      const ev = new Event();
      const controller = new AbortController();
      const { signal, listeners } = countingSignal(controller.signal);
      const waiting = ev.wait({ signal });
      controller.abort();
      await rejectsWith(waiting, { name: "AbortError" }, "ev.wait({ signal }) after abort()");
      // A listener added with { once: true } is gone after it fires; an explicit remove is fine too.
      assert.equal(
        listeners(),
        0,
        `an aborted wait must remove its abort listener (or add it with { once: true }); ${listeners()} left`,
      );
      ev.set();
    }),
  );

  it(
    "Event.wait() after being woken and cleared blocks again",
    withClock(async (clock) => {
      // A "pulse" loop: each round the task waits, the producer sets then clears.
      const ev = new Event();
      assert.equal(ev.isSet(), false, "a new Event starts unset");
      const rounds: number[] = [];
      const consumer = async () => {
        for (let i = 0; i < 3; i++) {
          await ev.wait();
          rounds.push(clock.now());
          await clock.sleep(1); // the producer clears meanwhile
        }
      };
      const running = consumer();
      for (const t of [100, 200, 300]) {
        await clock.sleep(t - clock.now());
        ev.set();
        await clock.sleep(0);
        ev.clear();
      }
      await running;
      assert.deepEqual(rounds, [100, 200, 300], "each round should wait for its own set()");
    }),
  );
});

describe("task 3: runServer()", () => {
  it(
    "runServer() handles no job before the server signals ready",
    withClock(async (clock) => {
      const log = new EventRecorder<string>();
      await runServer({
        workers: 4,
        jobs: ["a", "b", "c", "d", "e"],
        startup: async () => {
          log.record("startup");
          await clock.sleep(1500);
          log.record("ready");
        },
        handle: async (job) => {
          log.record("job", job);
          await clock.sleep(250);
        },
      });
      const early = log.events.filter((e) => e.name === "job" && e.at < 1500);
      assert.deepEqual(
        early,
        [],
        "no worker may process a job before start-up ends at t=1500:\n" + log.format(),
      );
      assert.deepEqual(
        log.times("job"),
        [1500, 1500, 1500, 1500, 1750],
        "four workers start four jobs at t=1500, the fifth job starts at t=1750:\n" + log.format(),
      );
      assert.equal(
        clock.now(),
        2000,
        `the last job ends at t=2000; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runServer() runs every worker concurrently once ready",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("workers");
      await runServer({
        workers: 5,
        jobs: Array.from({ length: 20 }, (_, i) => i),
        startup: () => clock.sleep(100),
        handle: (job) => probe.run(`job ${job}`, () => clock.sleep(50)),
      });
      probe.assertMaxAtMost(5);
      probe.assertMaxReached(5);
      assert.equal(
        clock.now(),
        300,
        "20 jobs of 50 ms on 5 workers after 100 ms of start-up end at t=300",
      );
    }),
  );

  it(
    "runServer() handles every job exactly once",
    withClock(async (clock) => {
      const handled: number[] = [];
      await runServer({
        workers: 3,
        jobs: new Set([1, 2, 3, 4, 5, 6, 7]),
        startup: () => clock.sleep(10),
        handle: async (job) => {
          await clock.sleep(job * 10);
          handled.push(job);
        },
      });
      assert.deepEqual(
        handled.sort((x, y) => x - y),
        [1, 2, 3, 4, 5, 6, 7],
        `each of the 7 jobs is handled exactly once; yours handled [${handled}]`,
      );
    }),
  );

  it(
    "runServer() resolves after start-up when there are no jobs",
    withClock(async (clock) => {
      let handled = 0;
      await runServer({
        workers: 2,
        jobs: [],
        startup: () => clock.sleep(300),
        handle: async () => {
          handled++;
        },
      });
      assert.equal(handled, 0, `there is no job to handle; yours handled ${handled}`);
      assert.equal(
        clock.now(),
        300,
        `runServer() resolves when the 300 ms start-up ends; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runServer() rejects with the start-up error and releases the waiting workers",
    withClock(async (clock) => {
      let handled = 0;
      const boom = new Error("port 8080 already in use");
      await rejectsWith(
        runServer({
          workers: 3,
          jobs: [1, 2, 3],
          startup: async () => {
            await clock.sleep(200);
            throw boom;
          },
          handle: async () => {
            handled++;
          },
        }),
        { is: boom },
        "runServer() whose start-up fails",
      );
      assert.equal(handled, 0, "no job may run when start-up failed");
      assert.equal(
        clock.now(),
        200,
        `runServer() rejects when start-up fails at t=200; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runServer() stops the other workers when a job fails",
    withClock(async (clock) => {
      const boom = new Error("job 2 crashed");
      const aborted: number[] = [];
      const error = await rejectsWith(
        runServer({
          workers: 3,
          jobs: [1, 2, 3, 4, 5],
          startup: () => clock.sleep(100),
          handle: (job, _worker, signal) =>
            new Promise<void>((resolve, reject) => {
              const onAbort = () => {
                clearTimeout(timer);
                aborted.push(job);
                reject(signal.reason);
              };
              const timer = setTimeout(() => {
                signal.removeEventListener("abort", onAbort);
                if (job === 2) reject(boom);
                else resolve();
              }, job === 2 ? 50 : 1000);
              signal.addEventListener("abort", onAbort, { once: true });
            }),
        }),
        { is: boom },
        "runServer() when job 2 fails at t=150",
      );
      assert.equal(error, boom, "runServer() rejects with the failing job's own error");
      assert.deepEqual(
        aborted.sort(),
        [1, 3],
        "jobs 1 and 3 should see the abort when job 2 fails",
      );
      assert.equal(
        clock.now(),
        150,
        "runServer() should reject at t=150, once the other workers have stopped",
      );
    }),
  );

  it(
    "runServer() rejects with the outer signal's reason and aborts start-up",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("shutting down");
      let handled = 0;
      let startupSawAbort = false;
      setTimeout(() => controller.abort(reason), 100);
      await rejectsWith(
        runServer({
          workers: 2,
          jobs: [1, 2],
          signal: controller.signal,
          startup: (signal) =>
            new Promise<void>((resolve, reject) => {
              const timer = setTimeout(resolve, 1000);
              signal.addEventListener("abort", () => {
                startupSawAbort = true;
                clearTimeout(timer);
                reject(signal.reason);
              }, { once: true });
            }),
          handle: async () => {
            handled++;
          },
        }),
        { is: reason },
        "runServer({ signal }) aborted during start-up",
      );
      assert.equal(startupSawAbort, true, "start-up should receive the abort through its signal");
      assert.equal(
        handled,
        0,
        `no job may run when the server is stopped during start-up; ${handled} ran`,
      );
      assert.equal(
        clock.now(),
        100,
        `runServer() rejects when the signal aborts at t=100; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runServer() waits for the other workers to stop before it rejects with the first error",
    withClock(async (clock) => {
      const boom = new Error("job 2 crashed");
      const log: string[] = [];
      await rejectsWith(
        runServer({
          workers: 3,
          jobs: [1, 2, 3],
          startup: () => clock.sleep(10),
          handle: slowJob(1000, 30, log, { job: 2, after: 40, error: boom }),
        }),
        { is: boom },
        "runServer() when job 2 fails at t=50 while jobs 1 and 3 take 30 ms to stop",
      );
      assert.equal(
        clock.now(),
        80,
        `the others need 30 ms to stop after the failure at t=50: reject at t=80, not before; yours rejected at t=${clock.now()}`,
      );
      assert.deepEqual(log.filter((l) => l.endsWith("stopped")).sort(), [
        "job 1 stopped",
        "job 3 stopped",
      ], `runServer() must not settle before every worker stopped; log: [${log}]`);
    }),
  );

  it(
    "runServer() rejects with the first error even when the stopped jobs reject with their own errors",
    withClock(async () => {
      const first = new Error("job 1 failed first");
      const log: string[] = [];
      await rejectsWith(
        runServer({
          workers: 2,
          jobs: [1, 2],
          startup: async () => {},
          handle: slowJob(500, 5, log, { job: 1, after: 20, error: first }),
        }),
        { is: first },
        "runServer() when job 1 fails and job 2 then rejects with its own error",
      );
    }),
  );

  it(
    "runServer() treats a handle() that throws synchronously as a failed job",
    withClock(async (clock) => {
      const boom = new Error("thrown before any await");
      const log: string[] = [];
      const stop = slowJob(1000, 0, log);
      await rejectsWith(
        runServer({
          workers: 2,
          jobs: [1, 2, 3],
          startup: () => clock.sleep(10),
          handle: (job, worker, signal) => {
            if (job === 3) throw boom;
            return stop(job, worker, signal);
          },
        }),
        { is: boom },
        "runServer() whose handle() throws synchronously for job 3",
      );
      assert.ok(
        log.includes("job 1 saw the abort") || log.includes("job 2 saw the abort"),
        `the jobs still running must be stopped; log: [${log}]`,
      );
    }),
  );

  it(
    "runServer() treats a start-up that throws synchronously as a failed start-up",
    withClock(async () => {
      const boom = new Error("config missing");
      let handled = 0;
      await rejectsWith(
        runServer({
          workers: 2,
          jobs: [1, 2],
          startup: () => {
            throw boom;
          },
          handle: async () => void handled++,
        }),
        { is: boom },
        "runServer() whose startup() throws synchronously",
      );
      assert.equal(handled, 0, `no job may run when start-up failed; ${handled} ran`);
    }),
  );

  it(
    "runServer() with an already aborted signal rejects at once without starting up",
    withClock(async (clock) => {
      const reason = new Error("shut down before start");
      let started = false;
      await rejectsWith(
        runServer({
          workers: 2,
          jobs: [1],
          signal: AbortSignal.abort(reason),
          startup: async () => void (started = true),
          handle: async () => {},
        }),
        { is: reason },
        "runServer({ signal: already aborted })",
      );
      assert.equal(started, false, "start-up must not run when the signal is already aborted");
      assert.equal(clock.now(), 0, `runServer() rejects at once; yours took ${clock.now()} ms`);
    }),
  );

  it(
    "runServer() aborted while jobs run stops them and rejects with the reason once they stopped",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("shutting down");
      const log: string[] = [];
      setTimeout(() => controller.abort(reason), 100);
      await rejectsWith(
        runServer({
          workers: 2,
          jobs: [1, 2, 3],
          signal: controller.signal,
          startup: () => clock.sleep(50),
          handle: (job, _worker, signal) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, 1000);
              signal.addEventListener("abort", () => {
                clearTimeout(timer);
                log.push(`job ${job} stopped`);
                setTimeout(resolve, 20); // stops quietly, 20 ms later
              }, { once: true });
            }),
        }),
        { is: reason },
        "runServer({ signal }) aborted at t=100 while jobs run",
      );
      assert.deepEqual(
        log.sort(),
        ["job 1 stopped", "job 2 stopped"],
        `both running jobs must see the abort; log: [${log}]`,
      );
      assert.equal(
        clock.now(),
        120,
        `runServer() rejects once the jobs stopped, at t=120; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runServer() aborted from outside rejects with the outer reason even when the stopped jobs reject with their own errors",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("shutting down");
      const log: string[] = [];
      setTimeout(() => controller.abort(reason), 100);
      await rejectsWith(
        runServer({
          workers: 2,
          jobs: [1, 2, 3],
          signal: controller.signal,
          startup: () => clock.sleep(50),
          handle: slowJob(1000, 20, log), // rejects with "job N was stopped" 20 ms after the abort
        }),
        { is: reason },
        "runServer({ signal }) aborted at t=100 while its jobs run (they reject with their own errors when stopped)",
      );
      assert.equal(
        clock.now(),
        120,
        `runServer() rejects once the jobs stopped, at t=120; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runServer() with more workers than jobs numbers them from 1 and handles each job once",
    withClock(async () => {
      const seen: Array<[number, number]> = [];
      await runServer({
        workers: 5,
        jobs: new Set(["a", "b"]).values(),
        startup: async () => {},
        handle: async (job, worker) => void seen.push([job === "a" ? 1 : 2, worker]),
      });
      assert.deepEqual(
        seen.map(([job]) => job).sort(),
        [1, 2],
        `each of the 2 jobs is handled once; yours: ${JSON.stringify(seen)}`,
      );
      assert.ok(
        seen.every(([, worker]) => Number.isInteger(worker) && worker >= 1 && worker <= 5),
        `workers are numbered 1 to 5; yours used ${JSON.stringify(seen.map(([, w]) => w))}`,
      );
      assert.notEqual(
        seen[0][1],
        seen[1][1],
        "two jobs that start together run on two different workers",
      );
    }),
  );

  it(
    "runServer() gives the next job to whichever worker is free first",
    withClock(async (clock) => {
      const ranOn = new Map<string, number>();
      const durations: Record<string, number> = { long: 300, a: 100, b: 100, c: 100 };
      await runServer({
        workers: 2,
        jobs: ["long", "a", "b", "c"],
        startup: async () => {},
        handle: async (job, worker) => {
          ranOn.set(job, worker);
          await clock.sleep(durations[job]);
        },
      });
      assert.equal(
        clock.now(),
        300,
        `one worker runs the 300 ms job while the other takes a, b and c one after another: done at t=300; yours ended at t=${clock.now()} (jobs handed out in advance finish later)`,
      );
      const free = ranOn.get("a");
      assert.ok(
        ranOn.get("b") === free && ranOn.get("c") === free && ranOn.get("long") !== free,
        `a, b and c run on the worker that is not busy with the long job; yours: ${
          JSON.stringify([...ranOn])
        }`,
      );
    }),
  );

  it(
    "runServer() rejects with RangeError unless workers is an integer >= 1",
    withClock(async () => {
      let started = 0;
      for (const workers of [0, -1, 1.5, Number.NaN, Infinity]) {
        await rejectsWith(
          callAsync(() =>
            runServer({
              workers,
              jobs: [1],
              startup: async () => void started++,
              handle: async () => {},
            }), `runServer({ workers: ${workers} })`),
          { name: "RangeError" },
          `runServer({ workers: ${workers} })`,
        );
      }
      assert.equal(
        started,
        0,
        `a bad workers value is refused before start-up runs; start-up ran ${started} times`,
      );
      let handled = 0;
      await runServer({
        workers: 1,
        jobs: [1, 2],
        startup: async () => {},
        handle: async () => void handled++,
      });
      assert.equal(
        handled,
        2,
        `one worker is enough to handle both jobs; yours handled ${handled}`,
      );
    }),
  );
});
