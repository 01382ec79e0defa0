// Hidden tests for graceful shutdown: the grader runs them; no test runner discovers them by itself.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, withClock } from "../../lib/mod.ts";
import { runService, TaskRegistry } from "./shutdown.ts";
import { FakeProcess } from "./fake_process.ts";

/** Sleeps `ms` of virtual time; rejects with the signal's reason if it aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** A FakeProcess whose exit() also records how many timers were pending at that moment. */
function processCountingTimers(clock: { pending(): unknown[] }) {
  const proc = new FakeProcess();
  const state = { pendingAtExit: -1 };
  const exit = proc.exit.bind(proc);
  proc.exit = (code?: number) => {
    state.pendingAtExit = clock.pending().length;
    exit(code);
  };
  return { proc, state };
}

describe("task 1: runService() runs main and exits (hidden)", () => {
  it(
    "runService() exits 1 when main throws synchronously, and still removes its handlers",
    withClock(async () => {
      const proc = new FakeProcess();
      const code = await runService(() => {
        throw new Error("bad config");
      }, { process: proc });
      assert.equal(
        code,
        1,
        `main throwing before its first await is a failure: exit 1; yours ${code}`,
      );
      assert.equal(
        proc.listenerCount("SIGINT") + proc.listenerCount("SIGTERM"),
        0,
        "handlers are removed when main throws synchronously too",
      );
      assert.deepEqual(proc.exitCodes, [1], `exit(1) once; yours: [${proc.exitCodes}]`);
    }),
  );

  it(
    "runService() exits 1 when main rejects with undefined",
    withClock(async () => {
      const proc = new FakeProcess();
      const code = await runService(() => Promise.reject(undefined), { process: proc });
      assert.equal(
        code,
        1,
        `any rejection before a stop is a failure, even with undefined (no signal has aborted, so it is no stop reason); yours exited ${code}`,
      );
    }),
  );

  it(
    "runService() removes its handlers when main fails too",
    withClock(async () => {
      const proc = new FakeProcess();
      await runService(() => Promise.reject(new Error("boom")), { process: proc });
      assert.equal(
        proc.listenerCount("SIGINT") + proc.listenerCount("SIGTERM"),
        0,
        "handlers are removed on the failure path as well",
      );
      assert.equal(
        proc.log.at(-1),
        "exit 1",
        `exit(1) comes last; your log: ${proc.log.join(", ")}`,
      );
    }),
  );

  it(
    "runService() listens only for the signals it was given, and for none with signals: []",
    withClock(async () => {
      const proc = new FakeProcess();
      const done = runService((signal) => aborted(signal), { process: proc, signals: ["SIGUSR2"] });
      assert.equal(proc.listenerCount("SIGINT"), 0, 'signals: ["SIGUSR2"] means no SIGINT handler');
      assert.equal(proc.emit("SIGUSR2"), 1, "one SIGUSR2 handler");
      await done;
      const quiet = new FakeProcess();
      const code = await runService(() => sleep(10), { process: quiet, signals: [] });
      assert.deepEqual(
        quiet.log,
        ["exit 0"],
        `signals: [] installs no handler; your log: ${quiet.log.join(", ")}`,
      );
      assert.equal(code, 0, "and the service still runs and exits 0");
    }),
  );

  it(
    "runService() uses globalThis.process when no process is given",
    withClock(async () => {
      const proc = new FakeProcess();
      const g = globalThis as unknown as { process: unknown };
      const real = g.process;
      g.process = proc;
      try {
        await runService(() => sleep(10));
      } finally {
        g.process = real;
      }
      assert.deepEqual(
        proc.log,
        ["on SIGINT", "on SIGTERM", "off SIGINT", "off SIGTERM", "exit 0"],
        `without options.process, runService() should use globalThis.process (read when called); the fake saw: ${
          proc.log.join(", ")
        }`,
      );
    }),
  );

  it(
    "runService() rejects a graceMs that is NaN, negative or not a number, with RangeError",
    withClock(async () => {
      for (const graceMs of [NaN, -0.5, -Infinity, "1000" as unknown as number]) {
        const proc = new FakeProcess();
        let called = false;
        await rejectsWith(
          () => runService(() => Promise.resolve(void (called = true)), { process: proc, graceMs }),
          { name: "RangeError" },
          `runService(main, { graceMs: ${JSON.stringify(graceMs) ?? graceMs} })`,
        );
        assert.equal(called, false, `main must not run with graceMs ${String(graceMs)}`);
        assert.deepEqual(
          proc.log,
          [],
          `nothing installed, nothing exited with graceMs ${String(graceMs)}`,
        );
      }
    }),
  );

  it(
    "runService() calls exit once, last, with the code it resolves with",
    withClock(async () => {
      const proc = new FakeProcess();
      setTimeout(() => proc.emit("SIGTERM"), 100);
      await runService((signal) => aborted(signal), {
        process: proc,
        signals: ["SIGINT", "SIGTERM", "SIGHUP"],
        graceMs: 500,
      });
      for (const name of ["SIGINT", "SIGTERM", "SIGHUP"]) {
        assert.equal(proc.listenerCount(name), 0, `the ${name} handler must be removed on exit`);
      }
      assert.deepEqual(proc.exitCodes, [0], `exit(0) exactly once; yours: [${proc.exitCodes}]`);
      assert.equal(proc.log.at(-1), "exit 0", "exit() is the last thing runService does");
    }),
  );

  it(
    "runService() reports a bad graceMs as a rejected promise, never as a synchronous throw",
    withClock(async () => {
      const proc = new FakeProcess();
      let result: Promise<number> | undefined;
      try {
        result = runService(() => Promise.resolve(), { process: proc, graceMs: -1 });
      } catch (error) {
        assert.fail(
          `runService(main, { graceMs: -1 }) must return a promise that rejects with RangeError; yours threw synchronously: ${error}`,
        );
      }
      await rejectsWith(result!, { name: "RangeError" }, "runService(main, { graceMs: -1 })");
    }),
  );
});

