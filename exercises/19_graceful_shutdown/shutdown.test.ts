/**
 * Visible tests for graceful shutdown. Run: `bun test exercises/19_graceful_shutdown` or
 * `deno test exercises/19_graceful_shutdown`. Signals come from the fake process in
 * `fake_process.ts` (proc.emit("SIGTERM")), and exit() is recorded, never real. Time is
 * virtual: a 10-second grace period costs nothing.
 */
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

describe("task 1: runService() runs main and exits", () => {
  it(
    "runService() exits 0 when main finishes on its own",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      const code = await runService(() => sleep(500), { process: proc });
      assert.equal(code, 0, `a service that finished by itself should exit 0; yours gave ${code}`);
      assert.deepEqual(
        proc.exitCodes,
        [0],
        `exit(0) should be called once; yours called exit with [${proc.exitCodes}]`,
      );
      assert.equal(
        clock.now(),
        500,
        `it exits when main finishes (t=500), not at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runService() exits 1 when main fails on its own",
    withClock(async () => {
      const proc = new FakeProcess();
      const code = await runService(async () => {
        await sleep(100);
        throw new Error("database unreachable");
      }, { process: proc });
      assert.equal(code, 1, `a service that crashed should exit 1; yours gave ${code}`);
      assert.deepEqual(proc.exitCodes, [1], `exit(1) once; yours: [${proc.exitCodes}]`);
    }),
  );

  it(
    "runService() removes its signal handlers before it exits",
    withClock(async () => {
      const proc = new FakeProcess();
      await runService(() => sleep(10), { process: proc, signals: ["SIGINT", "SIGTERM"] });
      for (const name of ["SIGINT", "SIGTERM"]) {
        assert.equal(
          proc.listenerCount(name),
          0,
          `no ${name} handler may stay installed after exit; yours left ${
            proc.listenerCount(name)
          }`,
        );
      }
      assert.equal(
        proc.log.at(-1),
        "exit 0",
        `exit() comes last, after the handlers are removed; your log: ${proc.log.join(", ")}`,
      );
    }),
  );

  it(
    "runService() rejects a negative graceMs with RangeError and does not exit",
    withClock(async () => {
      const proc = new FakeProcess();
      let error: unknown;
      try {
        await runService(async () => {}, { process: proc, graceMs: -1 });
      } catch (e) {
        error = e;
      }
      assert.equal(
        (error as Error)?.name,
        "RangeError",
        `runService(main, { graceMs: -1 }) should reject with a RangeError; yours gave ${error}`,
      );
      assert.deepEqual(proc.exitCodes, [], "invalid options must not exit the process");
    }),
  );

  it(
    "runService() listens for SIGINT and SIGTERM by default",
    withClock(async () => {
      const proc = new FakeProcess();
      const done = runService((signal) => aborted(signal), { process: proc });
      assert.equal(proc.listenerCount("SIGINT"), 1, "one SIGINT handler while running");
      assert.equal(proc.listenerCount("SIGTERM"), 1, "one SIGTERM handler while running");
      proc.emit("SIGINT");
      assert.equal(await done, 0, "SIGINT stops the service cleanly");
    }),
  );
});

describe("task 2: the first signal asks main to stop", () => {
  it(
    "runService() aborts main's signal on the first SIGTERM, with an AbortError naming it",
    withClock(async () => {
      const proc = new FakeProcess();
      let reason: unknown;
      const done = runService(async (signal) => {
        await aborted(signal);
        reason = signal.reason;
      }, { process: proc });
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await done;
      assert.equal(code, 0, `main returned after the signal: a clean stop exits 0, yours ${code}`);
      assert.equal(
        (reason as Error)?.name,
        "AbortError",
        `the stop reason should be an AbortError; yours was ${reason}`,
      );
      assert.match(
        String((reason as Error)?.message),
        /SIGTERM/,
        "the stop reason's message should name the signal",
      );
    }),
  );

  it(
    "runService() lets main finish the job in hand before exiting 0",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      const log: string[] = [];
      setTimeout(() => proc.emit("SIGTERM"), 250);
      const code = await runService(async (signal, force) => {
        for (let job = 1; !signal.aborted; job++) {
          log.push(`start ${job}@${clock.now()}`);
          await sleep(100, force); // finish the job unless time runs out
          log.push(`done ${job}@${clock.now()}`);
        }
      }, { process: proc, graceMs: 1000 });
      assert.deepEqual(
        log,
        ["start 1@0", "done 1@100", "start 2@100", "done 2@200", "start 3@200", "done 3@300"],
        "SIGTERM at t=250 lets job 3 finish (t=300) and starts no job after it",
      );
      assert.equal(code, 0, `draining within the grace period is a clean stop; yours gave ${code}`);
      assert.equal(
        clock.now(),
        300,
        `exit comes right after main returned (t=300), not t=${clock.now()}`,
      );
    }),
  );

  it(
    "runService() treats main rejecting with the stop reason as a clean stop",
    withClock(async () => {
      const proc = new FakeProcess();
      setTimeout(() => proc.emit("SIGINT"), 100);
      const code = await runService((signal) => sleep(60_000, signal), { process: proc });
      assert.equal(
        code,
        0,
        `main rethrowing the shutdown's own reason is how a cancelled task ends: exit 0, yours ${code}`,
      );
    }),
  );

  it(
    "runService() does not abort force on a clean stop",
    withClock(async () => {
      const proc = new FakeProcess();
      let forceAborted: boolean | undefined;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      await runService(async (signal, force) => {
        await aborted(signal);
        await sleep(200);
        forceAborted = force.aborted;
      }, { process: proc, graceMs: 1000 });
      assert.equal(
        forceAborted,
        false,
        "within the grace period only the stop signal aborts, not force",
      );
    }),
  );
});

