/**
 * Hidden tests for exercise 04: the edge cases the grader checks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { isAbortError, JobQueue, sleep, worker } from "./cancellation.ts";

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

/** Counts the abort listeners currently registered on `signal`. */
function listenerCount(signal: AbortSignal): () => number {
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
    if (type === "abort") {
      live.add(listener);
      // A { once: true } listener is removed by the signal itself when it fires.
      if ((opts as AddEventListenerOptions | undefined)?.once) add("abort", () => live.delete(listener), { once: true });
    }
    add(type, listener, opts as AddEventListenerOptions);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
    if (type === "abort") live.delete(listener);
    remove(type, listener, opts as EventListenerOptions);
  }) as typeof signal.removeEventListener;
  return () => live.size;
}

const abortedWith = (reason?: unknown) => {
  const c = new AbortController();
  c.abort(reason);
  return c.signal;
};

describe("sleep()", () => {
  it("sleep() resolves after the given time when never aborted", withClock(async (clock) => {
    await sleep(750, { signal: new AbortController().signal });
    assert.equal(clock.now(), 750);
  }));

  it("sleep() rejects with the default AbortError reason itself", withClock(async (clock) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await rejectsWith(sleep(500, { signal: controller.signal }), { name: "AbortError" }, "sleep(500, { signal })");
    assert.equal(error, controller.signal.reason, "reject with signal.reason itself, not a new error");
    assert.equal(clock.now(), 30);
  }));

  it("sleep() keeps a reason that is not an Error", withClock(async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort("user closed the tab"), 10);
    await rejectsWith(sleep(500, { signal: controller.signal }), { is: "user closed the tab" }, "sleep(500, { signal })");
  }));

  it("sleep() with an already-aborted signal rejects at once and starts no timer", withClock(async (clock) => {
    const reason = new Error("too late");
    await rejectsWith(sleep(500, { signal: abortedWith(reason) }), { is: reason }, "sleep(500, { signal: aborted })");
    assert.equal(clock.now(), 0);
    assert.equal(clock.timersFired, 0, "no timer should have been involved");
  }));

  it("sleep() clears its timer when aborted", withClock(async (clock) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    await rejectsWith(sleep(10_000, { signal: controller.signal }), { name: "AbortError" }, "sleep(10000, { signal })");
    assert.deepEqual(clock.pending().map((t) => t.delay), [], "the aborted sleep's timer must be cleared");
  }));

  it("sleep() removes its abort listener when it resolves and when it is aborted", withClock(async () => {
    const controller = new AbortController();
    const count = listenerCount(controller.signal);
    await sleep(10, { signal: controller.signal });
    assert.equal(count(), 0, "a finished sleep must remove its abort listener");
    const second = sleep(10, { signal: controller.signal });
    controller.abort();
    await rejectsWith(second, { name: "AbortError" }, "sleep(10, { signal })");
    assert.equal(count(), 0, "an aborted sleep must not leave its listener behind");
  }));
});

describe("isAbortError()", () => {
  it("isAbortError() is true for the default abort reason", withClock(() => {
    const signal = abortedWith();
    assert.equal(isAbortError(signal.reason, signal), true);
    assert.equal(isAbortError(signal.reason), true, "a DOMException named AbortError is an abort even without the signal");
  }));

  it("isAbortError() is true for a custom reason of the given signal", withClock(() => {
    const reason = new TypeError("custom reason");
    assert.equal(isAbortError(reason, abortedWith(reason)), true, "checking only `instanceof DOMException` misses custom reasons");
    assert.equal(isAbortError(42, abortedWith(42)), true, "any value can be a reason, even a number");
  }));

  it("isAbortError() is true for the TimeoutError of AbortSignal.timeout", withClock(async () => {
    const signal = AbortSignal.timeout(100);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(signal.aborted, true);
    assert.equal(isAbortError(signal.reason, signal), true, "the reason of a timed-out signal is that signal's abort");
  }));

  it("isAbortError() is false for an ordinary error, even on an aborted signal", withClock(() => {
    assert.equal(isAbortError(new Error("disk full"), abortedWith()), false);
    assert.equal(isAbortError(new Error("disk full")), false);
  }));

  it("isAbortError() is false for a reason of a signal that has not aborted", withClock(() => {
    const controller = new AbortController();
    assert.equal(isAbortError(undefined, controller.signal), false, "undefined is not an abort while the signal is live");
  }));
});

describe("JobQueue.get()", () => {
  it("JobQueue.get() takes queued jobs at once in FIFO order", withClock(async (clock) => {
    const queue = new JobQueue<number>();
    queue.put(1);
    queue.put(2);
    assert.equal(await queue.get(), 1);
    assert.equal(await queue.get(), 2);
    assert.equal(clock.now(), 0);
  }));

  it("JobQueue.get() waits for a put and serves waiters in FIFO order", withClock(async () => {
    const queue = new JobQueue<string>();
    const first = queue.get();
    const second = queue.get();
    setTimeout(() => queue.put("x"), 10);
    setTimeout(() => queue.put("y"), 20);
    assert.deepEqual(await Promise.all([first, second]), ["x", "y"], "the oldest waiting get gets the first job");
  }));

  it("JobQueue.get() aborted leaves the line and loses no job", withClock(async () => {
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    const a = queue.get();
    const b = queue.get({ signal: controller.signal });
    const c = queue.get();
    controller.abort();
    await rejectsWith(b, { name: "AbortError" }, "the aborted get");
    assert.equal(queue.waiting, 2, "the aborted get must leave the line");
    queue.put("job 1");
    queue.put("job 2");
    assert.deepEqual(await Promise.all([a, c]), ["job 1", "job 2"], "both jobs go to the live gets, none to the aborted one");
  }));

  it("JobQueue.get() with an already-aborted signal takes nothing even when a job is ready", withClock(async () => {
    const queue = new JobQueue<string>();
    queue.put("ready job");
    const reason = new Error("no more");
    await rejectsWith(queue.get({ signal: abortedWith(reason) }), { is: reason }, "queue.get({ signal: aborted })");
    assert.equal(queue.size, 1, "the ready job must stay in the queue");
  }));

  it("JobQueue.get() removes its abort listener once it gets a job", withClock(async () => {
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    const count = listenerCount(controller.signal);
    const got = queue.get({ signal: controller.signal });
    queue.put("j");
    assert.equal(await got, "j");
    assert.equal(count(), 0, "a get that received its job must remove its abort listener");
  }));
});