describe("task 2: the first signal asks main to stop (hidden)", () => {
  it(
    "runService() exits 1 when main fails with another error during the shutdown",
    withClock(async () => {
      const proc = new FakeProcess();
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService(async (signal) => {
        await aborted(signal);
        throw new Error("flush failed");
      }, { process: proc, graceMs: 1000 });
      assert.equal(
        code,
        1,
        `a real error while stopping is a failure, not a clean stop; yours ${code}`,
      );
    }),
  );

  it(
    "runService() exits 1 when main fails with an AbortError of its own",
    withClock(async () => {
      const proc = new FakeProcess();
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService(async (signal) => {
        await aborted(signal);
        throw new DOMException("upstream request aborted", "AbortError");
      }, { process: proc, graceMs: 1000 });
      assert.equal(
        code,
        1,
        `only the stop reason itself (by identity) is a clean stop; another AbortError is a failure: exit 1, yours ${code}`,
      );
    }),
  );

  it(
    "runService() aborts with an AbortError naming the signal that came",
    withClock(async () => {
      const proc = new FakeProcess();
      let reason: unknown;
      setTimeout(() => proc.emit("SIGHUP"), 100);
      await runService(async (signal) => {
        await aborted(signal);
        reason = signal.reason;
      }, { process: proc, signals: ["SIGHUP"] });
      assert.equal(
        (reason as Error)?.name,
        "AbortError",
        "the stop reason should be an AbortError",
      );
      assert.match(
        String((reason as Error)?.message),
        /SIGHUP/,
        "the stop reason should name SIGHUP",
      );
    }),
  );

  it(
    "runService() clears the grace timer when main stops in time",
    withClock(async (clock) => {
      const { proc, state } = processCountingTimers(clock);
      setTimeout(() => proc.emit("SIGTERM"), 100);
      await runService((signal) => aborted(signal), { process: proc, graceMs: 30_000 });
      assert.equal(
        state.pendingAtExit,
        0,
        `the 30 s grace timer must be cleared before exit() (a pending timer keeps a real process alive); ${state.pendingAtExit} timer(s) were pending`,
      );
    }),
  );

  it(
    "runService() runs main's cleanup before it exits",
    withClock(async () => {
      const proc = new FakeProcess();
      setTimeout(() => proc.emit("SIGTERM"), 100);
      await runService(async (signal) => {
        try {
          await sleep(60_000, signal);
        } finally {
          await sleep(50);
          proc.log.push("flushed");
        }
      }, { process: proc, graceMs: 1000 });
      const order = proc.log.filter((l) => l === "flushed" || l.startsWith("exit"));
      assert.deepEqual(
        order,
        ["flushed", "exit 0"],
        "exit() must wait for main's finally block: calling exit in the signal handler skips the cleanup",
      );
    }),
  );

  it(
    "runService() waits 10 000 ms by default before it forces",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let forcedAt = -1;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      await runService(async (_signal, force) => {
        await aborted(force);
        forcedAt = clock.now();
      }, { process: proc });
      assert.equal(
        forcedAt,
        10_100,
        `the default grace period is 10 000 ms: SIGTERM at t=100, force at t=10100; yours at t=${forcedAt}`,
      );
    }),
  );
});