describe("task 3: force", () => {
  it(
    "runService() force-aborts after graceMs with a TimeoutError and exits 2",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let reason: unknown;
      setTimeout(() => proc.emit("SIGTERM"), 100);
      const code = await runService(async (_signal, force) => {
        await aborted(force);
        reason = force.reason;
      }, { process: proc, graceMs: 1000 });
      assert.equal(
        clock.now(),
        1100,
        `SIGTERM at t=100 + graceMs 1000: force at t=1100, yours t=${clock.now()}`,
      );
      assert.equal(
        (reason as Error)?.name,
        "TimeoutError",
        `running out of grace time is a TimeoutError; yours: ${reason}`,
      );
      assert.equal(code, 2, `a forced stop exits 2, even when main then returns; yours ${code}`);
      assert.deepEqual(
        proc.exitCodes,
        [2],
        `process.exit() once, as the very last step; yours: [${proc.exitCodes}]`,
      );
    }),
  );

  it(
    "runService() forces at once on a second signal",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let reason: unknown;
      setTimeout(() => proc.emit("SIGINT"), 100);
      setTimeout(() => proc.emit("SIGINT"), 400);
      const code = await runService(async (_signal, force) => {
        await aborted(force);
        reason = force.reason;
      }, { process: proc, graceMs: 10_000 });
      assert.equal(
        clock.now(),
        400,
        `the second SIGINT at t=400 forces the stop without waiting out the grace period; yours ended at t=${clock.now()}`,
      );
      assert.equal(
        (reason as Error)?.name,
        "AbortError",
        `a second signal forces with an AbortError; yours: ${reason}`,
      );
      assert.equal(code, 2, `a forced stop exits 2; yours ${code}`);
    }),
  );
  it(
    "runService() counts a second signal of another name as the second signal",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let forcedAt = -1;
      let reason: unknown;
      setTimeout(() => proc.emit("SIGINT"), 100);
      setTimeout(() => proc.emit("SIGTERM"), 300);
      const code = await runService(async (_signal, force) => {
        await aborted(force);
        forcedAt = clock.now();
        reason = force.reason;
      }, { process: proc, graceMs: 5000 });
      assert.equal(
        forcedAt,
        300,
        `SIGINT at t=100, then SIGTERM at t=300: any second signal forces at once, whatever its name; yours forced at t=${forcedAt}`,
      );
      assert.equal(
        (reason as Error)?.name,
        "AbortError",
        `a second signal forces with an AbortError; yours: ${reason}`,
      );
      assert.equal(code, 2, `a forced stop exits 2; yours ${code}`);
    }),
  );
});