describe("worker()", () => {
  it("worker() handles jobs in order as they arrive", withClock(async () => {
    const log = new EventRecorder();
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    const done = worker(queue, {
      signal: controller.signal,
      handle: async (job, signal) => {
        await wait(10, signal);
        log.record(job);
      },
    });
    queue.put("a");
    setTimeout(() => queue.put("b"), 100);
    setTimeout(() => controller.abort(), 200);
    await rejectsWith(done, { name: "AbortError" }, "worker()");
    assert.deepEqual(log.events.map((e) => [e.name, e.at]), [["a", 10], ["b", 110]]);
  }));

  it("worker() reports an ordinary failure and goes on", withClock(async () => {
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
    assert.deepEqual(failures, [[2, "bad job 2"]], "the failure of job 2 should be reported with onError");
    assert.deepEqual(handled, [1, 3], "the worker should go on after an ordinary failure");
  }));

  it("worker() does not report an abort as a job failure", withClock(async () => {
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    const reason = new Error("scale down"); // a custom reason: not a DOMException
    const failures: unknown[] = [];
    const done = worker(queue, {
      signal: controller.signal,
      handle: (_job, signal) => wait(1000, signal),
      onError: (_job, error) => failures.push(error),
    });
    queue.put("long job");
    setTimeout(() => controller.abort(reason), 100);
    await rejectsWith(done, { is: reason }, "worker() aborted with a custom reason");
    assert.deepEqual(failures, [], "an abort, whatever its reason, is not a job failure: rethrow it instead of calling onError");
  }));

  it("worker() rejects with the exact custom reason while waiting for a job", withClock(async (clock) => {
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    const reason = { code: "SHUTDOWN" };
    const done = worker(queue, { signal: controller.signal, handle: async () => {} });
    setTimeout(() => controller.abort(reason), 70);
    await rejectsWith(done, { is: reason }, "worker() aborted while idle");
    assert.equal(clock.now(), 70);
  }));

  it("worker() aborted while waiting for a job consumes nothing", withClock(async () => {
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    let handled = 0;
    const done = worker(queue, { signal: controller.signal, handle: async () => void handled++ });
    setTimeout(() => controller.abort(), 50);
    await rejectsWith(done, { name: "AbortError" }, "worker()");
    assert.equal(queue.waiting, 0, "the stopped worker must not stay in line for a job");
    queue.put("after the stop");
    assert.equal(queue.size, 1, "a job put after the stop must stay in the queue");
    assert.equal(handled, 0);
  }));

  it("worker() finishes its cleanup before the rejection is seen", withClock(async (clock) => {
    const log = new EventRecorder();
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    const done = worker(queue, {
      signal: controller.signal,
      handle: async () => {},
      cleanup: async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        log.record("cleanup done");
      },
    });
    setTimeout(() => controller.abort(), 100);
    await rejectsWith(done, { name: "AbortError" }, "worker()");
    log.record("rejection seen");
    assert.deepEqual(log.names(), ["cleanup done", "rejection seen"], "await the cleanup before rethrowing:\n" + log.format());
    assert.equal(clock.now(), 400, "abort at t=100 plus 300 ms of cleanup");
  }));

  it("worker() runs its cleanup exactly once", withClock(async () => {
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    let cleanups = 0;
    const done = worker(queue, {
      signal: controller.signal,
      handle: (_job, signal) => wait(100, signal),
      cleanup: () => void cleanups++,
    });
    queue.put("j");
    setTimeout(() => controller.abort(), 50);
    await rejectsWith(done, { name: "AbortError" }, "worker()");
    assert.equal(cleanups, 1);
  }));

  it("worker() with an already-aborted signal rejects at once without taking a job", withClock(async (clock) => {
    const queue = new JobQueue<string>();
    queue.put("job");
    const reason = new Error("stopped before start");
    let handled = 0;
    let cleaned = 0;
    await rejectsWith(
      worker(queue, { signal: abortedWith(reason), handle: async () => void handled++, cleanup: () => void cleaned++ }),
      { is: reason },
      "worker(queue, { signal: already aborted })",
    );
    assert.equal(clock.now(), 0);
    assert.equal(queue.size, 1, "the job must stay in the queue");
    assert.equal(handled, 0);
    assert.equal(cleaned, 0, "a worker that never started runs no cleanup");
  }));

  it("worker() stops taking jobs after the abort", withClock(async () => {
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    const handled: string[] = [];
    const done = worker(queue, {
      signal: controller.signal,
      handle: async (job) => void handled.push(job), // ignores the signal: finishes its job
    });
    queue.put("before");
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    queue.put("after");
    await rejectsWith(done, { name: "AbortError" }, "worker()");
    assert.deepEqual(handled, ["before"], "no job may be taken after the abort");
    assert.equal(queue.size, 1);
  }));
});