describe("task 3: force (hidden)", () => {
  it(
    "runService() forces at exactly graceMs after the first signal with a TimeoutError",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let forcedAt = -1;
      let reason: unknown;
      setTimeout(() => proc.emit("SIGTERM"), 300);
      const code = await runService(async (_signal, force) => {
        await aborted(force);
        forcedAt = clock.now();
        reason = force.reason;
      }, { process: proc, graceMs: 2000 });
      assert.equal(
        forcedAt,
        2300,
        `SIGTERM at t=300 with graceMs 2000: force aborts at t=2300; yours at t=${forcedAt}`,
      );
      assert.equal(
        (reason as Error)?.name,
        "TimeoutError",
        "running out of grace time is a TimeoutError",
      );
      assert.equal(code, 2, "a forced stop exits 2, even when main then returns normally");
    }),
  );

  it(
    "runService() exits 2 when main rejects with the force reason",
    withClock(async () => {
      const proc = new FakeProcess();
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService((_signal, force) => sleep(60_000, force), {
        process: proc,
        graceMs: 500,
      });
      assert.equal(code, 2, `forced after the grace period: exit 2; yours ${code}`);
    }),
  );

  it(
    "runService() exits 2 when main fails with its own error after a forced stop",
    withClock(async () => {
      const proc = new FakeProcess();
      setTimeout(() => proc.emit("SIGTERM"), 100);
      setTimeout(() => proc.emit("SIGTERM"), 200);
      const code = await runService(async (_signal, force) => {
        await aborted(force);
        throw new Error("connection reset while stopping");
      }, { process: proc, graceMs: 5000 });
      assert.equal(
        code,
        2,
        `once forced, the exit code is 2 whatever main does next; yours ${code}`,
      );
    }),
  );

  it(
    "runService() with graceMs 0 forces right after the first signal",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let forcedAt = -1;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService(async (_signal, force) => {
        await aborted(force);
        forcedAt = clock.now();
      }, { process: proc, graceMs: 0 });
      assert.ok(
        forcedAt >= 100 && forcedAt <= 101,
        `graceMs 0 is valid: force right after the signal (t=100; setTimeout(fn, 0) may say 101); yours at t=${forcedAt}`,
      );
      assert.equal(code, 2, "a forced stop exits 2");
    }),
  );

  it(
    "runService() with graceMs Infinity never forces on time, but a second signal still does",
    withClock(async (clock) => {
      const { proc, state } = processCountingTimers(clock);
      let forcedAt = -1;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      setTimeout(() => proc.emit("SIGTERM"), 50_000);
      const code = await runService(async (_signal, force) => {
        await aborted(force);
        forcedAt = clock.now();
      }, { process: proc, graceMs: Infinity });
      assert.equal(
        forcedAt,
        50_000,
        `graceMs Infinity waits for ever (setTimeout would treat Infinity as 0 or 1 ms); only the second signal at t=50000 forces; yours forced at t=${forcedAt}`,
      );
      assert.equal(code, 2, "forced by the second signal: exit 2");
      assert.equal(state.pendingAtExit, 0, "no timer may be pending at exit");
    }),
  );

  it(
    "runService() forces at once on a second signal, and the grace timer no longer fires",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      const reasons: string[] = [];
      setTimeout(() => proc.emit("SIGINT"), 100);
      setTimeout(() => proc.emit("SIGINT"), 400);
      let pendingAfterForce: string[] = [];
      const code = await runService(async (_signal, force) => {
        await aborted(force);
        reasons.push((force.reason as Error)?.name);
        pendingAfterForce = clock.pending().map((t) =>
          `${t.kind}(${t.delay} ms) due at t=${t.dueAt}`
        );
        await sleep(5000); // still cleaning up when the grace period would have ended
      }, { process: proc, graceMs: 1000 });
      assert.deepEqual(reasons, ["AbortError"], "the second signal forces with an AbortError");
      assert.deepEqual(
        pendingAfterForce,
        [],
        `the second signal must clear the grace timer at once (it has nothing left to do); still pending after it: ${
          pendingAfterForce.join(", ")
        }`,
      );
      assert.equal(clock.now(), 5400, "main's cleanup runs to its end (t=5400) before exit");
      assert.equal(code, 2, "a forced stop exits 2");
    }),
  );

  it(
    "runService() ignores a third signal: force keeps its first reason and exit comes once",
    withClock(async () => {
      const proc = new FakeProcess();
      let reason: unknown;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      setTimeout(() => proc.emit("SIGTERM"), 200);
      setTimeout(() => proc.emit("SIGTERM"), 300);
      let flush = "not started";
      const code = await runService(async (_signal, force, tasks) => {
        await aborted(force);
        reason = force.reason;
        // A task started after the force (t=200), still running when the third signal comes (t=300).
        tasks.spawn("flush", (own) => sleep(400, own)).then(
          () => (flush = "finished"),
          (error) => (flush = `cancelled (${(error as Error)?.message})`),
        );
        await sleep(500);
        assert.equal(force.reason, reason, "a third signal must not replace force's reason");
      }, { process: proc, graceMs: 5000 });
      assert.equal(
        flush,
        "finished",
        `a third signal changes nothing: it must not cancel a task started after the force; yours: ${flush}`,
      );
      assert.equal(code, 2, "forced: exit 2");
      assert.deepEqual(proc.exitCodes, [2], `exit once; yours: [${proc.exitCodes}]`);
    }),
  );

  it(
    "runService() runs main's cleanup before it exits after a forced stop",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let cleanedAt = -1;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      await runService(async (_signal, force) => {
        try {
          await sleep(60_000, force);
        } finally {
          await sleep(20);
          cleanedAt = clock.now();
        }
      }, { process: proc, graceMs: 500 });
      assert.equal(
        cleanedAt,
        620,
        `forced at t=600, the finally block still runs (done at t=620); yours at t=${cleanedAt}`,
      );
      assert.equal(clock.now(), 620, "exit comes after the cleanup");
      assert.deepEqual(
        proc.exitCodes,
        [2],
        `exit(2) once, after the cleanup, not when force aborts; yours: [${proc.exitCodes}]`,
      );
      assert.equal(
        proc.listenerCount("SIGTERM"),
        0,
        "handlers are removed on the forced path as well",
      );
    }),
  );

  it(
    "runService() arms one timer for the whole grace period, with no polling",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let forcedAt = -1;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService(async (_signal, force) => {
        await aborted(force);
        forcedAt = clock.now();
      }, { process: proc, graceMs: 10_000 });
      const fired = clock.trace.map((t) => `${t.kind}(${t.delay} ms) at t=${t.at}`);
      assert.equal(forcedAt, 10_100, `SIGTERM at t=100, graceMs 10000: force at t=10100`);
      assert.ok(
        fired.length <= 2,
        `the test's SIGTERM timer and one grace timer of 10000 ms are all it takes; yours fired ${fired.length} timers (${
          fired.slice(0, 5).join(", ")
        }, ...): arm the grace timer once for graceMs instead of checking the time again and again`,
      );
      assert.equal(code, 2, "forced: exit 2");
    }),
  );
});