describe("task 4: TaskRegistry", () => {
  it(
    "TaskRegistry.spawn() runs the task with an AbortSignal and lists it in running until it settles",
    withClock(async () => {
      const tasks = new TaskRegistry();
      let given: unknown;
      const task = tasks.spawn("report", async (signal) => {
        given = signal;
        await sleep(100, signal);
        return "sent";
      });
      assert.ok(
        given instanceof AbortSignal,
        `the task should receive an AbortSignal; it got ${given}`,
      );
      assert.deepEqual(
        tasks.running,
        ["report"],
        `running while it runs: ["report"]; yours ${JSON.stringify(tasks.running)}`,
      );
      assert.equal(await task, "sent", "spawn() resolves with the task's value");
      assert.deepEqual(
        tasks.running,
        [],
        `a finished task leaves running; yours ${JSON.stringify(tasks.running)}`,
      );
    }),
  );

  it(
    "TaskRegistry.cancelAll() aborts every running task with the reason and waits for them to finish",
    withClock(async (clock) => {
      const tasks = new TaskRegistry();
      const seen: unknown[] = [];
      const body = async (signal: AbortSignal) => {
        try {
          await sleep(60_000, signal);
        } finally {
          seen.push(signal.reason);
          await sleep(50); // cleanup takes a while
        }
      };
      tasks.spawn("a", body);
      tasks.spawn("b", body);
      await sleep(100);
      const reason = new Error("shutting down");
      const count = await tasks.cancelAll(reason);
      assert.equal(
        count,
        2,
        `cancelAll() resolves with how many tasks it cancelled (2); yours ${count}`,
      );
      assert.deepEqual(
        seen,
        [reason, reason],
        "each task's signal aborts with the very reason given to cancelAll()",
      );
      assert.equal(
        clock.now(),
        150,
        `cancelAll() waits for the 50 ms cleanups (t=150); yours resolved at t=${clock.now()}`,
      );
      assert.deepEqual(tasks.running, [], "nothing runs after cancelAll()");
    }),
  );

  it(
    "TaskRegistry reports a task that fails on its own to onError, and its failure is never unhandled",
    withClock(async () => {
      const reports: string[] = [];
      const tasks = new TaskRegistry({
        onError: (error, name) => reports.push(`${name}: ${(error as Error).message}`),
      });
      tasks.spawn("poller", async () => {
        await sleep(10);
        throw new Error("feed unreachable");
      }); // nobody awaits it: the registry must still keep its rejection handled
      await sleep(20);
      assert.deepEqual(
        reports,
        ["poller: feed unreachable"],
        `onError(error, name) once; yours: ${JSON.stringify(reports)}`,
      );
    }),
  );

  it(
    "TaskRegistry.spawn() turns a synchronous throw into a rejected task and reports it",
    withClock(async () => {
      const errors: unknown[] = [];
      const tasks = new TaskRegistry({ onError: (error) => errors.push(error) });
      const boom = new Error("thrown before the first await");
      let task: Promise<unknown> | undefined;
      assert.doesNotThrow(() => {
        task = tasks.spawn("eager", () => {
          throw boom;
        });
      }, "spawn() must never throw: a task that throws at once is a rejected task");
      await rejectsWith(task!, { is: boom }, 'the task returned by spawn("eager", ...)');
      await sleep(0);
      assert.deepEqual(errors, [boom], "onError gets the synchronous throw too");
      assert.deepEqual(tasks.running, [], "and the task is not left in running");
    }),
  );
  it(
    "TaskRegistry.running returns a new list each time, which the registry never changes afterwards",
    withClock(async () => {
      const tasks = new TaskRegistry();
      tasks.spawn("a", () => sleep(100));
      const before = tasks.running;
      tasks.spawn("b", () => sleep(200));
      await sleep(150);
      assert.deepEqual(
        before,
        ["a"],
        `a list read at t=0 still says ["a"] at t=150: running is a copy, not the registry's own array; yours now says ${
          JSON.stringify(before)
        }`,
      );
      before.length = 0;
      assert.deepEqual(
        tasks.running,
        ["b"],
        `emptying a list running returned must not change the registry; running is now ${
          JSON.stringify(tasks.running)
        }`,
      );
      await sleep(100);
    }),
  );
});

