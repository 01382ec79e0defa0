// deno-lint-ignore-file require-await -- async functions without an await stand for coroutines and handlers that finish at once
/**
 * Visible tests for exercise 04. They run on the virtual clock (`clock.now()` is virtual ms).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { isAbortError, JobQueue, spawn, worker } from "./cancellation.ts";

/** The test's own abortable wait, so the tests do not depend on code you write. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

describe("task 1: isAbortError()", () => {
  it(
    "isAbortError() recognises the signal's own reason, whatever it is",
    withClock(() => {
      const controller = new AbortController();
      const reason = new Error("user left");
      controller.abort(reason);
      assert.equal(
        isAbortError(reason, controller.signal),
        true,
        "the signal's reason is an abort even if it is a plain Error",
      );
      assert.equal(
        isAbortError(new Error("disk full"), controller.signal),
        false,
        "any other error is an ordinary failure",
      );
    }),
  );

  it(
    "isAbortError() recognises the default AbortError without a signal",
    withClock(() => {
      const controller = new AbortController();
      controller.abort();
      assert.equal(
        isAbortError(controller.signal.reason),
        true,
        "a DOMException named AbortError is an abort even without the signal",
      );
    }),
  );

  it(
    "isAbortError() is false for the reason of a signal that has not aborted",
    withClock(() => {
      const controller = new AbortController();
      assert.equal(
        isAbortError(undefined, controller.signal),
        false,
        "a live signal's reason is undefined, and undefined is not an abort",
      );
    }),
  );
});

describe("task 2: spawn()", () => {
  it(
    "spawn() is cancelling at once after cancel(), and cancelled only once it has ended",
    withClock(async () => {
      const task = spawn((signal) => wait(1000, signal));
      await null; // let the body start
      assert.equal(task.cancel(), true, "cancel() on a running task returns true");
      assert.equal(
        task.cancelling(),
        true,
        "cancelling() is true as soon as cancel() was called (task.cancelling() > 0)",
      );
      assert.equal(
        task.cancelled(),
        false,
        "cancelled() is false until the task has ended (asyncio: task.cancelled())",
      );
      assert.equal(task.done(), false, "the task has not ended yet");
      await rejectsWith(task.promise, { name: "AbortError" }, "task.promise of a cancelled task");
      assert.equal(
        task.cancelled(),
        true,
        "once the body has ended with the abort, cancelled() is true",
      );
      assert.equal(task.done(), true, "a cancelled task is done");
    }),
  );

  it(
    "spawn() of a body that ignores the cancellation is not cancelled",
    withClock(async () => {
      const task = spawn(async (signal) => {
        await wait(100, signal).catch(() => {}); // swallows the abort, like `except CancelledError: pass`
        return "finished anyway";
      });
      await null;
      task.cancel();
      assert.equal(await task.promise, "finished anyway", "the body decides: it returned a value");
      assert.equal(
        task.cancelled(),
        false,
        "a task that returned normally is not cancelled, even after cancel()",
      );
      assert.equal(task.cancelling(), true, "but the cancellation was requested");
    }),
  );

  it(
    "spawn() of a task cancelled before it started never runs the body",
    withClock(async () => {
      let ran = false;
      const task = spawn(() => {
        ran = true;
        return "ran";
      });
      task.cancel(new Error("too early"));
      await rejectsWith(
        task.promise,
        { message: "too early" },
        "task.promise of a task cancelled before its first step",
      );
      assert.equal(ran, false, "the body of a task cancelled before it started must never run");
      assert.equal(task.cancelled(), true, "it ended as cancelled");
    }),
  );

  it(
    "spawn() starts the body in a microtask, and cancel() after the end returns false",
    withClock(async () => {
      let started = false;
      const task = spawn(() => {
        started = true;
        return "result";
      });
      assert.equal(
        started,
        false,
        "like create_task, spawn() only schedules: the body must not run inside spawn()",
      );
      await null;
      assert.equal(started, true, "the body starts in a microtask");
      assert.equal(await task.promise, "result", "task.promise resolves with the body's value");
      assert.equal(task.cancel(), false, "cancel() on a finished task returns false");
      assert.equal(task.cancelling(), false, "and requests nothing");
    }),
  );
});

describe("task 3: JobQueue.get()", () => {
  it(
    "JobQueue.get() serves waiting gets oldest first",
    withClock(async () => {
      const queue = new JobQueue<string>();
      const first = queue.get();
      const second = queue.get();
      queue.put("x");
      queue.put("y");
      assert.deepEqual(
        await Promise.all([first, second]),
        ["x", "y"],
        "the oldest waiting get gets the first job",
      );
    }),
  );

  it(
    "JobQueue.get() with an already-aborted signal takes nothing, even a ready job",
    withClock(async () => {
      const queue = new JobQueue<string>();
      queue.put("ready");
      const controller = new AbortController();
      controller.abort();
      await rejectsWith(
        queue.get({ signal: controller.signal }),
        { name: "AbortError" },
        "queue.get({ signal: aborted })",
      );
      assert.equal(queue.size, 1, "the ready job must stay in the queue");
    }),
  );

  it(
    "JobQueue.get() aborted while waiting consumes nothing",
    withClock(async () => {
      const queue = new JobQueue<string>();
      const controller = new AbortController();
      const pending = queue.get({ signal: controller.signal });
      controller.abort();
      await rejectsWith(pending, { name: "AbortError" }, "queue.get({ signal }) aborted");
      queue.put("job 1");
      assert.equal(
        queue.size,
        1,
        "the job must stay in the queue: the aborted get may not take it",
      );
      assert.equal(
        await queue.get(),
        "job 1",
        "the next get() receives the job the aborted get() left behind",
      );
    }),
  );

  it(
    "JobQueue.get() aborted right after put() handed it a job passes the job on",
    withClock(async () => {
      const queue = new JobQueue<string>();
      const controller = new AbortController();
      const reason = new Error("stop");
      const first = queue.get({ signal: controller.signal });
      const second = queue.get();
      queue.put("job");
      controller.abort(reason); // before the first get() has resumed
      await rejectsWith(first, { is: reason }, "the get() aborted after the hand-over");
      assert.equal(
        await second,
        "job",
        "the abort wins until the get runs again: the job goes to the next waiter",
      );
    }),
  );
});

describe("task 4: worker()", () => {
  it(
    "worker() reports a handle() that throws synchronously and goes on",
    withClock(async () => {
      const queue = new JobQueue<number>();
      const controller = new AbortController();
      const failures: number[] = [];
      const handled: number[] = [];
      const done = worker(queue, {
        signal: controller.signal,
        handle: (job) => {
          if (job === 1) throw new TypeError("sync failure");
          handled.push(job);
        },
        onError: (job) => failures.push(job),
      });
      [1, 2].forEach((j) => queue.put(j));
      setTimeout(() => controller.abort(), 10);
      await rejectsWith(done, { name: "AbortError" }, "worker()");
      assert.deepEqual(
        failures,
        [1],
        `a synchronous throw of handle() is an ordinary failure too; reported: ${
          JSON.stringify(failures)
        }`,
      );
      assert.deepEqual(
        handled,
        [2],
        `the worker goes on to job 2; handled: ${JSON.stringify(handled)}`,
      );
    }),
  );

  it(
    "worker() without onError goes on after a failing job",
    withClock(async () => {
      const queue = new JobQueue<number>();
      const controller = new AbortController();
      const handled: number[] = [];
      const done = worker(queue, {
        signal: controller.signal,
        handle: async (job) => {
          if (job === 1) throw new Error("bad job 1");
          handled.push(job);
        },
      });
      [1, 2].forEach((j) => queue.put(j));
      setTimeout(() => controller.abort(), 10);
      await rejectsWith(done, { name: "AbortError" }, "worker() without onError");
      assert.deepEqual(
        handled,
        [2],
        `onError is optional: without it a failure is simply skipped and the worker goes on to job 2; handled: ${
          JSON.stringify(handled)
        }`,
      );
    }),
  );

  it(
    "worker() runs its cleanup, then rejects with the abort reason",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const queue = new JobQueue<string>();
      const controller = new AbortController();
      const reason = new Error("deploy: stopping workers");
      queue.put("a");
      queue.put("b");
      const done = worker(queue, {
        signal: controller.signal,
        handle: async (job, signal) => {
          log.record(`start ${job}`);
          await wait(100, signal);
          log.record(`end ${job}`);
        },
        cleanup: async () => {
          log.record("cleanup start");
          await new Promise((resolve) => setTimeout(resolve, 50));
          log.record("cleanup end");
        },
      });
      setTimeout(() => controller.abort(reason), 150); // in the middle of job "b"
      await rejectsWith(done, { is: reason }, "worker(queue, { signal }) after the abort");
      log.record("worker rejected");
      assert.deepEqual(
        log.names(),
        ["start a", "end a", "start b", "cleanup start", "cleanup end", "worker rejected"],
        "expected: job a, job b interrupted, then the cleanup, and only then the rejection:\n" +
          log.format(),
      );
      assert.equal(
        clock.now(),
        200,
        `abort at t=150 plus 50 ms of cleanup is t=200; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "worker() reports an ordinary failure and goes on",
    withClock(async () => {
      const queue = new JobQueue<number>();
      const controller = new AbortController();
      const failures: Array<[number, string]> = [];
      const handled: number[] = [];
      const done = worker(queue, {
        signal: controller.signal,
        handle: async (job) => {
          if (job === 2) throw new Error("bad job 2");
          handled.push(job);
        },
        onError: (job, error) => failures.push([job, (error as Error).message]),
      });
      [1, 2, 3].forEach((j) => queue.put(j));
      setTimeout(() => controller.abort(), 10);
      await rejectsWith(done, { name: "AbortError" }, "worker()");
      assert.deepEqual(
        failures,
        [[2, "bad job 2"]],
        `the failure of job 2 should be reported with onError; yours reported ${
          JSON.stringify(failures)
        }`,
      );
      assert.deepEqual(
        handled,
        [1, 3],
        `the worker should go on after an ordinary failure; it handled ${JSON.stringify(handled)}`,
      );
    }),
  );

  it(
    "worker() with an already-aborted signal never starts",
    withClock(async () => {
      const queue = new JobQueue<string>();
      queue.put("job");
      const controller = new AbortController();
      controller.abort();
      let handled = 0;
      let cleaned = 0;
      await rejectsWith(
        worker(queue, {
          signal: controller.signal,
          handle: async () => void handled++,
          cleanup: () => void cleaned++,
        }),
        { is: controller.signal.reason },
        "worker(queue, { signal: already aborted })",
      );
      assert.equal(handled, 0, "no job may be handled");
      assert.equal(cleaned, 0, "a worker that never started has nothing to clean up");
      assert.equal(queue.size, 1, "the job must stay in the queue");
    }),
  );
});