describe("task 4: TaskRegistry (hidden)", () => {
  it(
    "TaskRegistry.running lists the tasks in spawn order, duplicates included, and drops each as it settles",
    withClock(async () => {
      const tasks = new TaskRegistry({ onError: () => {} });
      tasks.spawn("b", () => sleep(300));
      tasks.spawn("a", async () => {
        await sleep(100);
        throw new Error("a failed");
      });
      tasks.spawn("b", () => sleep(200));
      assert.deepEqual(
        tasks.running,
        ["b", "a", "b"],
        `spawn order, duplicates kept; yours ${JSON.stringify(tasks.running)}`,
      );
      await sleep(150);
      assert.deepEqual(
        tasks.running,
        ["b", "b"],
        `a failed task leaves running; yours ${JSON.stringify(tasks.running)}`,
      );
      await sleep(100);
      assert.deepEqual(
        tasks.running,
        ["b"],
        `the first "b" to finish leaves; yours ${JSON.stringify(tasks.running)}`,
      );
      await sleep(100);
      assert.deepEqual(tasks.running, [], `all done; yours ${JSON.stringify(tasks.running)}`);
    }),
  );

  it(
    "TaskRegistry without onError: a failing task is never unhandled and cancelAll() still resolves",
    withClock(async () => {
      const tasks = new TaskRegistry();
      tasks.spawn("early", () => Promise.reject(new Error("failed on its own")));
      tasks.spawn("db", async (signal) => {
        await sleep(60_000, signal).catch(() => {});
        throw new Error("rollback failed");
      });
      await sleep(10);
      let count: unknown;
      try {
        count = await tasks.cancelAll();
      } catch (error) {
        count = `a rejection: ${error}`;
      }
      assert.equal(
        count,
        1,
        `onError is optional: with none, cancelAll() still resolves with the count (1) when a task fails while cancelled; yours: ${count}`,
      );
    }),
  );

  it(
    "TaskRegistry.spawn() accepts a body that returns a plain value",
    withClock(async () => {
      const tasks = new TaskRegistry();
      assert.equal(
        await tasks.spawn("sync", () => 7),
        7,
        "spawn() resolves with a plain returned value",
      );
      assert.deepEqual(tasks.running, [], "and it leaves running");
    }),
  );

  it(
    "TaskRegistry.cancelAll() uses an AbortError by default, resolves 0 at once with nothing running",
    withClock(async (clock) => {
      const tasks = new TaskRegistry();
      let reason: unknown;
      tasks.spawn("t", async (signal) => {
        await aborted(signal);
        reason = signal.reason;
      });
      assert.equal(await tasks.cancelAll(), 1, "one task was cancelled");
      assert.equal(
        (reason as Error)?.name,
        "AbortError",
        `the default reason is an AbortError; yours: ${reason}`,
      );
      assert.equal(await tasks.cancelAll(), 0, "nothing left to cancel: 0");
      assert.equal(clock.now(), 0, "cancelling nothing takes no time");
      assert.equal(clock.pending().length, 0, "and arms no timer");
    }),
  );

  it(
    "TaskRegistry.cancelAll() never rejects and reports a task that fails while it is cancelled",
    withClock(async () => {
      const errors: string[] = [];
      const tasks = new TaskRegistry({
        onError: (error, name) => errors.push(`${name}: ${(error as Error).message}`),
      });
      tasks.spawn("db", async (signal) => {
        await sleep(60_000, signal).catch(() => {});
        await sleep(10);
        throw new Error("rollback failed"); // replaces the cancellation: a real failure
      });
      tasks.spawn("quiet", (signal) => sleep(60_000, signal));
      const count = await tasks.cancelAll(new Error("stop"));
      assert.equal(count, 2, "both tasks were running");
      assert.deepEqual(
        errors,
        ["db: rollback failed"],
        `only the task that failed in its cleanup is reported; yours: ${JSON.stringify(errors)}`,
      );
    }),
  );

  it(
    "TaskRegistry reports failures by identity, not by the error's name",
    withClock(async () => {
      const errors: unknown[] = [];
      const tasks = new TaskRegistry({ onError: (error) => errors.push(error) });
      const ownAbort = new DOMException("the upstream request was aborted", "AbortError");
      tasks.spawn("fetcher", async () => {
        await sleep(10);
        throw ownAbort; // never cancelled: this AbortError is the task's own failure
      });
      const reason = new DOMException("stop", "AbortError");
      tasks.spawn("worker", (signal) => sleep(60_000, signal));
      await sleep(20);
      await tasks.cancelAll(reason);
      assert.deepEqual(
        errors,
        [ownAbort],
        "an AbortError the task was not cancelled with is a failure; the cancellation reason itself is not",
      );
    }),
  );

  it(
    "TaskRegistry does not report a task that succeeds, or that swallows its cancellation",
    withClock(async (clock) => {
      const errors: unknown[] = [];
      const tasks = new TaskRegistry({ onError: (error) => errors.push(error) });
      await tasks.spawn("ok", () => sleep(10));
      tasks.spawn("stubborn", async (signal) => {
        await aborted(signal);
        await sleep(40); // ignores the cancellation and ends normally, a bit later
      });
      await tasks.cancelAll();
      assert.equal(
        clock.now(),
        50,
        `cancelAll() waits for a task that ends late (t=50); yours resolved at t=${clock.now()}`,
      );
      assert.deepEqual(errors, [], `no failure to report; yours reported ${errors.length}`);
    }),
  );

  it(
    "TaskRegistry.cancelAll() cancels only the tasks still running",
    withClock(async () => {
      const tasks = new TaskRegistry();
      let doneSignal: AbortSignal | undefined;
      await tasks.spawn("done", (signal) => {
        doneSignal = signal;
      });
      tasks.spawn("live", (signal) => sleep(60_000, signal));
      const count = await tasks.cancelAll();
      assert.equal(count, 1, `only "live" was running; yours counted ${count}`);
      assert.equal(doneSignal?.aborted, false, "a task that already finished is not cancelled");
    }),
  );

  it(
    "TaskRegistry gives every task a signal of its own, aborted only by cancelAll()",
    withClock(async () => {
      const tasks = new TaskRegistry();
      const signals: AbortSignal[] = [];
      tasks.spawn("one", (signal) => (signals.push(signal), sleep(100, signal)));
      tasks.spawn("two", (signal) => (signals.push(signal), sleep(100, signal)));
      assert.notEqual(signals[0], signals[1], "each task gets its own signal");
      await sleep(150);
      assert.ok(
        !signals[0].aborted && !signals[1].aborted,
        "finishing is not cancelling: the signals stay unaborted",
      );
    }),
  );

  it(
    "TaskRegistry compares a failure with the task's own cancellation reason, not another task's",
    withClock(async () => {
      const names: string[] = [];
      const tasks = new TaskRegistry({ onError: (_error, name) => names.push(name) });
      const reason = new DOMException("first shutdown", "AbortError");
      tasks.spawn("old", (signal) => sleep(60_000, signal));
      await tasks.cancelAll(reason);
      tasks.spawn("new", async () => {
        await sleep(10);
        throw reason; // never cancelled: that object is not the reason of its own signal
      });
      await sleep(20);
      assert.deepEqual(
        names,
        ["new"],
        `"old" ended with its own cancellation reason (no failure); "new" was never cancelled, so ending with the same object is its own failure; yours reported ${
          JSON.stringify(names)
        }`,
      );
    }),
  );
});