describe("task 5: runService() owns the service's tasks", () => {
  it(
    "runService() cancels the tasks still running after main returns and waits for them before exit",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      const events: string[] = [];
      const code = await runService(async (_signal, _force, tasks) => {
        tasks.spawn("heartbeat", async (own) => {
          try {
            await sleep(60_000, own);
          } finally {
            await sleep(30);
            events.push(`heartbeat stopped@${clock.now()}`);
          }
        });
        await sleep(100);
      }, { process: proc });
      events.push(`exit ${proc.exitCodes}@${clock.now()}`);
      assert.deepEqual(
        events,
        ["heartbeat stopped@130", "exit 0@130"],
        "main returns at t=100; the heartbeat is cancelled, cleans up for 30 ms, then exit(0)",
      );
      assert.equal(code, 0, `a cancelled leftover task is not a failure: exit 0; yours ${code}`);
    }),
  );

  it(
    "runService() starts the shutdown when a task fails, and exits 1",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let reason: unknown;
      let stoppedAt = -1;
      const code = await runService(async (signal, _force, tasks) => {
        tasks.spawn("poller", async () => {
          await sleep(200);
          throw new Error("feed unreachable");
        });
        await aborted(signal);
        stoppedAt = clock.now();
        reason = signal.reason;
      }, { process: proc });
      assert.equal(
        stoppedAt,
        200,
        `the failing task (t=200) should abort main's signal at once; yours at t=${stoppedAt}`,
      );
      assert.equal(
        (reason as Error)?.name,
        "AbortError",
        `the stop reason is an AbortError; yours: ${reason}`,
      );
      assert.match(
        String((reason as Error)?.message),
        /poller/,
        "the stop reason's message should name the task",
      );
      assert.equal(code, 1, `a service whose task failed exits 1; yours ${code}`);
    }),
  );

  it(
    "runService() forces on a signal that comes after a task failure started the shutdown",
    withClock(async (clock) => {
      const proc = new FakeProcess();
      let forcedAt = -1;
      let reason: unknown;
      setTimeout(() => proc.emit("SIGTERM"), 300);
      const code = await runService(async (_signal, force, tasks) => {
        tasks.spawn("poller", async () => {
          await sleep(100);
          throw new Error("feed unreachable");
        });
        await aborted(force); // main ignores the stop signal
        forcedAt = clock.now();
        reason = force.reason;
      }, { process: proc, graceMs: 5000 });
      assert.equal(
        forcedAt,
        300,
        `the task failure at t=100 started the shutdown like a first signal, so the SIGTERM at t=300 is a second one and forces at once; yours forced at t=${forcedAt}`,
      );
      assert.equal(
        (reason as Error)?.name,
        "AbortError",
        `a signal forces with an AbortError; yours: ${reason}`,
      );
      assert.equal(code, 2, `forced: exit 2 (2 wins over the task's 1); yours ${code}`);
    }),
  );
});