describe("task 5: runService() owns the service's tasks (hidden)", () => {
  it(
    "runService() cancels every task with the force reason when the grace period ends",
    withClock(async () => {
      const proc = new FakeProcess();
      const reasons: unknown[] = [];
      let force: AbortSignal | undefined;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService(async (_signal, f, tasks) => {
        force = f;
        for (const name of ["a", "b"]) {
          tasks.spawn(name, async (own) => {
            await aborted(own);
            reasons.push(own.reason);
          });
        }
        await aborted(f);
      }, { process: proc, graceMs: 1000 });
      assert.equal(reasons.length, 2, "both tasks are cancelled when time is up");
      assert.ok(
        reasons.every((r) => r === force!.reason),
        "each task is cancelled with force's reason itself (the TimeoutError)",
      );
      assert.equal(code, 2, "forced: exit 2");
    }),
  );

  it(
    "runService() cancels every task at once on a second signal, while main still runs",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let cancelledAt = -1;
      setTimeout(() => proc.emit("SIGINT"), 100);
      setTimeout(() => proc.emit("SIGINT"), 200);
      await runService(async (_signal, _force, tasks) => {
        tasks.spawn("uploader", async (own) => {
          await aborted(own);
          cancelledAt = clock.now();
        });
        await sleep(1000); // main ignores force and keeps going
      }, { process: proc, graceMs: 5000 });
      assert.equal(
        cancelledAt,
        200,
        `the second signal (t=200) cancels the tasks at once; yours at t=${cancelledAt}`,
      );
    }),
  );

  it(
    "runService() does not cancel the tasks on the first signal",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      const log: string[] = [];
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService(async (signal, _force, tasks) => {
        tasks.spawn("flusher", async (own) => {
          await sleep(300, own); // flushing buffers: must be allowed to finish
          log.push(`flushed@${clock.now()}`);
        });
        await aborted(signal);
        await sleep(400); // main drains too
      }, { process: proc, graceMs: 1000 });
      assert.deepEqual(
        log,
        ["flushed@300"],
        "the first signal asks main to stop; it does not cancel the tasks",
      );
      assert.equal(code, 0, "a clean stop");
    }),
  );

  it(
    "runService() exits only after the cancelled tasks have finished their cleanup, when main fails",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let cleanedAt = -1;
      const code = await runService(async (_signal, _force, tasks) => {
        tasks.spawn("conn", async (own) => {
          try {
            await sleep(60_000, own);
          } finally {
            await sleep(40);
            cleanedAt = clock.now();
            proc.log.push("conn closed");
          }
        });
        await sleep(100);
        throw new Error("main crashed");
      }, { process: proc });
      assert.equal(
        cleanedAt,
        140,
        `main failed at t=100; the task is cancelled and closes by t=140; yours at t=${cleanedAt}`,
      );
      assert.deepEqual(
        proc.log.filter((l) => l === "conn closed" || l.startsWith("exit")),
        ["conn closed", "exit 1"],
        `exit after the task's cleanup; your log: ${proc.log.join(", ")}`,
      );
      assert.equal(code, 1, "main failed: exit 1");
    }),
  );

  it(
    "runService() cancels leftover tasks when main throws synchronously",
    withClock(async () => {
      const proc = new FakeProcess();
      let leftover: AbortSignal | undefined;
      const code = await runService((_signal, _force, tasks) => {
        tasks.spawn("early", (own) => ((leftover = own), sleep(60_000, own)));
        throw new Error("bad config");
      }, { process: proc });
      assert.equal(
        leftover?.aborted,
        true,
        "the task main started before throwing must be cancelled",
      );
      assert.equal(
        (leftover?.reason as Error)?.name,
        "AbortError",
        `leftover tasks are cancelled with an AbortError; yours: ${leftover?.reason}`,
      );
      assert.equal(code, 1, "exit 1");
    }),
  );

  it(
    "runService() counts a task that fails after the shutdown began as a failure, without forcing",
    withClock(async () => {
      const proc = new FakeProcess();
      let stopReason: unknown;
      let forceAborted: boolean | undefined;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService(async (signal, force, tasks) => {
        tasks.spawn("flusher", async () => {
          await sleep(200);
          throw new Error("disk full");
        });
        await aborted(signal);
        stopReason = signal.reason;
        await sleep(300);
        forceAborted = force.aborted;
      }, { process: proc, graceMs: 1000 });
      assert.match(
        String((stopReason as Error)?.message),
        /SIGTERM/,
        "the stop reason stays the signal's",
      );
      assert.equal(forceAborted, false, "a task failing during the shutdown does not force it");
      assert.equal(code, 1, `a task failed: exit 1; yours ${code}`);
    }),
  );

  it(
    "runService() counts a task that rejects with undefined as a failure",
    withClock(async () => {
      const proc = new FakeProcess();
      let stopped = false;
      const code = await runService(async (signal, _force, tasks) => {
        tasks.spawn("poller", () => Promise.reject(undefined));
        await sleep(1000, signal).catch(() => {});
        stopped = signal.aborted;
      }, { process: proc, graceMs: 1000 });
      assert.equal(
        stopped,
        true,
        "a task rejecting with undefined starts the shutdown: main's signal aborts",
      );
      assert.equal(
        code,
        1,
        `a task rejecting with undefined failed (no signal had aborted, so it is no stop reason): exit 1; yours ${code}`,
      );
    }),
  );

  it(
    "runService() starts the grace period when a task fails",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let forcedAt = -1;
      const code = await runService(async (_signal, force, tasks) => {
        tasks.spawn("poller", async () => {
          await sleep(100);
          throw new Error("feed unreachable");
        });
        await aborted(force); // main ignores the stop signal
        forcedAt = clock.now();
      }, { process: proc, graceMs: 500 });
      assert.equal(
        forcedAt,
        600,
        `the task failed at t=100: with graceMs 500, force aborts at t=600; yours at t=${forcedAt}`,
      );
      assert.equal(code, 2, "forced: exit 2");
    }),
  );

  it(
    "runService() does not count a task that stops with the service's stop reason as a failure",
    withClock(async () => {
      const proc = new FakeProcess();
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService(async (signal, _force, tasks) => {
        tasks.spawn("listener", () => sleep(60_000, signal)); // watches the service's signal
        await aborted(signal);
        await sleep(10);
      }, { process: proc, graceMs: 1000 });
      assert.equal(
        code,
        0,
        `a task that ended with the stop reason stopped as asked: exit 0, yours ${code}`,
      );
    }),
  );

  it(
    "runService() exits 1 when a leftover task fails in its cleanup",
    withClock(async () => {
      const proc = new FakeProcess();
      const code = await runService(async (_signal, _force, tasks) => {
        tasks.spawn("cache", async (own) => {
          await sleep(60_000, own).catch(() => {});
          throw new Error("could not persist the cache");
        });
        await sleep(50);
      }, { process: proc });
      assert.equal(
        code,
        1,
        `main returned, but a task failed while it was cancelled: exit 1; yours ${code}`,
      );
    }),
  );

  it(
    "runService() leaves no timer behind after a task failure stops the service",
    withClock(async (clock) => {
      const { proc, state } = processCountingTimers(clock);
      await runService(async (signal, _force, tasks) => {
        tasks.spawn("poller", () => Promise.reject(new Error("feed unreachable")));
        await aborted(signal);
      }, { process: proc, graceMs: 30_000 });
      assert.equal(
        state.pendingAtExit,
        0,
        `the grace timer started by the failure must be cleared before exit; ${state.pendingAtExit} pending`,
      );
      assert.deepEqual(proc.exitCodes, [1], `exit(1) once; yours: [${proc.exitCodes}]`);
    }),
  );

  it(
    "runService() keeps the first deadline when a task fails during the grace period",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let forcedAt = -1;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService(async (_signal, force, tasks) => {
        tasks.spawn("flusher", async () => {
          await sleep(600);
          throw new Error("disk full");
        });
        await aborted(force); // main ignores the stop signal
        forcedAt = clock.now();
      }, { process: proc, graceMs: 1000 });
      assert.equal(
        forcedAt,
        1100,
        `SIGTERM at t=100 with graceMs 1000: force at t=1100; the task failing at t=600 does not move that deadline; yours forced at t=${forcedAt}`,
      );
      assert.equal(code, 2, `forced: exit 2; yours ${code}`);
    }),
  );
});
